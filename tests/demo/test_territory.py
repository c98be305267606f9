"""The demo territory: reproducible, consistent with the business rules, findable, and with
a hidden truth for every doctor."""

from __future__ import annotations

import datetime as dt
import json
import re
import unicodedata
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import Connection, text

from app.demo.territory import PERSONAS, DemoCancelledError, DemoSummary, generate
from app.services.errors import ServiceError, ValidationError
from app.store.database import Database, open_database
from app.store.queries import (
    AccountFilter,
    account_history,
    agenda,
    count_accounts,
    search_accounts,
)
from app.store.search import refresh_accounts

TODAY = dt.date(2026, 11, 23)  # a Monday
ACCOUNTS = 60


@pytest.fixture
def demo(db: Database) -> DemoSummary:
    return generate(db, accounts=ACCOUNTS, seed=7, years=1, today=TODAY)


def rows(db: Database, sql: str, **params: Any) -> list[tuple[Any, ...]]:
    with db.reader.connect() as conn:
        return [tuple(r) for r in conn.execute(text(sql), params)]


def scalar(db: Database, sql: str, **params: Any) -> Any:
    return rows(db, sql, **params)[0][0]


def found(conn: Connection, typed: str) -> set[str]:
    flt = AccountFilter(text=typed)
    hits = {r.id for r in search_accounts(conn, flt, limit=10_000)}
    assert count_accounts(conn, flt) == len(hits)
    return hits


CONTENT = {
    "accounts": "SELECT id, name, city, postcode, segment, search_text, last_contact_at "
                "FROM accounts",
    "interactions": "SELECT id, account_id, channel, status, start_at, duration_min, subject, "
                    "notes, signature FROM interactions",
    "discussed_key_messages": "SELECT interaction_id, key_message_id, reaction "
                              "FROM discussed_key_messages",
    "samples": "SELECT interaction_id, product_id, lot, quantity FROM samples",
    "demo_truth": "SELECT * FROM demo_truth",
}


def test_the_same_seed_gives_the_same_territory(db: Database, demo: DemoSummary,
                                                tmp_path: Path) -> None:
    again = open_database(tmp_path / "again.sqlite")
    other = open_database(tmp_path / "other.sqlite")
    try:
        assert generate(again, accounts=ACCOUNTS, seed=7, years=1, today=TODAY) == demo
        generate(other, accounts=ACCOUNTS, seed=8, years=1, today=TODAY)
        for sql in CONTENT.values():
            ordered = f"{sql} ORDER BY 1, 2"
            assert rows(db, ordered) == rows(again, ordered)
        names = "SELECT name FROM accounts ORDER BY name"
        assert rows(db, names) != rows(other, names)
    finally:
        again.close()
        other.close()


def test_every_doctor_has_a_hidden_persona_and_institutions_none(db: Database,
                                                                 demo: DemoSummary) -> None:
    truth = rows(db, "SELECT a.kind, t.persona, t.preferred_channel, t.responsiveness, "
                     "t.contact_cap_per_month FROM accounts a "
                     "LEFT JOIN demo_truth t ON t.account_id = a.id")
    assert len(truth) == ACCOUNTS == demo.hcps + demo.hcos
    assert {kind for kind, persona, *_ in truth if persona is None} == {"hco"}
    doctors = [t for t in truth if t[0] == "hcp"]
    assert len(doctors) == demo.hcps
    assert {t[1] for t in doctors} == set(PERSONAS)
    for _, _, channel, responsiveness, cap in doctors:
        assert channel in {"in_person", "phone", "video", "email", "event"}
        assert 0 <= responsiveness <= 1
        assert cap >= 1


def test_the_preferred_channel_is_consented_and_often_stated(db: Database,
                                                             demo: DemoSummary) -> None:
    consents = rows(db, "SELECT c.consent, c.preferred, c.preference_rank FROM demo_truth t "
                        "JOIN channel_consents c ON c.account_id = t.account_id "
                        "AND c.channel = t.preferred_channel")
    assert len(consents) == demo.hcps
    assert {c[0] for c in consents} == {"granted"}
    assert any(c[1] for c in consents)
    assert {c[2] for c in consents} <= {1, None}


def test_german_names_keep_their_umlauts(db: Database, demo: DemoSummary) -> None:
    names = [r[0] for r in rows(db, "SELECT name FROM accounts")]
    assert any(set(n) & set("äöüÄÖÜß") for n in names)
    assert all(unicodedata.is_normalized("NFC", n) for n in names)
    assert rows(db, "SELECT display_name FROM users WHERE id = :id", id=demo.rep_id) == [
        ("Jörg Krüger",)]
    assert ("München",) in rows(db, "SELECT DISTINCT city FROM addresses")


