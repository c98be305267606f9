"""Approved e-mail on the laptop: the templates the server publishes (read only here) and the
e-mails the rep sent, each a part of a submitted call of channel e-mail (docs/email.md).

Why a part of a call and not an entity of its own: an e-mail is a contact the history, the
engine's counts and the contact cap already read as a call of channel e-mail; the call's lock
and the server's compliance check on submit (e-mail consent) hold for it unchanged. The part
adds only what a call cannot say: which template, which wording, the rep's paragraph, the
address it went to.
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import CheckConstraint, Date, ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from app.store.base import Base, Synced


class EmailTemplate(Synced, Base):
    __tablename__ = "email_templates"
    __table_args__ = (
        CheckConstraint("approval_state IN ('draft', 'approved', 'withdrawn')",
                        name="approval_state"),
    )

    code: Mapped[str] = mapped_column(String(100))
    product_id: Mapped[str] = mapped_column(ForeignKey("products.id"), index=True)
    topic: Mapped[str] = mapped_column(String(100))
    subject: Mapped[str] = mapped_column(String(300))
    body: Mapped[str] = mapped_column(Text)
    variants: Mapped[str | None] = mapped_column(Text)  # JSON {persona: body}
    valid_from: Mapped[dt.date | None] = mapped_column(Date)
    valid_until: Mapped[dt.date | None] = mapped_column(Date)
    approval_state: Mapped[str] = mapped_column(String(16))


class Email(Synced, Base):
    __tablename__ = "emails"

    interaction_id: Mapped[str] = mapped_column(ForeignKey("interactions.id"), index=True)
    account_id: Mapped[str] = mapped_column(ForeignKey("accounts.id"), index=True)
    template_id: Mapped[str] = mapped_column(String(36))
    variant: Mapped[str | None] = mapped_column(String(32))
    paragraph: Mapped[str | None] = mapped_column(Text)
    to_address: Mapped[str] = mapped_column(String(320))
