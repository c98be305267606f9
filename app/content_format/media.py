"""Looking into slide files without drawing them: PDF page counts, pictures that are pictures.

The laptop's import and the server's `content add` both decide with these checks, so a file
one side refuses the other refuses too, with the same words. They read structure only
(pypdf parses the page tree, Pillow the picture's header and chunks), so the server needs no
Qt and no display. Drawing a slide (thumbnails, presenting) is the laptop's business: it
hands a `SlideRenderer` (app/edetail/thumbnails.py, QtPdf and QtGui) to
`CheckedPackage.thumbnail`; the server hands none and draws nothing.
"""

from __future__ import annotations

import logging
from pathlib import Path
from typing import Protocol

from PIL import Image, UnidentifiedImageError
from pypdf import PdfReader
from pypdf.errors import PyPdfError

#: The picture formats a slide or a thumbnail may be, by what the file really is.
PICTURE_FORMATS = frozenset({"PNG", "JPEG"})


class SlideRenderer(Protocol):
    """Draws thumbnails (PNG bytes) of slide files that passed the checks below."""

    def pdf_page(self, path: Path, page: int) -> bytes:
        """A PDF page (1-based)."""
        ...

    def image(self, path: Path) -> bytes:
        """A picture, fitted into the thumbnail size."""
        ...

    def placeholder(self, title: str) -> bytes:
        """A card with the slide's title, for HTML slides shipped without a thumbnail."""
        ...


def pdf_page_count(path: Path) -> int | None:
    """How many pages the PDF at `path` has; None when it is not a readable PDF."""
    with path.open("rb") as f:
        if b"%PDF-" not in f.read(1024):  # the header, within the first KiB as PDF allows
            return None
    # pypdf reports what it repaired through logging; a package's flaws are our message.
    quiet = logging.getLogger("pypdf")
    level, quiet.level = quiet.level, logging.CRITICAL
    try:
        reader = PdfReader(path, strict=False)
        if reader.is_encrypted:  # a rep cannot type a password in front of a doctor
            return None
        count = len(reader.pages)
    except (PyPdfError, ValueError, KeyError, TypeError, AttributeError, IndexError,
            RecursionError, OSError):
        return None
    finally:
        quiet.level = level
    return count or None


def image_ok(path: Path) -> bool:
    """Whether the file is a PNG or JPEG picture by its content (its suffix proves nothing)."""
    try:
        with Image.open(path) as image:
            if image.format not in PICTURE_FORMATS:
                return False
            image.verify()  # chunks and checksums, without decoding every pixel
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError,
            Image.DecompressionBombError):
        return False
    return True
