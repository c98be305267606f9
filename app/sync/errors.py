"""What can go wrong in a sync, as types the UI and the CLI can tell apart.

Every error carries a sentence the rep can read (`str(error)`), and `maybe_delivered` says
whether the server may have read the request: push uses it to decide whether mutations sent
with it must stay frozen (`in_flight`) so a later edit never folds into a mutation the server
may already hold under its id.
"""

from __future__ import annotations


class SyncError(Exception):
    """A sync could not be completed; nothing received so far was half-applied."""

    maybe_delivered = True


class OfflineError(SyncError):
    """The server could not be reached (no network, refused, timed out, cut off)."""


class AuthRequiredError(SyncError):
    """The token is missing, expired or revoked: the rep must enter the password again.

    The outbox is untouched; the next sync after a login sends it.
    """

    maybe_delivered = False


class ProtocolMismatchError(SyncError):
    """Client and server speak different protocol versions; the server's words are kept."""

    maybe_delivered = False

    def __init__(self, message: str, *, client_too_old: bool) -> None:
        super().__init__(message)
        self.client_too_old = client_too_old


class ServerError(SyncError):
    """The server failed (5xx after the retries) or refused the request (other 4xx)."""

    def __init__(self, message: str, *, status: int) -> None:
        super().__init__(message)
        self.status = status


class MalformedReplyError(SyncError):
    """The reply is not what the protocol says (bad JSON, missing fields, a cut body)."""


class SyncCancelledError(SyncError):
    """The rep (or the app closing) cancelled the sync between two steps."""
