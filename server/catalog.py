"""The product catalogue: products (with yearly sample limits), their key messages, therapeutic
areas, and which products each territory may promote.

Before this, only `fieldrep-server demo` wrote these rows, so a server set up by hand refused
every content package ("the server does not know the product"). Plain functions over an open
session (the caller owns the transaction), shared by the CLI, the admin API and tests, like
`server.directory`. Every change takes a new `version`, so laptops pull it.

A product promoted in a territory later than a rep's first sync would never reach that rep
by its old version: promoting therefore bumps the product, its key messages and its
presentations (and their slides), so the next pull of everyone in scope carries them.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import false, func, or_, select, update
from sqlalchemy.orm import Session

from server.db import next_versions
from server.directory import DirectoryError, ExistsError, UnknownNameError, get_territory
from server.models import (
    KeyMessage,
    MslCoverage,
    Presentation,
    Product,
    Slide,
    Territory,
    TerritoryProduct,
)

#: A sample limit beyond this is a typo, not a policy (and keeps the column in range).
MAX_SAMPLE_LIMIT = 1_000_000


def _text(value: str, what: str, longest: int) -> str:
    value = value.strip()
    if not value or len(value) > longest:
        raise DirectoryError(f"{what} must be 1 to {longest} characters")
    return value


def _limit(value: int | None) -> int | None:
    if value is not None and not 0 <= value <= MAX_SAMPLE_LIMIT:
        raise DirectoryError(f"the yearly sample limit must be 0 to {MAX_SAMPLE_LIMIT} "
                             "(or none)")
    return value


def get_product(session: Session, ref: str) -> Product:
    """By name (case-insensitive) or id."""
    product = session.scalars(select(Product).where(
        or_(Product.id == ref, func.lower(Product.name) == ref.strip().lower()),
        Product.deleted == false())).first()
    if product is None:
        raise UnknownNameError(f"no product {ref!r}")
    return product


def add_product(session: Session, name: str, area: str, sample_limit: int | None = None
                ) -> Product:
    """A new product; `sample_limit` is the samples one account may receive per calendar
    year (None: no limit)."""
    name = _text(name, "the product name", 200)
    area = _text(area, "the therapeutic area", 100)
    if session.scalar(select(Product.id).where(func.lower(Product.name) == name.lower())):
        raise ExistsError(f"product {name!r} exists already")
    product = Product(name=name, therapeutic_area=_known_area(session, area),
                      yearly_sample_limit=_limit(sample_limit), active=True,
                      version=next_versions(session))
    session.add(product)
    session.flush()
    return product


def _known_area(session: Session, area: str) -> str:
    """The spelling already in use for this area (routing compares case-insensitively, but
    two spellings in lists would look like two areas)."""
    known = session.scalar(select(Product.therapeutic_area).where(
        func.lower(Product.therapeutic_area) == area.lower()).limit(1))
    return known or area


@dataclass(frozen=True)
class ProductChange:
    area: str | None = None
    sample_limit: int | None = None
    clear_limit: bool = False
    active: bool | None = None


def change_product(session: Session, ref: str, change: ProductChange) -> Product:
    """Change a product's area, sample limit or active flag (an inactive product is no
    longer detailed or sampled)."""
    product = get_product(session, ref)
    if change.area is not None:
        product.therapeutic_area = _known_area(
            session, _text(change.area, "the therapeutic area", 100))
    if change.clear_limit:
        product.yearly_sample_limit = None
    elif change.sample_limit is not None:
        product.yearly_sample_limit = _limit(change.sample_limit)
    if change.active is not None:
        product.active = change.active
    if session.is_modified(product):
        product.version = next_versions(session)
    session.flush()
    return product


def list_products(session: Session) -> list[tuple[Product, list[str]]]:
    """Every product with the codes of the territories promoting it, by name."""
    products = session.scalars(select(Product).where(Product.deleted == false())
                               .order_by(Product.name)).all()
    codes: dict[str, list[str]] = {}
    for product_id, code in session.execute(
            select(TerritoryProduct.product_id, Territory.code)
            .join(Territory, Territory.id == TerritoryProduct.territory_id)
            .where(TerritoryProduct.deleted == false()).order_by(Territory.code)):
        codes.setdefault(product_id, []).append(code)
    return [(p, codes.get(p.id, [])) for p in products]


def add_key_message(session: Session, product_ref: str, code: str, title: str,
                    topic: str = "") -> KeyMessage:
    """A key message of a product, placed after its others. Codes are unique per product
    (slides of content packages link to them by code)."""
    product = get_product(session, product_ref)
    code = _text(code, "the key message code", 64)
    title = _text(title, "the key message title", 300)
    topic = topic.strip()
    if len(topic) > 100:
        raise DirectoryError("the topic must be at most 100 characters")
    if session.scalar(select(KeyMessage.id).where(
            KeyMessage.product_id == product.id, KeyMessage.code == code,
            KeyMessage.deleted == false())):
        raise ExistsError(f"{product.name} has a key message {code!r} already")
    last = session.scalar(select(func.max(KeyMessage.position)).where(
        KeyMessage.product_id == product.id)) or 0
    message = KeyMessage(product_id=product.id, position=last + 1, code=code, title=title,
                         topic=topic, version=next_versions(session))
    session.add(message)
    session.flush()
    _link_slides(session, product.id, message)
    return message


def _link_slides(session: Session, product_id: str, message: KeyMessage) -> None:
    """Slides added before their key message existed name it by code only: link them now."""
    presentations = select(Presentation.id).where(Presentation.product_id == product_id)
    session.execute(update(Slide).where(
        Slide.presentation_id.in_(presentations), Slide.key_message == message.code,
        Slide.key_message_id.is_(None)).values(key_message_id=message.id,
                                               version=message.version))


def retire_key_message(session: Session, product_ref: str, code: str) -> KeyMessage:
    """Retire a key message: laptops stop offering it (calls that named it keep it)."""
    product = get_product(session, product_ref)
    message = session.scalar(select(KeyMessage).where(
        KeyMessage.product_id == product.id, KeyMessage.code == code.strip(),
        KeyMessage.deleted == false()))
    if message is None:
        raise UnknownNameError(f"{product.name} has no key message {code!r}")
    message.deleted = True
    message.version = next_versions(session)
    return message


def list_key_messages(session: Session, product_ref: str) -> list[KeyMessage]:
    product = get_product(session, product_ref)
    return list(session.scalars(select(KeyMessage).where(
        KeyMessage.product_id == product.id, KeyMessage.deleted == false())
        .order_by(KeyMessage.position, KeyMessage.code)))


def list_areas(session: Session) -> list[tuple[str, list[str], int]]:
    """(therapeutic area, its products, how many MSL coverages name it), by area."""
    areas: dict[str, tuple[str, list[str]]] = {}
    for name, area in session.execute(select(Product.name, Product.therapeutic_area)
                                      .where(Product.deleted == false())
                                      .order_by(Product.name)):
        areas.setdefault(area.lower(), (area, []))[1].append(name)
    covered: dict[str, int] = {}
    for (area,) in session.execute(select(MslCoverage.therapeutic_area)):
        covered[area.lower()] = covered.get(area.lower(), 0) + 1
        areas.setdefault(area.lower(), (area, []))
    return [(shown, names, covered.get(key, 0))
            for key, (shown, names) in sorted(areas.items())]


def rename_area(session: Session, old: str, new: str) -> int:
    """Rename a therapeutic area on its products and in the MSLs' coverage at once (so the
    routing of medical inquiries keeps finding its MSLs); returns the products changed."""
    new = _text(new, "the therapeutic area", 100)
    products = session.scalars(select(Product).where(
        func.lower(Product.therapeutic_area) == old.strip().lower())).all()
    covers = session.scalars(select(MslCoverage).where(
        func.lower(MslCoverage.therapeutic_area) == old.strip().lower())).all()
    if not products and not covers:
        raise UnknownNameError(f"no therapeutic area {old!r}")
    if products:
        version = next_versions(session)
        for product in products:
            product.therapeutic_area, product.version = new, version
    for cover in covers:
        cover.therapeutic_area = new
    session.flush()
    return len(products)


def promote(session: Session, territory_code: str, product_ref: str) -> bool:
    """Let a territory promote a product; False if it does already."""
    territory = get_territory(session, territory_code)
    product = get_product(session, product_ref)
    row = session.scalar(select(TerritoryProduct).where(
        TerritoryProduct.territory_id == territory.id,
        TerritoryProduct.product_id == product.id))
    if row is not None and not row.deleted:
        return False
    version = next_versions(session)
    if row is None:
        session.add(TerritoryProduct(territory_id=territory.id, product_id=product.id,
                                     version=version))
    else:
        row.deleted, row.version = False, version
    # Carry the product's reference rows to laptops that synced before it was promoted.
    product.version = version
    for model in (KeyMessage, Presentation):
        session.execute(update(model).where(model.product_id == product.id)
                        .values(version=version))
    session.execute(update(Slide).where(Slide.presentation_id.in_(
        select(Presentation.id).where(Presentation.product_id == product.id)))
        .values(version=version))
    session.flush()
    return True


def unpromote(session: Session, territory_code: str, product_ref: str) -> bool:
    """Stop a territory promoting a product; False if it did not."""
    territory = get_territory(session, territory_code)
    product = get_product(session, product_ref)
    row = session.scalar(select(TerritoryProduct).where(
        TerritoryProduct.territory_id == territory.id,
        TerritoryProduct.product_id == product.id, TerritoryProduct.deleted == false()))
    if row is None:
        return False
    row.deleted, row.version = True, next_versions(session)
    return True
