"""Errors of e-detailing, in words the rep (or the content admin) can act on.

The package errors belong to the shared format (`app.content_format.errors`); they are
named here too so the client's layers catch every content error from one module.
"""

from __future__ import annotations

from app.content_format.errors import ContentError, ImportCancelledError, PackageError

__all__ = ["CaptureError", "ContentError", "ImportCancelledError", "PackageError"]


class CaptureError(ContentError):
    """A capture request that cannot be carried out (e.g. content that may not be shown)."""
