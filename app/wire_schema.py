"""The sync protocol's messages as types: one definition both sides validate with.

The server declares its push and pull endpoints with these (their OpenAPI description and
the request body it accepts); the laptop checks every push answer and pull page against
them before anything is written (a malformed reply changes nothing); the test peer
(`tests/sync/protocol_server.py`) checks what it sends. docs/sync-protocol.md says what the
fields mean.

TypedDicts, validated by pydantic in strict mode: the validated message stays the plain
dict the code already handles (a page holds thousands of rows), and a string is never taken
for a number. A row carries the contract's fields of its entity besides `id` and `version`;
the fields are checked against the columns where they are written (server/sync/wire.py on
the server, app/sync/rows.py on the laptop).

What the laptop may leave out of a reply it still reads: an older server sent no
`revoked`, `checkpoint`, `conflicts` or `reason` where there were none.
"""

from __future__ import annotations

from typing import Annotated, Any, Literal, NotRequired

from pydantic import ConfigDict, Field, TypeAdapter, ValidationError, with_config
from typing_extensions import TypedDict

__all__ = [
    "MUTATION_KEYS",
    "PULL_PAGE",
    "PUSH_REPLY",
    "PUSH_REQUEST",
    "PullPage",
    "PushReply",
    "PushRequest",
    "ValidationError",
]

#: The most mutations one push request may carry.
MAX_MUTATIONS = 500

_STRICT = ConfigDict(strict=True)
Status = Literal["applied", "duplicate", "conflict", "rejected"]


@with_config(ConfigDict(strict=True, extra="allow"))
class Row(TypedDict):
    """A synced row as it travels: `id`, `version`, and its entity's fields."""

    id: str
    version: int


@with_config(_STRICT)
class Mutation(TypedDict):
    """One change the laptop pushes. The server checks each one on its own (a malformed one
    is answered `rejected` and never fails the batch), so the push request carries them
    unchecked and `server/sync/push.py` reads its keys from here."""

    mutation_id: str
    entity: str
    row_id: str
    op: Literal["upsert", "delete"]
    fields: NotRequired[dict[str, Any]]
    base_version: NotRequired[int]


@with_config(ConfigDict(strict=True, extra="forbid"))
class PushRequest(TypedDict):
    mutations: Annotated[list[Any], Field(max_length=MAX_MUTATIONS)]  # each a Mutation


@with_config(_STRICT)
class Conflict(TypedDict):
    field: str
    mine: Any
    theirs: Any
    kept: Literal["mine", "theirs"]


@with_config(_STRICT)
class PushResult(TypedDict):
    mutation_id: NotRequired[str | None]
    status: Status
    version: NotRequired[int | None]
    row: NotRequired[Row | None]
    conflicts: NotRequired[list[Conflict] | None]
    reason: NotRequired[str | None]


@with_config(_STRICT)
class PushReply(TypedDict):
    results: list[PushResult]
    server_time: NotRequired[str]


@with_config(_STRICT)
class Change(TypedDict):
    entity: str
    row: Row


@with_config(_STRICT)
class Revoked(TypedDict):
    id: str
    entity: NotRequired[str]  # "accounts" when left out


@with_config(_STRICT)
class PullPage(TypedDict):
    changes: list[Change]
    revoked: NotRequired[list[Revoked]]
    cursor: str
    more: bool
    #: Per entity [live rows in scope, sum of their versions], on the last page when asked.
    checkpoint: NotRequired[dict[str, Annotated[list[int], Field(min_length=2, max_length=2)]]
                            | None]
    server_time: NotRequired[str]


PUSH_REQUEST: TypeAdapter[PushRequest] = TypeAdapter(PushRequest)
PUSH_REPLY: TypeAdapter[PushReply] = TypeAdapter(PushReply)
PULL_PAGE: TypeAdapter[PullPage] = TypeAdapter(PullPage)
#: The keys a mutation may have.
MUTATION_KEYS = frozenset(Mutation.__annotations__)
