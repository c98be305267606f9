"""Turning plain values from a form, a file or a test into typed ones, with clear errors.

Each function returns the value or records a message under the field's name, so a service
can report every problem of a form at once instead of the first one only.
"""

from __future__ import annotations

import datetime as dt

from app.contract import YEARS
from app.i18n import tr


class Fields:
    """Collects per-field error messages while values are parsed."""

    def __init__(self) -> None:
        self.errors: dict[str, str] = {}

    def fail(self, field: str, message: str) -> None:
        self.errors.setdefault(field, message)

    def datetime(self, field: str, value: dt.datetime | dt.date | str | None,
                 *, required: bool = True) -> dt.datetime | None:
        if value is None or value == "":
            if required:
                self.fail(field, tr("Enter a date and time."))
            return None
        if isinstance(value, dt.datetime):
            parsed = value
        elif isinstance(value, dt.date):
            parsed = dt.datetime.combine(value, dt.time(9, 0))
        else:
            try:
                parsed = dt.datetime.fromisoformat(value.strip())
            except ValueError:
                self.fail(field, tr("“{value}” is not a valid date and time (use YYYY-MM-DD "
                                    "HH:MM).", value=value))
                return None
        if not self._in_years(field, parsed):
            return None
        if parsed.tzinfo is not None:
            parsed = parsed.astimezone(dt.UTC).replace(tzinfo=None)
        return parsed

    def _in_years(self, field: str, value: dt.date) -> bool:
        """Whether `value` falls in the years the server accepts (`app.contract.YEARS`): a
        date it refuses would stay in the outbox as a refusal instead of a form error."""
        if YEARS[0] <= value.year <= YEARS[1]:
            return True
        self.fail(field, tr("Enter a date between the years {first} and {last}.",
                            first=YEARS[0], last=YEARS[1]))
        return False

    def date(self, field: str, value: dt.date | str | None) -> dt.date | None:
        if value is None or value == "":
            return None
        if isinstance(value, dt.datetime):
            parsed = value.date()
        elif isinstance(value, dt.date):
            parsed = value
        else:
            try:
                parsed = dt.date.fromisoformat(value.strip())
            except ValueError:
                self.fail(field, tr("“{value}” is not a valid date (use YYYY-MM-DD).",
                                    value=value))
                return None
        return parsed if self._in_years(field, parsed) else None

    def integer(self, field: str, value: int | str | None, *, minimum: int | None = None,
                maximum: int | None = None, required: bool = False) -> int | None:
        if value is None or value == "":
            if required:
                self.fail(field, tr("Enter a number."))
            return None
        try:
            number = int(value)
        except (TypeError, ValueError):
            self.fail(field, tr("“{value}” is not a whole number.", value=value))
            return None
        if isinstance(value, float) and value != number:
            self.fail(field, tr("“{value}” is not a whole number.", value=value))
            return None
        if minimum is not None and number < minimum:
            self.fail(field, tr("Must be at least {minimum}.", minimum=minimum))
            return None
        if maximum is not None and number > maximum:
            self.fail(field, tr("Must be at most {maximum}.", maximum=maximum))
            return None
        return number

    def choice(self, field: str, value: str | None, allowed: set[str]) -> str | None:
        if value not in allowed:
            self.fail(field, tr("“{value}” is not one of: {allowed}.", value=value,
                                allowed=", ".join(sorted(allowed))))
            return None
        return value
