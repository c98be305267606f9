"""What the call report offers the rep: the account's header and the products it may detail.

Plain reads (Core selects on a Session or a Connection) returning frozen dataclasses, so the
form can be filled on the GUI thread from values that no longer need a session. Only products
promotable in the account's territory are offered (HWG: nothing else may be detailed); a
product a stored call already names is returned too, flagged `promotable=False`, so a reopened
call still shows what it holds and submitting it explains the problem instead of hiding it.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass

from sqlalchemy import Connection, and_, func, or_, select
from sqlalchemy.orm import Session

from app.store.accounts import Account
from app.store.base import CallStatus
from app.store.interactions import Interaction, Sample
from app.store.reference import KeyMessage, Product, Specialty, TerritoryProduct

Executor = Session | Connection


@dataclass(frozen=True)
class AccountHeader:
    """The account as the report's header names it."""

    id: str
    name: str
    city: str | None
    specialty: str | None
    territory_id: str | None


@dataclass(frozen=True)
class KeyMessageOption:
    id: str
    code: str
    title: str


@dataclass(frozen=True)
class ProductOption:
    id: str
    name: str
    #: Samples one account may receive per calendar year; None: no samples at all.
    yearly_sample_limit: int | None
    promotable: bool
    key_messages: tuple[KeyMessageOption, ...]


@dataclass(frozen=True)
class CallCatalog:
    """Everything the form offers for one account, read in one transaction."""

    account: AccountHeader
    products: tuple[ProductOption, ...]
    year: int
    #: Samples per product already handed to this account in `year` (submitted calls).
    samples_given: dict[str, int]

    def product(self, product_id: str) -> ProductOption | None:
        return next((p for p in self.products if p.id == product_id), None)


def account_header(conn: Executor, account_id: str, lang: str = "en") -> AccountHeader | None:
    """Name, city and specialty (in `lang`: "en" or "de") of a live account."""
    specialty = Specialty.name_de if lang == "de" else Specialty.name_en
    row = conn.execute(
        select(Account.id, Account.name, Account.city, specialty, Account.territory_id)
        .outerjoin(Specialty, Specialty.id == Account.specialty_id)
        .where(Account.id == account_id, Account.deleted.is_(False))
    ).first()
    return AccountHeader(row[0], row[1], row[2], row[3], row[4]) if row else None


def promotable_products(conn: Executor, territory_id: str | None,
                        include: Iterable[str] = ()) -> list[ProductOption]:
    """Active products promotable in the territory, by name, with their key messages in order.

    `include` adds products by id whatever their status (those a stored call already names).
    """
    promotable = (
        select(TerritoryProduct.product_id)
        .where(TerritoryProduct.territory_id == territory_id,
               TerritoryProduct.deleted.is_(False))
        .scalar_subquery()
    )
    is_promotable = Product.id.in_(promotable)
    extra = list(include)
    wanted = and_(is_promotable, Product.active.is_(True), Product.deleted.is_(False))
    if extra:
        wanted = or_(wanted, Product.id.in_(extra))
    rows = conn.execute(
        select(Product.id, Product.name, Product.yearly_sample_limit,
               and_(is_promotable, Product.active.is_(True), Product.deleted.is_(False)))
        .where(wanted)
        .order_by(Product.name)
    ).all()
    messages = _key_messages(conn, [r[0] for r in rows])
    return [ProductOption(r[0], r[1], r[2], bool(r[3]), tuple(messages.get(r[0], ())))
            for r in rows]


def _key_messages(conn: Executor, product_ids: list[str]) -> dict[str, list[KeyMessageOption]]:
    by_product: dict[str, list[KeyMessageOption]] = {}
    if not product_ids:
        return by_product
    rows = conn.execute(
        select(KeyMessage.product_id, KeyMessage.id, KeyMessage.code, KeyMessage.title)
        .where(KeyMessage.product_id.in_(product_ids), KeyMessage.deleted.is_(False))
        .order_by(KeyMessage.product_id, KeyMessage.position, KeyMessage.code)
    )
    for product_id, message_id, code, title in rows:
        by_product.setdefault(product_id, []).append(KeyMessageOption(message_id, code, title))
    return by_product


def samples_given(conn: Executor, account_id: str, year: int) -> dict[str, int]:
    """Samples per product handed to the account in `year` by submitted calls.

    The same sum the submit rule checks; the form shows what is left before the rep signs.
    """
    start, end = dt.datetime(year, 1, 1), dt.datetime(year + 1, 1, 1)
    rows = conn.execute(
        select(Sample.product_id, func.sum(Sample.quantity))
        .join(Interaction, Interaction.id == Sample.interaction_id)
        .where(Sample.account_id == account_id, Sample.deleted.is_(False),
               Interaction.status == CallStatus.SUBMITTED.value,
               Interaction.start_at >= start, Interaction.start_at < end)
        .group_by(Sample.product_id)
    )
    return {product_id: int(total) for product_id, total in rows}


def submitted_at(conn: Executor, call_id: str) -> dt.datetime | None:
    """When the call was submitted (naive UTC), None while it is open."""
    return conn.execute(
        select(Interaction.submitted_at).where(Interaction.id == call_id)
    ).scalar_one_or_none()


def call_catalog(conn: Executor, account_id: str, year: int, *, include: Iterable[str] = (),
                 lang: str = "en") -> CallCatalog | None:
    """Header, products and this year's samples for the account; None if it does not exist."""
    header = account_header(conn, account_id, lang)
    if header is None:
        return None
    products = promotable_products(conn, header.territory_id, include)
    return CallCatalog(header, tuple(products), year, samples_given(conn, account_id, year))
