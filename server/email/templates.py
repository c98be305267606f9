"""E-mail templates as server content: added as drafts, approved or withdrawn by an admin
(audited, as decks are in server/content.py), valid between two dates. Drafts never leave the
server (server/sync/scoping.py); the laptops pull approved and withdrawn ones read only."""

from __future__ import annotations

import datetime as dt
import json
import re
from collections.abc import Mapping
from dataclasses import asdict, dataclass

from sqlalchemy import false, or_, select
from sqlalchemy.orm import Session

from app.content_format.email import APPROVED, PARAGRAPH, Template
from app.synced_columns import utcnow
from server.content import ContentAdminError, approver
from server.db import next_versions
from server.directory import DirectoryError
from server.models import AuditEntry, EmailTemplate, Product

#: What a template may name, filled from the account (app/content_format/email.py).
PLACEHOLDERS = frozenset({"{salutation}", "{title}", "{first_name}", "{last_name}", "{name}",
                          PARAGRAPH})
_PLACEHOLDER = re.compile(r"\{[a-z_]*\}")
_NEXT = {"draft": {"approved", "withdrawn"}, "approved": {"withdrawn"}, "withdrawn": set()}


class TemplateError(DirectoryError):
    """A template request the server refuses, in words for the admin."""


@dataclass(frozen=True)
class TemplateItem:
    id: str
    code: str
    product: str
    topic: str
    subject: str
    approval_state: str
    valid_from: str | None
    valid_until: str | None
    variants: list[str]

    def to_dict(self) -> dict[str, object]:
        return asdict(self)


def as_template(row: EmailTemplate) -> Template:
    return Template(row.id, row.code, row.subject, row.body, row.variants, row.valid_from,
                    row.valid_until, row.approval_state)


def _check_text(where: str, text: str) -> None:
    unknown = sorted(set(_PLACEHOLDER.findall(text)) - PLACEHOLDERS)
    if unknown:
        raise TemplateError(f"{where}: unknown placeholder(s) {', '.join(unknown)}; known: "
                            f"{', '.join(sorted(PLACEHOLDERS))}")
    if text.count(PARAGRAPH) > 1:
        raise TemplateError(f"{where}: at most one {PARAGRAPH} slot")


def add(session: Session, code: str, *, product: str, topic: str, subject: str, body: str,
        variants: Mapping[str, str] | None = None, valid_from: dt.date | None = None,
        valid_until: dt.date | None = None) -> EmailTemplate:
    """A new draft template; nothing reaches a laptop until it is approved."""
    code = code.strip()
    if not code or not subject.strip() or not body.strip() or not topic.strip():
        raise TemplateError("a template needs a code, a topic, a subject and a body")
    if len(code) > 100 or len(subject) > 300 or len(topic) > 100:
        raise TemplateError("code and topic are at most 100 characters, the subject 300")
    if valid_from and valid_until and valid_until < valid_from:
        raise TemplateError("valid until lies before valid from")
    found = session.scalars(select(Product).where(
        or_(Product.id == product, Product.name == product), Product.deleted == false())).first()
    if found is None:
        raise TemplateError(f"unknown product {product!r}: import it first")
    _check_text("subject", subject)
    _check_text("body", body)
    for persona, text in (variants or {}).items():
        _check_text(f"variant {persona}", text)
    if session.scalar(select(EmailTemplate.id).where(EmailTemplate.code == code)):
        raise TemplateError(f"a template {code!r} exists: add a new code for a new text "
                            "(an approved text never changes)")
    row = EmailTemplate(code=code, product_id=found.id, topic=topic.strip(),
                        subject=subject.strip(), body=body, approval_state="draft",
                        variants=json.dumps(dict(variants)) if variants else None,
                        valid_from=valid_from, valid_until=valid_until,
                        version=next_versions(session))
    session.add(row)
    session.flush()
    return row


def find(session: Session, ref: str) -> EmailTemplate:
    row = session.scalars(select(EmailTemplate).where(
        or_(EmailTemplate.id == ref, EmailTemplate.code == ref))).first()
    if row is None:
        raise TemplateError(f"no e-mail template {ref!r}")
    return row


def set_state(session: Session, ref: str, state: str, by: str) -> EmailTemplate:
    """Approve or withdraw as the admin `by`, audited; the next pull carries it to laptops."""
    try:
        admin = approver(session, by)
    except ContentAdminError as exc:
        raise TemplateError(str(exc)) from None
    row = find(session, ref)
    if row.approval_state == state:
        return row
    if state not in _NEXT.get(row.approval_state, set()):
        raise TemplateError(f"{row.code} is {row.approval_state}: it cannot become {state}")
    before, version = row.approval_state, next_versions(session)
    row.approval_state, row.version, row.updated_at = state, version, utcnow()
    session.add(AuditEntry(at=utcnow(), user_id=admin.id, action=f"email_template.{state}",
                           entity="email_templates", row_id=row.id, version=version,
                           details=json.dumps({"from": before, "to": state,
                                               "code": row.code})))
    return row


def listing(session: Session) -> list[TemplateItem]:
    names = {pid: name for pid, name in session.execute(select(Product.id, Product.name))}
    return [TemplateItem(r.id, r.code, names.get(r.product_id, r.product_id), r.topic,
                         r.subject, r.approval_state,
                         r.valid_from.isoformat() if r.valid_from else None,
                         r.valid_until.isoformat() if r.valid_until else None,
                         sorted(as_template(r).variant_bodies()))
            for r in session.scalars(select(EmailTemplate).order_by(EmailTemplate.code))]


__all__ = ["APPROVED", "TemplateError", "add", "as_template", "find", "listing", "set_state"]
