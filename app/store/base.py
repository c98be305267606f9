"""The declarative base every local table derives from, and the columns synced rows share.

The constraint names, the synced columns and the enums are the ones the server's store uses
too (`app.synced_columns`, `app.contract`): declared once, read by both.
"""

from __future__ import annotations

from typing import ClassVar

from sqlalchemy import MetaData
from sqlalchemy.orm import DeclarativeBase

from app.contract import AccountKind, CallStatus, Channel, ConsentState, Role, TaskStatus
from app.synced_columns import NAMING_CONVENTION, SyncedColumns, utcnow

__all__ = ["AccountKind", "Base", "CallStatus", "Channel", "ConsentState", "Role", "Synced",
           "TaskStatus", "utcnow"]


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING_CONVENTION)


class Synced(SyncedColumns):
    """A synced row on the laptop: its version is the one last acknowledged, and its
    tables carry database defaults (pulled rows are written with Core statements)."""

    database_defaults: ClassVar[bool] = True
