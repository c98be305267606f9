"""The two closed vocabularies of content: approval states and slide kinds.

Kept with the format (not the client's store) because the manifest, the laptop's rows and
the server's rows all speak them.
"""

from __future__ import annotations

from enum import StrEnum


class ApprovalState(StrEnum):
    DRAFT = "draft"
    APPROVED = "approved"
    WITHDRAWN = "withdrawn"


class SlideKind(StrEnum):
    PDF = "pdf"  # one page of a PDF file
    IMAGE = "image"  # a PNG or JPEG picture
    HTML = "html"  # an HTML5 folder (index.html plus assets), the CLM industry's format
