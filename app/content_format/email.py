"""Approved e-mail templates: how a template becomes the text a doctor gets, and the rules an
e-mail must meet, the same on the laptop and on the server (docs/email.md).

The laptop's compose dialog shows the text `render` makes; the server renders the very same
text from the same template, account and the rep's paragraph before it sends, and refuses
with `check_email`'s sentences what the laptop refuses. So both sides read this one module,
which sits beside the content package format below the store (the import-linter contracts
in pyproject.toml) and imports nothing of the client's store, services or UI.

A template's body is plain text with placeholders filled from the account: `{salutation}`
(by the doctor's language), `{title}`, `{first_name}`, `{last_name}`, `{name}`, and at most one
`{paragraph}`: the one place a rep may add words of their own (no links, at most
`PARAGRAPH_MAX` characters). The links a template holds are the only ones an e-mail may
carry: the server's click tracking redirects to those and nowhere else. `variants` maps a
persona to another body (persona-specific wording); a rep's e-mail names the one it used.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from collections.abc import Mapping
from dataclasses import dataclass

from app.i18n import tr

APPROVED = "approved"
PARAGRAPH = "{paragraph}"
PARAGRAPH_MAX = 600
#: Contacts of any channel an account may have had in the `CAP_DAYS` up to an e-mail, the
#: e-mail not counted: a doctor flooded with contacts stops reading (the engine's guard
#: counts the same way for suggestions; this one holds for what a rep actually sends).
CONTACT_CAP = 8
CAP_DAYS = 30
#: A link in a template: http(s) up to whitespace or a closing bracket or quote.
LINK = re.compile(r"https?://[^\s<>\"')\]]+")
#: Anything in a rep's paragraph that could carry a reader elsewhere.
_LINKISH = re.compile(r"(https?://|www\.|\S+@\S+\.\S+|\w+\.(com|de|org|net|io|info)\b)",
                      re.IGNORECASE)


@dataclass(frozen=True)
class Template:
    """An e-mail template as either store holds it."""

    id: str
    code: str
    subject: str
    body: str
    variants: str | None  # JSON {persona: body}
    valid_from: dt.date | None
    valid_until: dt.date | None
    approval_state: str

    def variant_bodies(self) -> dict[str, str]:
        try:
            parsed = json.loads(self.variants or "{}")
        except ValueError:
            return {}
        if not isinstance(parsed, dict):
            return {}
        return {str(k): v for k, v in parsed.items() if isinstance(v, str)}

    def body_for(self, variant: str | None) -> str | None:
        """The body of `variant` (None: the default wording); None for an unknown one."""
        if not variant:
            return self.body
        return self.variant_bodies().get(variant)

    def has_slot(self, variant: str | None = None) -> bool:
        return PARAGRAPH in (self.body_for(variant) or "")

    def links(self, variant: str | None = None) -> list[str]:
        """The links of the wording, in order: the only targets its e-mails may lead to."""
        return list(dict.fromkeys(LINK.findall(self.body_for(variant) or "")))

    def usable_on(self, day: dt.date) -> bool:
        return self.approval_state == APPROVED and \
            (self.valid_from is None or self.valid_from <= day) and \
            (self.valid_until is None or day <= self.valid_until)


@dataclass(frozen=True)
class Recipient:
    """The account fields a template may name."""

    name: str
    title: str | None = None
    first_name: str | None = None
    last_name: str | None = None
    language: str | None = None
    email: str | None = None


@dataclass(frozen=True)
class Rendered:
    subject: str
    text: str
    links: tuple[str, ...]


def salutation(to: Recipient) -> str:
    """"Dear Dr. Müller," in the doctor's language (German doctors: "Guten Tag")."""
    who = " ".join(p for p in (to.title, to.last_name) if p) or to.name
    return f"Guten Tag {who}," if (to.language or "").lower().startswith("de") \
        else f"Dear {who},"


def render(template: Template, to: Recipient, variant: str | None = None,
           paragraph: str = "") -> Rendered:
    """The exact subject and text the doctor gets (before the server's tracking links)."""
    body = template.body_for(variant) or template.body
    values = {"{salutation}": salutation(to), "{title}": to.title or "",
              "{first_name}": to.first_name or "", "{last_name}": to.last_name or "",
              "{name}": to.name, PARAGRAPH: paragraph.strip()}
    text, subject = body, template.subject
    for key, value in values.items():
        text, subject = text.replace(key, value), subject.replace(key, value)
    # An empty slot leaves no blank lines behind.
    text = re.sub(r"\n{3,}", "\n\n", text).strip() + "\n"
    return Rendered(subject.strip(), text, tuple(template.links(variant)))


@dataclass(frozen=True)
class EmailFacts:
    """An e-mail about to be sent, as plain values read from either store."""

    account_name: str
    template: Template | None
    variant: str | None
    paragraph: str
    day: dt.date
    email_consent_granted: bool
    to_address: str | None
    #: Contacts of any channel in the `CAP_DAYS` up to `day`, this e-mail not counted.
    recent_contacts: int


def consent_sentence(name: str) -> str:
    """app.compliance's own sentence for a call of channel e-mail without consent."""
    return tr("{name} has not consented to e-mail. Record the consent first, or choose "
              "another channel.", name=name)


def check_email(facts: EmailFacts) -> dict[str, str]:
    """Per compose field, the sentence of the rule the e-mail breaks; empty: it may go."""
    errors: dict[str, str] = {}
    t = facts.template
    if not facts.email_consent_granted:
        errors["consent"] = consent_sentence(facts.account_name)
    if not facts.to_address or "@" not in facts.to_address:
        errors["to"] = tr("{name} has no e-mail address: record one first.",
                          name=facts.account_name)
    if t is None or t.approval_state != APPROVED:
        errors["template"] = tr("This e-mail template is not approved: it cannot be sent.")
    elif not t.usable_on(facts.day):
        errors["template"] = tr(
            "This e-mail template is not valid on {day} (valid {start} to {end}): it cannot "
            "be sent.", day=facts.day.isoformat(),
            start=t.valid_from.isoformat() if t.valid_from else "…",
            end=t.valid_until.isoformat() if t.valid_until else "…")
    elif t.body_for(facts.variant) is None:
        errors["variant"] = tr("This template has no wording for {variant}.",
                               variant=facts.variant or "")
    paragraph = facts.paragraph.strip()
    if paragraph and t is not None and not t.has_slot(facts.variant):
        errors["paragraph"] = tr("This template allows no text of your own.")
    elif len(paragraph) > PARAGRAPH_MAX:
        errors["paragraph"] = tr("Your paragraph may have at most {n} characters.",
                                 n=PARAGRAPH_MAX)
    elif _LINKISH.search(paragraph):
        errors["paragraph"] = tr("Your paragraph may not contain links or addresses: only "
                                 "the template's links are sent.")
    if facts.recent_contacts + 1 > CONTACT_CAP:
        errors["cap"] = tr(
            "{name} had {count} contacts in the last {days} days: the cap is {cap}. Send "
            "the e-mail later.", name=facts.account_name, count=facts.recent_contacts,
            days=CAP_DAYS, cap=CONTACT_CAP)
    return errors


def refusal(errors: Mapping[str, str]) -> str:
    """The sentences as one reason (the server's answer to a refused push)."""
    return " ".join(dict.fromkeys(errors.values()))
