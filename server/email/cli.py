"""`fieldrep-server email-template ...` and `fieldrep-server email ...` (docs/email.md).

    fieldrep-server email-template add renal-study --product Cardiozan --topic efficacy \
        --subject "New renal data" --body body.txt --variant evidence_driven=evidence.txt \
        --valid-from 2026-01-01 --valid-until 2026-12-31
    fieldrep-server email-template approve renal-study --by admin
    fieldrep-server email-template withdraw renal-study --by admin
    fieldrep-server email-template list
    fieldrep-server email list        # the send queue: sent, bounced, opened, clicked
    fieldrep-server email deliver     # send what is due now (serve does it by itself)
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
from pathlib import Path

from server.config import Settings
from server.db import Database
from server.email import outbox, templates
from server.email.templates import TemplateError


def add_parser(sub: argparse._SubParsersAction) -> None:
    et = sub.add_parser("email-template", help="add, approve, withdraw or list e-mail templates",
                        description="Approved e-mail templates (docs/email.md).")
    esub = et.add_subparsers(dest="template_command", required=True, metavar="ACTION")
    add = esub.add_parser("add", help="add a draft template",
                          description="Add a draft; laptops get it once approved.")
    add.add_argument("code")
    add.add_argument("--product", required=True, help="the product's name or id")
    add.add_argument("--topic", required=True)
    add.add_argument("--subject", required=True)
    add.add_argument("--body", required=True, type=Path, help="a UTF-8 text file")
    add.add_argument("--variant", action="append", default=[], metavar="PERSONA=FILE",
                     help="persona-specific wording (repeatable)")
    add.add_argument("--valid-from", type=dt.date.fromisoformat)
    add.add_argument("--valid-until", type=dt.date.fromisoformat)
    for name in ("approve", "withdraw"):
        p = esub.add_parser(name, help=f"{name} a template (audited)")
        p.add_argument("code")
        p.add_argument("--by", required=True, metavar="ADMIN",
                       help="the admin who decides (written to the audit log)")
    esub.add_parser("list", help="list templates (JSON lines)")
    em = sub.add_parser("email", help="the e-mail send queue",
                        description="E-mails reps sent: queue, delivery, tracking.")
    msub = em.add_subparsers(dest="email_command", required=True, metavar="ACTION")
    msub.add_parser("list", help="list e-mails and their state (JSON lines)")
    msub.add_parser("deliver", help="send what is due now")


def run(args: argparse.Namespace, db: Database, settings: Settings) -> int:
    """Raises TemplateError (a DirectoryError) for the caller to print."""
    if args.command == "email":
        if args.email_command == "deliver":
            print(json.dumps(outbox.deliver_due(db, settings)))
        else:
            with db.reading() as session:
                for item in outbox.listing(session):
                    print(json.dumps(item, ensure_ascii=False))
        return 0
    command = args.template_command
    if command == "add":
        variants = {}
        for spec in args.variant:
            persona, _, file = spec.partition("=")
            if not persona or not file:
                raise TemplateError(f"--variant {spec!r}: write PERSONA=FILE")
            variants[persona.strip()] = _read(Path(file))
        with db.writing() as session:
            row = templates.add(session, args.code, product=args.product, topic=args.topic,
                                subject=args.subject, body=_read(args.body),
                                variants=variants, valid_from=args.valid_from,
                                valid_until=args.valid_until)
            print(json.dumps({"id": row.id, "code": row.code, "approval_state": "draft"}))
    elif command in ("approve", "withdraw"):
        state = "approved" if command == "approve" else "withdrawn"
        with db.writing() as session:
            row = templates.set_state(session, args.code, state, args.by)
            print(json.dumps({"id": row.id, "code": row.code,
                              "approval_state": row.approval_state}))
    else:
        with db.reading() as session:
            for template in templates.listing(session):
                print(json.dumps(template.to_dict(), ensure_ascii=False))
    return 0


def _read(path: Path) -> str:
    try:
        return path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise TemplateError(f"{path}: {exc}") from None
