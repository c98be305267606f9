"""Reference data the rep works with: territories, users, specialties, products."""

from __future__ import annotations

from sqlalchemy import Boolean, ForeignKey, Integer, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.store.base import Base, Synced


class Territory(Synced, Base):
    __tablename__ = "territories"

    code: Mapped[str] = mapped_column(String(32), unique=True)
    name: Mapped[str] = mapped_column(String(200))

    products: Mapped[list[TerritoryProduct]] = relationship(back_populates="territory")


class User(Synced, Base):
    __tablename__ = "users"

    username: Mapped[str] = mapped_column(String(100), unique=True)
    display_name: Mapped[str] = mapped_column(String(200))
    role: Mapped[str] = mapped_column(String(16))  # base.Role
    email: Mapped[str | None] = mapped_column(String(200))
    territory_id: Mapped[str | None] = mapped_column(ForeignKey("territories.id"), index=True)


class Specialty(Synced, Base):
    __tablename__ = "specialties"

    code: Mapped[str] = mapped_column(String(32), unique=True)
    name_en: Mapped[str] = mapped_column(String(200))
    name_de: Mapped[str] = mapped_column(String(200))


class Product(Synced, Base):
    __tablename__ = "products"

    name: Mapped[str] = mapped_column(String(200), unique=True)
    therapeutic_area: Mapped[str] = mapped_column(String(100))
    # Samples of this product one account may receive per calendar year (None: no samples).
    yearly_sample_limit: Mapped[int | None] = mapped_column(Integer)
    active: Mapped[bool] = mapped_column(Boolean, default=True)

    key_messages: Mapped[list[KeyMessage]] = relationship(
        back_populates="product", order_by="KeyMessage.position"
    )


class KeyMessage(Synced, Base):
    __tablename__ = "key_messages"

    product_id: Mapped[str] = mapped_column(ForeignKey("products.id"), index=True)
    position: Mapped[int] = mapped_column(Integer, default=0)
    code: Mapped[str] = mapped_column(String(64))
    title: Mapped[str] = mapped_column(String(300))
    topic: Mapped[str] = mapped_column(String(100))

    product: Mapped[Product] = relationship(back_populates="key_messages")


class TerritoryProduct(Synced, Base):
    """A product the reps of a territory may promote (HWG: nothing else may be detailed)."""

    __tablename__ = "territory_products"
    __table_args__ = (UniqueConstraint("territory_id", "product_id"),)

    territory_id: Mapped[str] = mapped_column(ForeignKey("territories.id"))
    product_id: Mapped[str] = mapped_column(ForeignKey("products.id"))

    territory: Mapped[Territory] = relationship(back_populates="products")
    product: Mapped[Product] = relationship()
