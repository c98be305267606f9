"""The columns every synced row has, and the constraint names, for both databases.

The laptop's store (`app/store/base.py`) and the server's (`server/models.py`) declare the
contract's COMMON_FIELDS here once. They differ where their jobs differ, and say so through
the class variables: the server's `version` is its change sequence, a BIGINT indexed because
the pull pages by it; the laptop's is the version its row was last acknowledged at, and its
tables carry database defaults because the laptop also writes rows with plain SQL.

The naming convention gives every constraint a stable name: SQLite cannot alter a table in
place, so Alembic's batch mode recreates it, and it can only drop or change constraints that
have names.
"""

from __future__ import annotations

import datetime as dt
from typing import ClassVar

from sqlalchemy import BigInteger, Boolean, DateTime, Integer, String, func
from sqlalchemy.orm import Mapped, declared_attr, mapped_column

from app.ids import uuid7

NAMING_CONVENTION = {
    "ix": "ix_%(table_name)s_%(column_0_N_name)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


def utcnow() -> dt.datetime:
    """Naive UTC now: SQLite has no time zones, so both databases store UTC by convention."""
    return dt.datetime.now(dt.UTC).replace(tzinfo=None)


class SyncedColumns:
    """Columns of every row that travels through sync (`app.contract.COMMON_FIELDS`).

    `id` is made where the row is created (UUIDv7), `version` is the server's change sequence
    for the row (0 = never acknowledged by a server), `deleted` is the tombstone: synced rows
    are never hard-deleted while a replica may still hold them.
    """

    #: The server's change sequence: 64 bits (the pull pages by it, through the index on
    #: `(version, id)` the server declares per table: server/models.py, `_page_order`).
    change_sequence: ClassVar[bool] = False
    #: Defaults in the table's DDL, for rows written with plain SQL.
    database_defaults: ClassVar[bool] = False

    id: Mapped[str] = mapped_column(String(36), primary_key=True, default=uuid7)

    @declared_attr
    def version(cls) -> Mapped[int]:  # noqa: N805 - declared on the mapped class
        return mapped_column(BigInteger if cls.change_sequence else Integer, default=0,
                             server_default="0" if cls.database_defaults else None)

    @declared_attr
    def updated_at(cls) -> Mapped[dt.datetime]:  # noqa: N805
        return mapped_column(DateTime, default=utcnow, onupdate=utcnow,
                             server_default=func.current_timestamp()
                             if cls.database_defaults else None)

    @declared_attr
    def deleted(cls) -> Mapped[bool]:  # noqa: N805
        return mapped_column(Boolean, default=False,
                             server_default="0" if cls.database_defaults else None)
