"""Errors of the local store, in words a person can act on."""


class StoreError(Exception):
    """A programming error against the store's rules (e.g. hard-deleting a synced row)."""


class DatabaseOpenError(Exception):
    """The database file cannot be used: not SQLite, damaged, or from a newer Fieldrep."""
