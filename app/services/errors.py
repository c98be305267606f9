"""Errors a service raises for the person using Fieldrep: what went wrong, in plain words."""

from __future__ import annotations


class ServiceError(Exception):
    """A request that cannot be carried out; nothing was written."""


class NotFoundError(ServiceError):
    pass


class LockedError(ServiceError):
    """The row is locked (a submitted call): it cannot be edited or deleted."""


class ValidationError(ServiceError):
    """Input that breaks a rule, with a message per field for the form to show beside it.

    `errors` maps a field name (as in the service's input, e.g. "samples.0.quantity") to a
    sentence the rep can act on.
    """

    def __init__(self, errors: dict[str, str]) -> None:
        self.errors = dict(errors)
        super().__init__("; ".join(self.errors.values()))
