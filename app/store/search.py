"""What makes an account findable in a keystroke: sort keys and the full-text index.

The accounts list searches names, cities, specialties and external ids as the rep types. An
FTS5 index over one `search_text` column per account answers any word prefix in well under a
millisecond; `name_key` (folded, lower case) gives an indexed sort by name. Both are derived
here from the account's own fields and kept up to date by `refresh_accounts`.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable

from sqlalchemy import Connection, bindparam, text

_GERMAN = str.maketrans({"ä": "ae", "ö": "oe", "ü": "ue", "ß": "ss", "Ä": "Ae", "Ö": "Oe",
                         "Ü": "Ue"})

#: The schema objects behind the search, created by a migration. The index holds the
#: accounts' rowids (external content): a match is then a plain integer, with no lookup of
#: a stored id per row. SQLite keeps a table's implicit rowids except through VACUUM or a
#: table rebuild (Alembic batch mode), so `rebuild_search` runs after every migration and
#: must run after any VACUUM.
FTS_DDL = (
    "CREATE VIRTUAL TABLE account_search USING fts5(search_text, content='accounts', "
    "content_rowid='rowid', tokenize='unicode61 remove_diacritics 2', prefix='1 2')",
    "CREATE TRIGGER account_search_ai AFTER INSERT ON accounts BEGIN "
    "INSERT INTO account_search(rowid, search_text) VALUES (new.rowid, new.search_text); END",
    "CREATE TRIGGER account_search_au AFTER UPDATE OF search_text ON accounts BEGIN "
    "INSERT INTO account_search(account_search, rowid, search_text) "
    "VALUES ('delete', old.rowid, old.search_text); "
    "INSERT INTO account_search(rowid, search_text) VALUES (new.rowid, new.search_text); END",
    "CREATE TRIGGER account_search_ad AFTER DELETE ON accounts BEGIN "
    "INSERT INTO account_search(account_search, rowid, search_text) "
    "VALUES ('delete', old.rowid, old.search_text); END",
)
REBUILD_SQL = "INSERT INTO account_search(account_search) VALUES ('rebuild')"
FTS_TABLES = ("account_search",)


def rebuild_search(conn: Connection) -> None:
    """Index every account again from `accounts.search_text` (0.4 s for 50,000)."""
    conn.exec_driver_sql(REBUILD_SQL)


def fold(value: str | None) -> str:
    """Lower case without accents: 'Dr. Jürgen Weiß' -> 'dr. jurgen weiss'."""
    if not value:
        return ""
    decomposed = unicodedata.normalize("NFKD", value.replace("ß", "ss").replace("ẞ", "ss"))
    return "".join(c for c in decomposed if not unicodedata.combining(c)).casefold()


def name_key(last_name: str | None, first_name: str | None, name: str) -> str:
    """The key the accounts list sorts by: last name first for people."""
    if last_name:
        return fold(f"{last_name} {first_name or ''}").strip()
    return fold(name)


TITLE_WORDS = frozenset({"dr", "med", "prof", "dent", "vet", "rer", "nat", "habil", "pd",
                         "dipl"})
_NOT_WORD = re.compile(r"[^0-9a-z]+")


def words(value: str) -> list[str]:
    """The folded words of a text, as the FTS5 tokenizer sees them ('Weiß-Nolte' -> weiss nolte)."""
    return [w for w in _NOT_WORD.split(fold(value)) if w]


def search_text(*parts: str | None) -> str:
    """All words an account can be found by, folded, with 'ü' also written as 'ue'.

    Stored folded and space-separated with a leading space, so that besides the FTS5 index a
    plain `LIKE '% mül%'` finds a word prefix too: the accounts list uses that when a prefix
    matches most accounts (see app/store/queries.py).
    """
    text = " ".join(p for p in parts if p)
    found = words(text)
    for extra in words(text.translate(_GERMAN)):
        if extra not in found:
            found.append(extra)
    return " " + " ".join(found)


def fts_query(typed: str) -> str | None:
    """Turn what the rep typed into an FTS5 query: every word must match as a prefix.

    Quotes around each word make FTS5 treat punctuation in it as text, not as syntax, so any
    input is safe (e.g. 'Dr. (Berlin' or a LANR with a dash).
    """
    typed_words = words(typed)
    # Titles ("Dr. med.", "Prof.") are on most doctors: they narrow nothing and slow the
    # query, so they count only when nothing else was typed.
    named = [w for w in typed_words if w not in TITLE_WORDS]
    typed_words = named or typed_words
    if not typed_words:
        return None
    return " ".join(f'"{w}"*' for w in typed_words)


_REFRESH = text(
    """
    UPDATE accounts SET
        city = (SELECT a.city FROM addresses a WHERE a.account_id = accounts.id
                AND a.deleted = 0 ORDER BY a.is_primary DESC, a.id LIMIT 1),
        postcode = (SELECT a.postcode FROM addresses a WHERE a.account_id = accounts.id
                AND a.deleted = 0 ORDER BY a.is_primary DESC, a.id LIMIT 1)
    WHERE id IN :ids
    """
).bindparams(bindparam("ids", expanding=True))


def refresh_accounts(conn: Connection, account_ids: Iterable[str]) -> None:
    """Recompute the derived columns of these accounts from their current rows."""
    ids = list(set(account_ids))
    if not ids:
        return
    conn.execute(_REFRESH, {"ids": ids})
    rows = conn.execute(
        text(
            """
            SELECT acc.id, acc.name, acc.first_name, acc.last_name, acc.city,
                   sp.name_en, sp.name_de,
                   (SELECT group_concat(e.value, ' ') FROM external_ids e
                     WHERE e.account_id = acc.id AND e.deleted = 0) AS ext
            FROM accounts acc LEFT JOIN specialties sp ON sp.id = acc.specialty_id
            WHERE acc.id IN :ids
            """
        ).bindparams(bindparam("ids", expanding=True)),
        {"ids": ids},
    ).all()
    if not rows:  # all gone meanwhile (revoked or erased in the same transaction)
        return
    conn.execute(
        text("UPDATE accounts SET name_key = :nk, city_key = :ck, search_text = :st "
             "WHERE id = :id"),
        [
            {
                "id": r.id,
                "nk": name_key(r.last_name, r.first_name, r.name),
                "ck": fold(r.city) or None,
                "st": search_text(r.name, r.city, r.name_en, r.name_de, r.ext),
            }
            for r in rows
        ],
    )
