"""Account reads. Every query starts from `scope.accounts_visible_to`; nothing here decides
who may see what."""

from __future__ import annotations

import base64
import binascii
import datetime as dt
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Path, Query
from pydantic import BaseModel
from sqlalchemy import false, select
from sqlalchemy.orm import Session

from app.contract import COMMON_FIELDS, ENTITIES
from server.api.common import ERRORS, ErrorOut, FastJSON, api_error, forbid_admin, get_db
from server.db import Database
from server.models import Account, Address, Affiliation, ExternalId
from server.scope import Principal, accounts_visible_to

router = APIRouter(prefix="/api/v1")

ACCOUNT_FIELDS = (*COMMON_FIELDS, *ENTITIES["accounts"].fields)
ADDRESS_FIELDS = (*COMMON_FIELDS, *ENTITIES["addresses"].fields)
EXTERNAL_ID_FIELDS = (*COMMON_FIELDS, *ENTITIES["external_ids"].fields)
AFFILIATION_FIELDS = (*COMMON_FIELDS, *ENTITIES["affiliations"].fields)
_ACCOUNT_COLUMNS = [Account.__table__.c[f] for f in ACCOUNT_FIELDS]

MAX_PAGE = 1000


class AccountOut(BaseModel):
    """The contract's account fields (app.contract.ENTITIES["accounts"])."""

    id: str
    version: int
    updated_at: dt.datetime
    deleted: bool
    kind: str
    title: str | None
    first_name: str | None
    last_name: str | None
    name: str
    specialty_id: str | None
    territory_id: str | None
    segment: str | None
    potential: float | None
    email: str | None
    phone: str | None
    preferred_contact_time: str | None
    preferred_language: str | None
    notes: str | None
    opening_hours: str | None = None


class AccountPage(BaseModel):
    items: list[AccountOut]
    next_cursor: str | None


class AddressOut(BaseModel):
    id: str
    version: int
    updated_at: dt.datetime
    deleted: bool
    account_id: str
    line1: str
    line2: str | None
    postcode: str | None
    city: str
    country: str
    latitude: float | None
    longitude: float | None
    is_primary: bool


class ExternalIdOut(BaseModel):
    id: str
    version: int
    updated_at: dt.datetime
    deleted: bool
    account_id: str
    system: str
    value: str


class AffiliationOut(BaseModel):
    id: str
    version: int
    updated_at: dt.datetime
    deleted: bool
    hcp_id: str
    hco_id: str
    role: str | None
    is_primary: bool


class AccountDetail(AccountOut):
    addresses: list[AddressOut]
    external_ids: list[ExternalIdOut]
    affiliations: list[AffiliationOut]


def encode_cursor(last_id: str) -> str:
    return base64.urlsafe_b64encode(last_id.encode()).decode().rstrip("=")


def decode_cursor(cursor: str) -> str:
    try:
        # latin-1 maps any byte: a forged cursor is only a lower bound inside the scope.
        raw = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)).decode("latin-1")
    except (binascii.Error, ValueError):
        raise api_error(400, "invalid cursor: pass next_cursor from the previous page") from None
    if len(raw) != 36:
        raise api_error(400, "invalid cursor: pass next_cursor from the previous page")
    return raw.replace("\x00", "")  # PostgreSQL refuses a NUL in a parameter


Reader = Annotated[Principal, Depends(forbid_admin)]


@router.get("/accounts", response_model=AccountPage, responses=ERRORS)
def list_accounts(
    principal: Reader,
    db: Annotated[Database, Depends(get_db)],
    cursor: Annotated[str | None, Query(pattern=r"^[A-Za-z0-9_-]{48}$",
                                        description="next_cursor of the previous page")] = None,
    limit: Annotated[int, Query(ge=1, le=MAX_PAGE)] = 500,
) -> FastJSON:
    """The caller's accounts in pages, in id order (ids are time-ordered UUIDv7)."""
    scoped = accounts_visible_to(principal).where(Account.deleted == false()).subquery()
    stmt = select(*(scoped.c[f] for f in ACCOUNT_FIELDS)).order_by(scoped.c.id).limit(limit + 1)
    if cursor:
        stmt = stmt.where(scoped.c.id > decode_cursor(cursor))
    with db.reading() as session:
        rows = session.execute(stmt).all()
    more = len(rows) > limit
    rows = rows[:limit]
    items = [dict(zip(ACCOUNT_FIELDS, r, strict=True)) for r in rows]
    return FastJSON({"items": items,
                     "next_cursor": encode_cursor(rows[-1][0]) if more and rows else None})


def _rows(session: Session, columns: tuple[str, ...], model: Any, where: Any) -> list[dict]:
    table = model.__table__
    result = session.execute(select(*(table.c[f] for f in columns)).where(where)).all()
    return [dict(zip(columns, r, strict=True)) for r in result]


@router.get("/accounts/{account_id}", response_model=AccountDetail,
            responses={**ERRORS, 404: {"model": ErrorOut}})
def get_account(
    principal: Reader,
    db: Annotated[Database, Depends(get_db)],
    account_id: Annotated[str, Path(max_length=36)],
) -> FastJSON:
    """One account with its addresses, external ids and the affiliations whose other side
    is in scope too. Out of scope and nonexistent answer alike (404)."""
    scope = accounts_visible_to(principal)
    scoped_ids = scope.with_only_columns(Account.id)
    with db.reading() as session:
        row = session.execute(
            scope.where(Account.id == account_id, Account.deleted == false())
            .with_only_columns(*_ACCOUNT_COLUMNS)
        ).first()
        if row is None:
            raise api_error(404, "no such account in your scope")
        out: dict[str, Any] = dict(zip(ACCOUNT_FIELDS, row, strict=True))
        out["addresses"] = _rows(session, ADDRESS_FIELDS, Address,
                                 (Address.account_id == account_id) & (Address.deleted == false()))
        out["external_ids"] = _rows(
            session, EXTERNAL_ID_FIELDS, ExternalId,
            (ExternalId.account_id == account_id) & (ExternalId.deleted == false()))
        out["affiliations"] = _rows(
            session, AFFILIATION_FIELDS, Affiliation,
            ((Affiliation.hcp_id == account_id) & Affiliation.hco_id.in_(scoped_ids)
             | (Affiliation.hco_id == account_id) & Affiliation.hcp_id.in_(scoped_ids))
            & (Affiliation.deleted == false()))
    return FastJSON(out)
