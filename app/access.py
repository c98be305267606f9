"""Who may do what with each synced entity: the one declaration of write scope.

Beside the wire contract (`app.contract`), read by the server's push (server/sync/authorise.py)
and by the tests that try to cross it. The columns that reference accounts are the
contract's (`Entity.refs`: the pull scope follows them too); here, for every entity, which
column names the row's owner or author, and what each role may do: read, write (change a
stored row), create.

The rule the server applies from it (docs/architecture.md, "Design rules"): a mutation is
applied only when every account the row references, before and after the change, is in the
caller's *write* scope. Write scope is narrower than read scope on purpose: an institution a
rep reads because one of their doctors works there is not theirs to change, and an affiliation
cannot widen what a rep may write. `tests/test_access.py` fails, naming the entity, when an
entity of the contract has no declaration here.

Imports only the contract, so the server can read it without the client's store.
"""

from __future__ import annotations

import enum
from collections.abc import Mapping
from dataclasses import dataclass

from app.contract import ENTITIES, Merge, Role

ROLES = tuple(r.value for r in Role)


class Right(enum.Flag):
    NONE = 0
    READ = enum.auto()
    WRITE = enum.auto()  # change (or delete) a row that exists
    CREATE = enum.auto()


R = Right.READ
RC = Right.READ | Right.CREATE
RW = Right.READ | Right.WRITE
RWC = Right.READ | Right.WRITE | Right.CREATE


@dataclass(frozen=True)
class Access:
    rights: Mapping[str, Right]
    #: The column naming the user a row belongs to: it must be the caller on a new row and on
    #: the stored row a change replaces (nobody writes another user's calls or tasks).
    owner: str | None = None
    #: The column naming who created the row: the caller on a new row, never changed after.
    author: str | None = None
    #: Columns fixed once the row exists (an answer stays the answer to its inquiry).
    fixed: tuple[str, ...] = ()
    #: The column placing the row in a territory: a new row goes into one of the caller's
    #: territories; moving it to another is master data, done on the server by an admin.
    territory: str | None = None
    #: (entity column, row id column) of a row this one is about (audit entries): that row
    #: must exist and be in the caller's write scope.
    about: tuple[str, str] | None = None


def _rights(rep: Right = R, msl: Right = R, manager: Right = R,
            admin: Right = Right.NONE, steward: Right = Right.NONE) -> Mapping[str, Right]:
    # A data steward decides change requests through the server's API, never through sync.
    return {"rep": rep, "msl": msl, "manager": manager, "admin": admin, "steward": steward}


#: Master data, content and rules: every field role reads them, nobody pushes them.
_REFERENCE = Access(_rights())

ACCESS: dict[str, Access] = {
    "territories": _REFERENCE,
    "users": _REFERENCE,
    "specialties": _REFERENCE,
    "products": _REFERENCE,
    "key_messages": _REFERENCE,
    "territory_products": _REFERENCE,
    "presentations": _REFERENCE,
    "slides": _REFERENCE,
    "rule_sets": _REFERENCE,
    # Sales figures are promotional: reps and their managers read them, MSLs never.
    "market_sales": Access(_rights(msl=Right.NONE)),
    # Cycle plans are promotional targets: the reps they set and their managers read them,
    # MSLs never; managers publish them on the server (server/cycle_plans.py), not by sync.
    "cycle_plans": Access(_rights(msl=Right.NONE)),
    # An MSL reads the accounts of the inquiries they hold, never changes master data.
    "accounts": Access(_rights(rep=RWC), territory="territory_id"),
    "addresses": Access(_rights(rep=RWC)),
    "external_ids": Access(_rights(rep=RWC)),
    "channel_consents": Access(_rights(rep=RWC)),
    "affiliations": Access(_rights(rep=RWC)),
    # An MSL records only a medical contact that happened (submitted): planned visits and
    # drafts are promotional, the reps' (server/sync/authorise.py).
    "interactions": Access(_rights(rep=RWC, msl=RWC), owner="owner_id"),
    # The promotional parts of a call are the rep's; an MSL's call has none.
    "attendees": Access(_rights(rep=RWC)),
    "discussed_products": Access(_rights(rep=RWC)),
    "discussed_key_messages": Access(_rights(rep=RWC)),
    "samples": Access(_rights(rep=RWC)),
    "tasks": Access(_rights(rep=RWC, msl=RWC), owner="owner_id"),
    "audit_log": Access(_rights(rep=RC, msl=RC), owner="user_id",
                        about=("entity", "row_id")),
    "presentation_sessions": Access(_rights(rep=RWC, msl=RWC), owner="user_id"),
    "slide_views": Access(_rights(rep=RWC, msl=RWC)),
    "clickstream_events": Access(_rights(rep=RWC, msl=RWC)),
    # A rep raises an inquiry; the MSL holding it moves it on (server/escalations/rules.py).
    "medical_inquiries": Access(_rights(rep=RC, msl=RW), author="raised_by",
                                fixed=("account_id", "call_id", "raised_by")),
    "medical_answers": Access(_rights(rep=Right.NONE, msl=RWC, manager=Right.NONE),
                              owner="author_id", fixed=("inquiry_id",)),
    # The owner of a suggestion is whom it addresses (a rep's engine may suggest an MSL
    # follow-up), so it is not an authorship column.
    "suggestions": Access(_rights(rep=RWC, msl=RWC)),
    # Outside systems post touchpoints through the integration API; no laptop writes them.
    "touchpoints": _REFERENCE,
    # A rep proposes master-data changes and may withdraw his own pending ones; the
    # steward decides on the server (server/change_requests.py).
    "change_requests": Access(_rights(rep=RWC), owner="requested_by",
                              fixed=("account_id", "territory_id", "kind", "changes")),
    "email_templates": _REFERENCE,
    # A rep sends an e-mail (a part of their submitted call); nobody changes one sent.
    "emails": Access(_rights(rep=RC)),
}


def missing() -> list[str]:
    """Entities of the contract without a declaration here (or with a role left out, or a
    column the entity does not have): what `tests/test_access.py` names."""
    problems: list[str] = []
    for name, entity in ENTITIES.items():
        access = ACCESS.get(name)
        if access is None:
            problems.append(f"{name}: no write-scope declaration in app/access.py")
            continue
        columns = {"id", *entity.fields}
        named = list(access.fixed) + [
            c for c in (access.owner, access.author, access.territory) if c] + list(
            access.about or ())
        problems += [f"{name}: {c} is not a field of {name}" for c in named if c not in columns]
        problems += [f"{name}: no rights for role {role}" for role in ROLES
                     if role not in access.rights]
        if entity.merge is not Merge.SERVER_OWNED and entity.parent is None \
                and not entity.refs and access.owner is None:
            problems.append(f"{name}: a pushed entity needs account references (refs, in "
                            "app/contract.py) or an owner")
    problems += [f"{name}: declared in app/access.py but not in the contract"
                 for name in ACCESS if name not in ENTITIES]
    return problems


def may(role: str, entity: str, right: Right) -> bool:
    return right in ACCESS[entity].rights.get(role, Right.NONE)
