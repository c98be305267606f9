"""What can go wrong in a sync, as types the UI and the CLI can tell apart.

Every error carries a sentence the rep can read (`str(error)`), and `maybe_delivered` says
whether the server may have read the request: push uses it to decide whether mutations sent
with it must stay frozen (`in_flight`) so a later edit never folds into a mutation the server
may already hold under its id.
"""

from __future__ import annotations

from app.i18n import tr


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

    def __init__(self, message: str, *, status: int, retry_after: float | None = None) -> None:
        super().__init__(message)
        self.status = status
        self.retry_after = retry_after  # seconds the server asked to wait (429), if it said


class MalformedReplyError(SyncError):
    """The reply is not what the protocol says (bad JSON, missing fields, a cut body)."""


class SyncCancelledError(SyncError):
    """The rep (or the app closing) cancelled the sync between two steps."""


# The sentences, in one place -----------------------------------------------------------------
#
# Every message says what went wrong in the rep's words and what the rep can do; none shows
# row data, a Python repr or a raw database message (those go to the log, if anywhere). The
# engine stores `str(error)` as the sync's last error, so what is said here is what the
# status bar shows.

def unreachable(url: str, why: str) -> str:
    return tr("The server {url} cannot be reached ({why}). Your changes stay on this laptop "
              "and are sent at the next sync; check the network connection.", url=url, why=why)


def no_answer(url: str, seconds: float) -> str:
    return tr("The server {url} did not answer for {seconds} seconds, so the sync stopped. "
              "Your changes stay on this laptop and are sent at the next sync; if this keeps "
              "happening, tell your support team.", url=url, seconds=f"{seconds:.0f}")


def broke_off(url: str, why: str) -> str:
    return tr("The connection to {url} broke off ({why}). Your changes stay on this laptop "
              "and are sent at the next sync.", url=url, why=why)


def wrong_address(url: str) -> str:
    return tr("There is no Fieldrep server at {url} (it answered “not found”): the server "
              "address is probably wrong. Check it in Settings (Ctrl+,) or ask your support "
              "team for the right one.", url=url)


def server_failed(status: int) -> str:
    return tr("The server had a problem (error {status}). Your changes stay on this laptop; "
              "sync again later (F5), and tell your support team if it stays.", status=status)


def server_refused(status: int, words: str | None) -> str:
    if words:
        return tr("The server refused the request: {words} (error {status}). Your changes "
                  "stay on this laptop; tell your support team if this stays.",
                  words=words, status=status)
    return tr("The server refused the request (error {status}). Your changes stay on this "
              "laptop; tell your support team if this stays.", status=status)


def unreadable(what: str) -> str:
    """A reply that is not what the protocol says; `what` names the part, in words."""
    return tr("The server's answer could not be read ({what}); nothing of it was applied on "
              "this laptop. Sync again later (F5); if this stays, tell your support team.",
              what=what)


def log_in_again(words: str | None = None) -> str:
    if words:
        return tr("Please log in again: your session has ended ({words}). Enter your "
                  "password to sync.", words=words)
    return tr("Please log in again: your session has ended. Enter your password to sync.")


def cancelled() -> str:
    return tr("The sync was cancelled. Your changes stay on this laptop and are sent at the "
              "next sync.")