def test_history_is_there_and_newest_first(db: Database, demo: DemoSummary) -> None:
    assert demo.submitted > 5 * ACCOUNTS
    account_id, last_contact = rows(
        db, "SELECT id, last_contact_at FROM accounts WHERE kind = 'hcp' "
            "ORDER BY (SELECT count(*) FROM interactions i WHERE i.account_id = accounts.id) "
            "DESC LIMIT 1")[0]
    with db.reader.connect() as conn:
        history = account_history(conn, account_id)
    starts = [e.start_at for e in history]
    assert len(history) >= 5
    assert starts == sorted(starts, reverse=True)
    received = [e for e in history if not e.not_received]
    submitted = [e.start_at for e in received if e.status == "submitted"]
    assert dt.datetime.fromisoformat(last_contact) == max(submitted)
    assert all(e.products for e in received)


def test_search_finds_by_umlaut_transliteration_city_specialty_and_lanr(
        db: Database, demo: DemoSummary) -> None:
    account_id, last_name, city, specialty, lanr = rows(
        db, "SELECT a.id, a.last_name, a.city, s.name_de, e.value FROM accounts a "
            "JOIN specialties s ON s.id = a.specialty_id "
            "JOIN external_ids e ON e.account_id = a.id AND e.system = 'LANR' "
            "WHERE a.last_name LIKE '%ü%' ORDER BY a.name_key LIMIT 1")[0]
    typed = last_name[: last_name.index("ü") + 1]  # e.g. "Mü", "Krü"
    with db.reader.connect() as conn:
        assert account_id in found(conn, typed.lower())
        assert account_id in found(conn, typed.replace("ü", "ue"))
        assert account_id in found(conn, city[:4])
        assert account_id in found(conn, specialty[:5])
        assert account_id in found(conn, f"{lanr[:4]} {last_name}")
        assert found(conn, lanr) == {account_id}
    assert re.fullmatch(r"\d{9}", lanr)


def test_derived_columns_equal_what_the_store_computes(db: Database,
                                                       demo: DemoSummary) -> None:
    sql = ("SELECT id, name_key, city, city_key, postcode, search_text FROM accounts "
           "ORDER BY id")
    before = rows(db, sql)
    with db.writer.begin() as conn:
        refresh_accounts(conn, [r[0] for r in before])
    assert rows(db, sql) == before


def test_external_ids_are_unique_nine_digit_lanr_and_bsnr(db: Database,
                                                          demo: DemoSummary) -> None:
    ids = rows(db, "SELECT a.kind, e.system, e.value FROM external_ids e "
                   "JOIN accounts a ON a.id = e.account_id")
    assert len(ids) == ACCOUNTS == len({v for *_, v in ids})
    assert {(kind, system) for kind, system, _ in ids} == {("hcp", "LANR"), ("hco", "BSNR")}
    assert all(re.fullmatch(r"\d{9}", v) for *_, v in ids)


def test_bulk_rows_write_no_outbox(db: Database, demo: DemoSummary) -> None:
    assert scalar(db, "SELECT count(*) FROM outbox") == 0


def test_samples_stay_within_the_yearly_limit_and_are_signed(db: Database,
                                                             demo: DemoSummary) -> None:
    assert demo.samples > 0
    over = rows(db, """
        SELECT s.account_id, s.product_id, strftime('%Y', i.start_at), sum(s.quantity),
               p.yearly_sample_limit
        FROM samples s JOIN interactions i ON i.id = s.interaction_id
        JOIN products p ON p.id = s.product_id
        GROUP BY 1, 2, 3 HAVING p.yearly_sample_limit IS NULL OR sum(s.quantity) >
               p.yearly_sample_limit""")
    assert over == []
    signed = rows(db, "SELECT i.channel, i.signature, i.signer_name, i.signed_at, s.lot "
                      "FROM samples s JOIN interactions i ON i.id = s.interaction_id")
    for channel, signature, signer, signed_at, lot in signed:
        strokes = json.loads(signature)
        assert channel == "in_person"
        assert signer
        assert signed_at
        assert re.fullmatch(r"L\d{4}-\d{4}", lot)
        assert all(0 <= v <= 1 for stroke in strokes for point in stroke for v in point)


