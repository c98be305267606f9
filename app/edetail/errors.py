"""Errors of e-detailing, in words the rep (or the content admin) can act on."""

from __future__ import annotations


class ContentError(Exception):
    """Base of the errors below; the message is translated and ready to show."""


class PackageError(ContentError):
    """A content package was refused; nothing of it was imported."""


class ImportCancelledError(ContentError):
    """The person cancelled an import; nothing of it was imported."""


class CaptureError(ContentError):
    """A capture request that cannot be carried out (e.g. content that may not be shown)."""
