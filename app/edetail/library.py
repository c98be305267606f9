"""The content library as plain values: what is on this laptop and whether it may be shown.

For the library screen (thumbnails by product, approval state and validity): expired or
withdrawn content is listed, marked, and may be previewed, but `start_session` refuses to
present it in a call. One query, no Qt.

A deck imported on this laptop (not sent by the server: its version is still 0) is a *local
preview*. Content shown to doctors must be approved centrally, and the server has never seen
this deck, so what presenting it captures stays on this laptop (app/store/outbox.py) and the
rep is told so before presenting (docs/content.md, "Local previews").
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from enum import StrEnum

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from app.content_format.blobs import ContentStore
from app.edetail.capture import presentable_problem
from app.edetail.package import files_present
from app.i18n import tr
from app.store.content import ApprovalState, Presentation, Slide
from app.store.reference import Product


class Availability(StrEnum):
    PRESENTABLE = "presentable"
    DRAFT = "draft"
    WITHDRAWN = "withdrawn"
    NOT_YET_VALID = "not_yet_valid"
    EXPIRED = "expired"
    NOT_ON_LAPTOP = "not_on_laptop"  # the rows came with sync, the files not yet


@dataclass(frozen=True)
class LibraryItem:
    presentation_id: str
    title: str
    version: str
    product_id: str
    product_name: str
    valid_from: dt.date | None
    valid_until: dt.date | None
    availability: Availability
    reason: str | None  # why it may not be presented, for the rep; None when it may
    slides: int
    cover_sha256: str | None  # the first slide's thumbnail
    on_laptop: bool = True  # its files are here (preview needs them too)
    local_preview: bool = False  # imported here, never sent by the server


def is_local_preview(presentation: Presentation) -> bool:
    """Imported on this laptop: the server never sent it (no server version yet)."""
    return presentation.version == 0


def local_preview_text(title: str) -> str:
    """What the rep is told before presenting a local preview."""
    return tr("“{title}” was imported on this laptop and is not approved centrally. It can "
              "be presented as a local preview: what it records stays on this laptop and is "
              "not sent to the server. To present it officially, ask for it to be added to "
              "the server's content.", title=title)


def availability(presentation: Presentation, today: dt.date) -> Availability:
    if presentation.approval_state == ApprovalState.WITHDRAWN or presentation.deleted:
        return Availability.WITHDRAWN
    if presentation.approval_state != ApprovalState.APPROVED:
        return Availability.DRAFT
    if presentation.valid_from is not None and today < presentation.valid_from:
        return Availability.NOT_YET_VALID
    if presentation.valid_until is not None and today > presentation.valid_until:
        return Availability.EXPIRED
    return Availability.PRESENTABLE


def list_presentations(session: Session, today: dt.date, *,
                       product_id: str | None = None,
                       store: ContentStore | None = None) -> list[LibraryItem]:
    """Every presentation on this laptop (not deleted), by product name and title.

    With `store`, content whose files have not arrived yet (content sync downloads them
    after the rows) is marked NOT_ON_LAPTOP, unless withdrawn (its files are removed).
    """
    slide_count = (select(Slide.presentation_id, func.count().label("n"))
                   .where(Slide.deleted.is_(False)).group_by(Slide.presentation_id).subquery())
    cover = (select(Slide.presentation_id, Slide.thumbnail_sha256)
             .where(Slide.position == 1, Slide.deleted.is_(False)).subquery())
    query = (select(Presentation, Product.name, slide_count.c.n, cover.c.thumbnail_sha256)
             .join(Product, Product.id == Presentation.product_id)
             .outerjoin(slide_count, slide_count.c.presentation_id == Presentation.id)
             .outerjoin(cover, cover.c.presentation_id == Presentation.id)
             .where(Presentation.deleted.is_(False))
             .order_by(Product.name, Presentation.title, Presentation.content_version))
    if product_id is not None:
        query = query.where(Presentation.product_id == product_id)
    items = []
    for presentation, product_name, count, cover_sha in session.execute(query):
        state = availability(presentation, today)
        reason = presentable_problem(presentation, today)
        on_laptop = store is None or files_present(store, presentation)
        if not on_laptop and state is not Availability.WITHDRAWN:
            state = Availability.NOT_ON_LAPTOP
            reason = tr("“{title}” is not on this laptop yet; it arrives with the next "
                        "sync.", title=presentation.title)
        items.append(LibraryItem(
            presentation_id=presentation.id, title=presentation.title,
            version=presentation.content_version, product_id=presentation.product_id,
            product_name=product_name, valid_from=presentation.valid_from,
            valid_until=presentation.valid_until,
            availability=state, reason=reason, slides=count or 0,
            cover_sha256=cover_sha, on_laptop=on_laptop,
            local_preview=is_local_preview(presentation)))
    return items


def product_choices(session: Session) -> list[tuple[str, str]]:
    """(id, name) of the products content can be for, by name: for an import dialog."""
    return [(pid, name) for pid, name in session.execute(
        select(Product.id, Product.name).where(Product.deleted.is_(False))
        .order_by(Product.name))]