def test_only_promotable_products_and_their_key_messages_are_discussed(
        db: Database, demo: DemoSummary) -> None:
    assert scalar(db, "SELECT count(*) FROM territory_products WHERE territory_id = :t",
                  t=demo.territory_id) < scalar(db, "SELECT count(*) FROM products")
    unpromotable = scalar(db, """
        SELECT count(*) FROM discussed_products dp
        JOIN interactions i ON i.id = dp.interaction_id JOIN accounts a ON a.id = i.account_id
        WHERE NOT EXISTS (SELECT 1 FROM territory_products tp
                          WHERE tp.territory_id = a.territory_id
                            AND tp.product_id = dp.product_id)""")
    stray_messages = scalar(db, """
        SELECT count(*) FROM discussed_key_messages dk
        JOIN key_messages k ON k.id = dk.key_message_id
        WHERE NOT EXISTS (SELECT 1 FROM discussed_products dp
                          WHERE dp.interaction_id = dk.interaction_id
                            AND dp.product_id = k.product_id)""")
    assert (unpromotable, stray_messages) == (0, 0)


def test_e_mails_go_only_to_doctors_who_consented(db: Database, demo: DemoSummary) -> None:
    assert scalar(db, "SELECT count(*) FROM interactions WHERE channel = 'email'") > 0
    assert scalar(db, """
        SELECT count(*) FROM interactions i WHERE i.channel = 'email' AND NOT EXISTS (
            SELECT 1 FROM channel_consents c WHERE c.account_id = i.account_id
            AND c.channel = 'email' AND c.consent = 'granted')""") == 0


def test_today_has_an_agenda_drafts_and_open_tasks(db: Database, demo: DemoSummary) -> None:
    tonight = dt.datetime.combine(TODAY, dt.time(23, 59))
    with db.reader.connect() as conn:
        today = agenda(conn, until=tonight, owner_id=demo.rep_id)
    statuses = [e.status for e in today]
    assert 2 <= statuses.count("draft") <= 3
    assert statuses.count("planned") >= 3
    assert all(e.start_at.date() == TODAY for e in today)
    assert scalar(db, "SELECT count(*) FROM interactions WHERE status = 'planned' "
                      "AND start_at > :t", t=tonight.isoformat(" ")) > 0
    assert scalar(db, "SELECT count(*) FROM tasks WHERE status = 'open' AND owner_id = :rep",
                  rep=demo.rep_id) >= 5
    assert rows(db, "SELECT value FROM local_state WHERE key = 'current_user_id'") == [
        (demo.rep_id,)]
    assert scalar(db, "SELECT count(*) FROM interactions WHERE status = 'submitted' "
                      "AND (submitted_at IS NULL OR submitted_at < start_at)") == 0


def test_two_years_give_about_twenty_calls_per_account(db: Database) -> None:
    summary = generate(db, accounts=200, seed=3, years=2, today=TODAY)
    assert 15 <= summary.interactions / summary.accounts <= 25
    assert summary.rows == sum(
        scalar(db, f"SELECT count(*) FROM {t}")
        for t in ("territories", "users", "specialties", "products", "key_messages",
                  "territory_products", "accounts", "addresses", "external_ids",
                  "channel_consents", "demo_truth", "affiliations", "interactions",
                  "discussed_products", "discussed_key_messages", "samples", "attendees",
                  "tasks", "medical_inquiries", "audit_log", "market_sales", "local_state"))


def test_the_demo_rep_escalated_questions_to_the_demo_msl(db: Database) -> None:
    demo = generate(db, accounts=200, seed=3, years=1, today=TODAY)
    found = rows(db, "SELECT status, raised_by, assigned_to, (SELECT count(*) FROM audit_log a "
                     "WHERE a.row_id = m.id) FROM medical_inquiries m ORDER BY raised_at")
    assert [r[0] for r in found] == ["handed_back", "in_progress", "routed"]
    assert {(r[1], r[2]) for r in found} == {(demo.rep_id, demo.msl_id)}
    assert [r[3] for r in found] == [5, 3, 2]  # raised, routed, taken over, answered ...


def test_progress_counts_accounts_and_cancelling_writes_nothing(db: Database) -> None:
    seen: list[tuple[int, int]] = []
    with pytest.raises(DemoCancelledError):
        generate(db, accounts=ACCOUNTS, today=TODAY, progress=lambda d, t: seen.append((d, t)),
                 cancelled=lambda: len(seen) > 1)
    assert scalar(db, "SELECT count(*) FROM users") == 0
    assert seen[0] == (0, ACCOUNTS)
    generate(db, accounts=ACCOUNTS, today=TODAY, progress=lambda d, t: seen.append((d, t)))
    assert seen[-1] == (ACCOUNTS, ACCOUNTS)


