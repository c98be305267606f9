"""What the presenter answers to the data, record and e-mail calls of CLM content.

The market's CLM JavaScript library answers each call through a callback with
`{success: true, <object>: {...}}` or `{success: false, code, message}` (codes from 2000 are
the library's own). Content written for it runs unchanged when the player answers the same
way, so this module gives those answers from what the laptop holds for this presentation:
the doctor it is shown to, the signed-in rep, the presentation and the key message on
screen — nothing else from the database. Kept free of Qt so the answers are plain data.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy.orm import Session

from app.content_format import clm_records
from app.ids import uuid7
from app.store.accounts import Account
from app.store.reference import User

#: The error code of a call this player cannot answer (the library's own range).
UNSUPPORTED = 2000


@dataclass(frozen=True)
class Held:
    """The records a slide may read, each as the CLM field names content asks for."""

    account: dict[str, str] | None = None
    user: dict[str, str] | None = None
    presentation: dict[str, str] = field(default_factory=dict)
    key_messages: dict[str, dict[str, str]] = field(default_factory=dict)  # by slide id


def held_records(session: Session, account_id: str | None, user_id: str | None,
                 presentation: dict[str, str],
                 key_messages: dict[str, dict[str, str]]) -> Held:
    """The doctor and the rep of this presentation, read once with the deck."""
    account = session.get(Account, account_id) if account_id else None
    user = session.get(User, user_id) if user_id else None
    return Held(
        account=None if account is None else _present({
            "Id": account.id, "Name": account.name, "FirstName": account.first_name,
            "LastName": account.last_name, "Salutation": account.title,
            "PersonEmail": account.email, "Phone": account.phone,
            "Language_vod__c": account.preferred_language}),
        user=None if user is None else _present({
            "Id": user.id, "Name": user.display_name, "Username": user.username,
            "Email": user.email}),
        presentation=presentation, key_messages=key_messages)


def _present(fields: dict[str, str | None]) -> dict[str, str]:
    return {k: v for k, v in fields.items() if v is not None}


def error(message: str, code: int = UNSUPPORTED) -> dict[str, Any]:
    return {"success": False, "code": code, "message": message}


class ClmCalls:
    """Answers one call by name; `click(object, values, record id)` keeps a record a slide
    created, `change(object, record id, values)` changes one."""

    def __init__(self, held: Held, slide_id: Callable[[], str | None],
                 click: Callable[[str, dict[str, Any], str], None],
                 change: Callable[[str, str, dict[str, Any]], None]) -> None:
        self._held = held
        self._slide_id = slide_id
        self._click = click
        self._change = change
        self._created: dict[str, str] = {}  # the records this presentation made: their object

    def answer(self, name: str, args: list[Any]) -> dict[str, Any]:
        handlers: dict[str, Callable[..., dict[str, Any]]] = {
            "getDataForCurrentObject": self._current_object,
            "getDataForObject": self._object,
            "createRecord": self._create,
            "updateRecord": self._update,
            "getApprovedDocument": self._no_approved_email,
            "launchApprovedEmail": self._no_approved_email,
        }
        handler = handlers.get(name)
        if handler is None:
            return error(f"{name} is not supported by this player")
        try:
            return handler(*args)
        except TypeError:
            return error(f"{name} was called with the wrong arguments")

    def _record(self, kind: str) -> tuple[str, dict[str, str] | None]:
        name = {"account": "Account", "user": "User", "presentation": "Presentation",
                "keymessage": "KeyMessage"}.get(str(kind).lower(), "")
        if name == "Account":
            return name, self._held.account
        if name == "User":
            return name, self._held.user
        if name == "Presentation":
            return name, self._held.presentation
        if name == "KeyMessage":
            return name, self._held.key_messages.get(self._slide_id() or "")
        return name, None

    def _current_object(self, kind: str, field_name: str) -> dict[str, Any]:
        name, record = self._record(kind)
        if not name:
            return error(f"{kind} is not an object this player holds")
        if record is None:
            return error(f"no {name} in this presentation")
        if field_name not in record:
            return error(f"{name}.{field_name} is not held on this laptop")
        return {"success": True, name: {field_name: record[field_name]}}

    def _object(self, kind: str, record_id: str, field_name: str) -> dict[str, Any]:
        name, record = self._record(kind)
        if name not in ("Account", "User") or record is None \
                or record.get("Id") != str(record_id):
            return error(f"{kind} {record_id} is not held on this laptop")
        return self._current_object(name, field_name)

    def _create(self, kind: str, values: Any) -> dict[str, Any]:
        """A click-stream or survey record (app.content_format.clm_records), every field
        kept; the CRM's own objects (an Account, a Call) are not a slide's to write."""
        kept = clm_records.object_of(kind)
        if kept is None:
            return error(f"records of {str(kind)[:64]} are not kept by this player")
        if not isinstance(values, dict):
            return error("createRecord needs its values as an object")
        record_id = uuid7()  # told to the slide now, written with the record
        self._created[record_id] = kept
        self._click(kept, values, record_id)
        return {"success": True, "operation": "insert", str(kind): {"ID": record_id}}

    def _update(self, kind: str, record_id: str, values: Any) -> dict[str, Any]:
        """A record this presentation created (a survey answered again) changes; any other,
        or one of another object, is not this slide's to change."""
        kept = clm_records.object_of(kind)
        if kept is None:
            return error(f"records of {str(kind)[:64]} are not kept by this player")
        if not isinstance(values, dict):
            return error("updateRecord needs its values as an object")
        if self._created.get(str(record_id)) != kept:
            return error(f"{str(kind)[:64]} {str(record_id)[:64]} was not created in this "
                         "presentation")
        self._change(kept, str(record_id), values)
        return {"success": True, "operation": "update", str(kind): {"ID": str(record_id)}}

    def _no_approved_email(self, *_args: Any) -> dict[str, Any]:
        return error("approved documents and e-mail are not available on this laptop")


def parse_args(text: str) -> list[Any] | None:
    try:
        args = json.loads(text)
    except ValueError:
        return None
    return args if isinstance(args, list) else None
