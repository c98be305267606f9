"""Errors of reading a content package, in words the rep or the content admin can act on."""

from __future__ import annotations


class ContentError(Exception):
    """Base of the content errors; the message is translated and ready to show."""


class PackageError(ContentError):
    """A content package was refused; nothing of it was imported."""


class ImportCancelledError(ContentError):
    """The person cancelled an import; nothing of it was imported."""
