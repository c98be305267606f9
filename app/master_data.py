"""Master data a rep may ask to change, and the rules a proposed value must keep.

The server keeps an account's master data (the contract's accounts win for the server); a
rep proposes a change as a change request (docs/change-requests.md). The laptop's dialog
and the server's push check a proposed value here, so both refuse the same values with the
same words, and those are the words of the master-data import
(`server/importing/records.clean_text`, the lengths of `server/importing/csvfile.FIELDS`:
tests/server/test_change_requests.py holds them equal). Below the store, beside the
contract: the server imports it.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from typing import Any

from app.i18n import tr

CHANGE, NEW_ACCOUNT = "change", "new_account"
KINDS = (CHANGE, NEW_ACCOUNT)

#: The account's own master-data fields, with the longest value the import takes.
ACCOUNT_FIELDS: dict[str, int] = {"title": 50, "first_name": 100, "last_name": 100,
                                  "name": 300, "specialty_id": 36, "email": 200, "phone": 50}
#: The primary address's fields, with the longest value the import takes.
ADDRESS_FIELDS: dict[str, int] = {"line1": 200, "line2": 200, "postcode": 16, "city": 100}
#: Every field a change request may name, in the order the dialog lists them.
FIELDS: dict[str, int] = {**ACCOUNT_FIELDS, **ADDRESS_FIELDS}
#: What a new doctor needs at least.
NEW_ACCOUNT_NEEDS = ("last_name", "city")
#: The longest comment a rep may add.
COMMENT_MAX = 2000

_CONTROL = re.compile(r"[\x00-\x08\x0a-\x1f]")
_POSTCODE_DE = re.compile(r"\d{5}")
_EMAIL = re.compile(r"[^@\s]+@[^@\s]+\.[^@\s]+")
_PHONE = re.compile(r"[0-9 +\-/()]+")


def clean(name: str, value: object) -> str | None:
    """The value as it would be stored (stripped, empty as None): ValueError with the
    import's words when it is not text or breaks a rule of the field."""
    if value is None:
        return None
    if not isinstance(value, str):
        raise ValueError(tr("{field} must be text", field=name))
    value = value.strip()
    if not value:
        return None
    if _CONTROL.search(value):
        raise ValueError(tr("{field} contains control characters", field=name))
    limit = FIELDS.get(name, COMMENT_MAX)
    if len(value) > limit:
        raise ValueError(tr("{field} is longer than {limit} characters", field=name,
                            limit=limit))
    if name == "postcode" and not _POSTCODE_DE.fullmatch(value):
        raise ValueError(tr("postcode must be five digits (German postcode), not {value}",
                            value=value))
    if name == "email" and not _EMAIL.fullmatch(value):
        raise ValueError(tr("email {value} is not an e-mail address", value=value))
    if name == "phone" and not _PHONE.fullmatch(value):
        raise ValueError(tr("phone may hold digits, spaces and + - / ( ) only"))
    return value


def errors(kind: str, changes: dict[str, Any], comment: str | None = None) -> dict[str, str]:
    """Per field, why its proposed value is refused (empty: the request may go). `changes`
    maps a field to its new value."""
    found: dict[str, str] = {}
    if kind not in KINDS:
        return {"": tr("unknown kind of change request: {kind}", kind=kind)}
    for name, value in changes.items():
        if name not in FIELDS:
            found[name] = tr("{field} is not master data: only {fields} can be requested",
                             field=name, fields=", ".join(FIELDS))
            continue
        try:
            cleaned = clean(name, value)
        except ValueError as exc:
            found[name] = str(exc)
            continue
        if cleaned is None and kind == CHANGE and name in ("name", "last_name"):
            found[name] = tr("{field} cannot be emptied", field=name)
    if kind == NEW_ACCOUNT:
        for name in NEW_ACCOUNT_NEEDS:
            if name not in found and not (isinstance(changes.get(name), str)
                                          and changes[name].strip()):
                found[name] = tr("a new doctor needs {field}", field=name)
    elif not changes:
        found[""] = tr("the change request changes nothing")
    if comment is not None:
        try:
            clean("comment", comment)
        except ValueError as exc:
            found["comment"] = str(exc)
    return found


def encode(changes: Mapping[str, tuple[object, object]]) -> str:
    """The `changes` column: field -> {"old": the value the rep saw, "new": the value he
    proposes}, as JSON."""
    return json.dumps({name: {"old": old, "new": new} for name, (old, new) in changes.items()},
                      ensure_ascii=False, sort_keys=True)


def decode(raw: str | None) -> dict[str, dict[str, Any]]:
    """The `changes` column read back; ValueError when it is not the shape `encode` writes."""
    try:
        data = json.loads(raw or "")
    except (TypeError, ValueError):
        raise ValueError(tr("changes must be a JSON object of field -> old and new value")
                         ) from None
    if not isinstance(data, dict) or not all(
            isinstance(v, dict) and set(v) <= {"old", "new"} and "new" in v
            for v in data.values()):
        raise ValueError(tr("changes must be a JSON object of field -> old and new value"))
    return data


def hcp_name(values: dict[str, Any]) -> str:
    """A doctor's display name from title, first and last name, as the import builds it."""
    return " ".join(str(values[p]).strip() for p in ("title", "first_name", "last_name")
                    if values.get(p) and str(values[p]).strip())
