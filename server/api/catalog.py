"""Admin endpoints for a real deployment: the product catalogue (products with yearly sample
limits, key messages, therapeutic areas, a territory's promotable products) and the people
(assigning and unassigning territories, password resets, re-enabling).

The same operations as the CLI (`server.catalog`, `server.directory`), for an outside system
or an admin screen. Unknown names answer 404, duplicates 409, invalid values 422.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Annotated, TypeVar

from fastapi import APIRouter, Depends, Path
from pydantic import BaseModel, BeforeValidator, Field
from sqlalchemy.orm import Session

from server import catalog
from server.api.common import ERRORS, FastJSON, Strict, api_error, get_db, require_admin
from server.db import Database
from server.directory import (
    DirectoryError,
    ExistsError,
    StateError,
    UnknownNameError,
    assign_territory,
    enable_user,
    reset_password,
    unassign_territory,
)
from server.models import KeyMessage, Product
from server.scope import Principal
from server.security import MIN_PASSWORD_LENGTH

router = APIRouter(prefix="/api/v1/admin")

Admin = Annotated[Principal, Depends(require_admin)]
Db = Annotated[Database, Depends(get_db)]
Name = Annotated[str, Path(min_length=1, max_length=200)]
Code = Annotated[str, Path(min_length=1, max_length=100)]

_ANSWERS: dict[int | str, dict[str, object]] = {
    **ERRORS, 404: {"description": "no such user, territory, product or key message"},
    409: {"description": "exists already, or not possible as things stand (e.g. a "
                         "territory for an admin)"}}


def _integral(value: object) -> object:
    """JSON has one number type: 12.0 is the integer 12 (JSON Schema says so too); 12.5 is
    still refused by the strict model."""
    if isinstance(value, float) and value.is_integer():
        return int(value)
    return value


#: Text that must hold something besides spaces (names are stored stripped).
Text = Annotated[str, Field(pattern=r"\S")]
Limit = Annotated[Annotated[int, Field(ge=0, le=catalog.MAX_SAMPLE_LIMIT)] | None,
                  BeforeValidator(_integral)]

T = TypeVar("T")


@contextmanager
def _refusals() -> Iterator[None]:
    try:
        yield
    except UnknownNameError as exc:
        raise api_error(404, str(exc)) from exc
    except (ExistsError, StateError) as exc:
        raise api_error(409, str(exc)) from exc
    except DirectoryError as exc:
        raise api_error(422, str(exc)) from exc


def _write(db: Database, work: Callable[[Session], T]) -> T:
    with _refusals(), db.writing() as session:
        return work(session)


class ProductIn(Strict):
    name: Text = Field(min_length=1, max_length=200)
    therapeutic_area: Text = Field(min_length=1, max_length=100)
    yearly_sample_limit: Limit = None


class ProductChangeIn(Strict):
    """Only the fields sent change; `yearly_sample_limit: null` removes the limit."""

    therapeutic_area: Text | None = Field(default=None, min_length=1, max_length=100)
    yearly_sample_limit: Limit = None
    active: bool | None = None


class ProductOut(BaseModel):
    id: str
    name: str
    therapeutic_area: str
    yearly_sample_limit: int | None
    active: bool
    territories: list[str]


class KeyMessageIn(Strict):
    code: Text = Field(min_length=1, max_length=64)
    title: Text = Field(min_length=1, max_length=300)
    topic: str = Field(default="", max_length=100)


class KeyMessageOut(BaseModel):
    id: str
    product_id: str
    position: int
    code: str
    title: str
    topic: str


class AreaOut(BaseModel):
    therapeutic_area: str
    products: list[str]
    msl_coverages: int


class AreaRenameIn(Strict):
    old: Text = Field(min_length=1, max_length=100)
    new: Text = Field(min_length=1, max_length=100)


class ChangedOut(BaseModel):
    changed: bool


class PasswordIn(Strict):
    password: str = Field(min_length=MIN_PASSWORD_LENGTH, max_length=1024)


class RevokedOut(BaseModel):
    revoked: int


def _product(product: Product, territories: list[str]) -> dict[str, object]:
    return {"id": product.id, "name": product.name,
            "therapeutic_area": product.therapeutic_area,
            "yearly_sample_limit": product.yearly_sample_limit, "active": product.active,
            "territories": territories}


def _key_message(m: KeyMessage) -> dict[str, object]:
    return {"id": m.id, "product_id": m.product_id, "position": m.position, "code": m.code,
            "title": m.title, "topic": m.topic}


def _territories_of(session: Session, product: Product) -> list[str]:
    return next(codes for p, codes in catalog.list_products(session) if p.id == product.id)


@router.get("/products", response_model=list[ProductOut], responses=ERRORS)
def products(_admin: Admin, db: Db) -> FastJSON:
    """Every product with its limit and the territories promoting it."""
    with db.reading() as session:
        return FastJSON([_product(p, codes) for p, codes in catalog.list_products(session)])


@router.post("/products", response_model=ProductOut, status_code=201, responses=_ANSWERS)
def add_product(body: ProductIn, _admin: Admin, db: Db) -> FastJSON:
    """Add a product (promoted nowhere yet: see PUT /territories/{code}/products/{product})."""
    return FastJSON(_write(db, lambda s: _product(catalog.add_product(
        s, body.name, body.therapeutic_area, body.yearly_sample_limit), [])), status_code=201)


@router.patch("/products/{product}", response_model=ProductOut, responses=_ANSWERS)
def change_product(product: Name, body: ProductChangeIn, _admin: Admin, db: Db) -> FastJSON:
    """Change a product's therapeutic area, yearly sample limit or active flag."""
    sent = body.model_fields_set
    change = catalog.ProductChange(
        area=body.therapeutic_area, sample_limit=body.yearly_sample_limit,
        clear_limit="yearly_sample_limit" in sent and body.yearly_sample_limit is None,
        active=body.active)

    def work(session: Session) -> dict[str, object]:
        row = catalog.change_product(session, product, change)
        return _product(row, _territories_of(session, row))

    return FastJSON(_write(db, work))