def test_refuses_a_database_with_data_and_bad_sizes(db: Database, demo: DemoSummary) -> None:
    with pytest.raises(ServiceError, match="already holds data"):
        generate(db, accounts=10, today=TODAY)
    with pytest.raises(ValidationError) as error:
        generate(db, accounts=0, years=0)
    assert set(error.value.errors) == {"accounts", "years"}


def test_berlin_addresses_have_postcodes_that_exist(db: Database, demo: DemoSummary) -> None:
    """Most numbers between 10115 and 14199 are no Berlin postcode ("12000", "13700")."""
    from app.demo.territory import BERLIN_POSTCODES

    berlin = [r[0] for r in rows(db, "SELECT postcode FROM addresses WHERE city = 'Berlin'")]
    assert berlin  # the demo's largest city has accounts
    assert set(berlin) <= set(BERLIN_POSTCODES)
    assert "10115" in BERLIN_POSTCODES and "12000" not in BERLIN_POSTCODES


def test_no_e_mail_consent_nor_e_mail_sent_without_an_address(db: Database,
                                                               demo: DemoSummary) -> None:
    consented = rows(db, "SELECT count(*) FROM channel_consents c JOIN accounts a "
                         "ON a.id = c.account_id WHERE a.kind = 'hcp' AND c.channel = 'email' "
                         "AND c.consent = 'granted'")[0][0]
    assert consented > 0
    assert rows(db, "SELECT a.name FROM channel_consents c JOIN accounts a ON a.id = "
                    "c.account_id WHERE a.kind = 'hcp' AND c.channel = 'email' AND "
                    "c.consent = 'granted' AND a.email IS NULL") == []
    assert rows(db, "SELECT a.name FROM interactions i JOIN accounts a ON a.id = i.account_id "
                    "WHERE a.kind = 'hcp' AND i.channel = 'email' AND a.email IS NULL") == []


def test_consent_sources_are_written_in_german_as_the_notes_are(db: Database,
                                                                 demo: DemoSummary) -> None:
    """A German rep's demo types where a consent came from in German: an English "signed
    form" read as an untranslated word in the German UI."""
    sources = {r[0] for r in rows(db, "SELECT DISTINCT source FROM channel_consents "
                                      "WHERE source IS NOT NULL")}
    assert sources == {"Online-Portal", "unterschriebenes Formular", "mündlich"}


def test_a_practice_named_after_doctors_is_named_after_its_own(db: Database,
                                                                demo: DemoSummary) -> None:
    """"Gemeinschaftspraxis Arnold & Brandt" has an Arnold and a Brandt among its doctors."""
    practices = rows(db, "SELECT id, name FROM accounts WHERE kind = 'hco' AND "
                         "(name LIKE 'Gemeinschaftspraxis %' OR name LIKE 'Praxis Dr. med. %')")
    checked = 0
    for practice_id, name in practices:
        members = {r[0] for r in rows(
            db, "SELECT a.last_name FROM affiliations f JOIN accounts a ON a.id = f.hcp_id "
                "WHERE f.hco_id = :p", p=practice_id)}
        if not members:
            continue
        named = name.removeprefix("Gemeinschaftspraxis ").split(" & ") \
            if name.startswith("Gemeinschaftspraxis ") else [name.rsplit(" ", 1)[-1]]
        assert set(named) <= members, (name, members)
        checked += 1
    assert checked > 0


def test_some_visits_were_not_received(db: Database, demo: DemoSummary) -> None:
    """Doctors of restricted access turned the rep away now and then (ZS AccessMonitor's
    shares): visits in person, submitted, nothing discussed, never the last contact."""
    failed = rows(db, "SELECT i.channel, i.status, i.start_at, a.last_contact_at, "
                      "(SELECT count(*) FROM discussed_products p "
                      " WHERE p.interaction_id = i.id), a.kind "
                      "FROM interactions i JOIN accounts a ON a.id = i.account_id "
                      "WHERE i.not_received = 1")
    assert len(failed) == demo.not_received
    visits = scalar(db, "SELECT count(*) FROM interactions WHERE channel = 'in_person' "
                        "AND status = 'submitted'")
    assert 0.05 * visits < len(failed) < 0.4 * visits
    assert {(channel, status, kind) for channel, status, _s, _l, _p, kind in failed} == {
        ("in_person", "submitted", "hcp")}
    assert all(products == 0 for *_rest, products, _kind in failed)
    # Some of the severely restricted turned him away after the last visit he was received.
    assert any(last is not None and start > last for _c, _s, start, last, _p, _k in failed)
    assert not any(last is not None and start == last for _c, _s, start, last, _p, _k in failed)