@router.get("/products/{product}/key-messages", response_model=list[KeyMessageOut],
            responses=_ANSWERS)
def key_messages(product: Name, _admin: Admin, db: Db) -> FastJSON:
    with _refusals(), db.reading() as session:
        return FastJSON([_key_message(m) for m in catalog.list_key_messages(session, product)])


@router.post("/products/{product}/key-messages", response_model=KeyMessageOut,
             status_code=201, responses=_ANSWERS)
def add_key_message(product: Name, body: KeyMessageIn, _admin: Admin, db: Db) -> FastJSON:
    """Add a key message; slides already naming its code are linked to it."""
    return FastJSON(_write(db, lambda s: _key_message(catalog.add_key_message(
        s, product, body.code, body.title, body.topic))), status_code=201)


@router.delete("/products/{product}/key-messages/{code}", response_model=KeyMessageOut,
               responses=_ANSWERS)
def retire_key_message(product: Name, code: Code, _admin: Admin, db: Db) -> FastJSON:
    """Retire a key message: laptops stop offering it."""
    return FastJSON(_write(db, lambda s: _key_message(
        catalog.retire_key_message(s, product, code))))


@router.get("/areas", response_model=list[AreaOut], responses=ERRORS)
def areas(_admin: Admin, db: Db) -> FastJSON:
    """Therapeutic areas: their products and how many MSL coverages name them."""
    with db.reading() as session:
        return FastJSON([{"therapeutic_area": a, "products": p, "msl_coverages": c}
                         for a, p, c in catalog.list_areas(session)])


@router.post("/areas/rename", response_model=ChangedOut, responses=_ANSWERS)
def rename_area(body: AreaRenameIn, _admin: Admin, db: Db) -> FastJSON:
    """Rename an area on its products and in the MSLs' coverage."""
    _write(db, lambda s: catalog.rename_area(s, body.old, body.new))
    return FastJSON({"changed": True})


@router.put("/territories/{code}/products/{product}", response_model=ChangedOut,
            responses=_ANSWERS)
def promote(code: Code, product: Name, _admin: Admin, db: Db) -> FastJSON:
    """Let the territory promote the product; `changed` is false if it did already."""
    return FastJSON({"changed": _write(db, lambda s: catalog.promote(s, code, product))})


@router.delete("/territories/{code}/products/{product}", response_model=ChangedOut,
               responses=_ANSWERS)
def unpromote(code: Code, product: Name, _admin: Admin, db: Db) -> FastJSON:
    """Stop the territory promoting the product."""
    return FastJSON({"changed": _write(db, lambda s: catalog.unpromote(s, code, product))})


@router.put("/territories/{code}/users/{username}", response_model=ChangedOut,
            responses=_ANSWERS)
def assign(code: Code, username: Name, _admin: Admin, db: Db) -> FastJSON:
    """Give the user the territory."""
    return FastJSON({"changed": _write(db, lambda s: assign_territory(s, username, code))})


@router.delete("/territories/{code}/users/{username}", response_model=ChangedOut,
               responses=_ANSWERS)
def unassign(code: Code, username: Name, _admin: Admin, db: Db) -> FastJSON:
    """Take the territory from the user; their laptop drops its accounts at the next sync."""
    return FastJSON({"changed": _write(db, lambda s: unassign_territory(s, username, code))})


@router.post("/users/{username}/password", response_model=RevokedOut, responses=_ANSWERS)
def set_password(username: Name, body: PasswordIn, _admin: Admin, db: Db) -> FastJSON:
    """Set a new password; every session the user holds ends."""
    return FastJSON({"revoked": _write(db, lambda s: reset_password(s, username,
                                                                    body.password))})


@router.post("/users/{username}/enable", response_model=ChangedOut, responses=_ANSWERS)
def enable(username: Name, _admin: Admin, db: Db) -> FastJSON:
    """Let a disabled user log in again."""
    return FastJSON({"changed": _write(db, lambda s: enable_user(s, username))})
