"""Sales and market figures: the CSV import (good, bad, re-import) and who pulls the rows,
against a real server process on SQLite and PostgreSQL."""

from __future__ import annotations

import datetime as dt
import uuid
from types import SimpleNamespace

import pytest
from sqlalchemy import func, select

from server.catalog import add_product
from server.importing.market import MarketMapping, import_market
from server.importing.records import ImportFormatError
from server.models import MarketSale, Product
from tests.server.conftest import Live
from tests.server.test_sync_push import pull_all

GERMAN = MarketMapping.from_dict({
    "delimiter": ";", "decimal": ",", "account_system": "TEST",
    "columns": {"account": "LANR", "brick": "Brick", "territory": "Gebiet",
                "product": "Produkt", "month": "Monat", "units": "Menge", "value": "Umsatz",
                "market_units": "Marktmenge"}})


def _product(live: Live) -> str:
    name = f"Cardiozan-{uuid.uuid4().hex[:6]}"
    with live.db.writing() as s:
        add_product(s, name, "Cardiology")
    return name


def _rows(live: Live, product: str) -> list[SimpleNamespace]:
    """The product's stored rows by month, as plain values."""
    with live.db.reading() as s:
        query = select(MarketSale).join(Product, Product.id == MarketSale.product_id).where(
            Product.name == product).order_by(MarketSale.month)
        return [SimpleNamespace(**{c.key: getattr(r, c.key) for c in MarketSale.__table__.c})
                for r in s.scalars(query)]


def _count(live: Live) -> int:
    with live.db.reading() as s:
        return int(s.scalar(select(func.count()).select_from(MarketSale)) or 0)


def test_a_german_export_is_imported_per_account_and_brick(live: Live) -> None:
    territory = live.territory()
    doctor = live.account(territory)
    product = _product(live)
    csv = (f"LANR;Brick;Gebiet;Produkt;Monat;Menge;Umsatz;Marktmenge\n"
           f"{doctor};;;{product};2026-03;12;1.234,50;40\n"
           f";101;{territory};{product.upper()};04/2026;300;;1200\n").encode()
    report = import_market(live.db, csv, GERMAN)
    assert report.to_dict() == {"created": 2, "updated": 0, "unchanged": 0}
    first, second = _rows(live, product)
    assert (first.account_id, first.month, first.units, first.value, first.market_units) == (
        doctor, dt.date(2026, 3, 1), 12, 1234.5, 40)
    assert (second.account_id, second.brick, second.month, second.units, second.value) == (
        None, "101", dt.date(2026, 4, 1), 300, None)
    assert first.territory_id == second.territory_id is not None


def test_one_bad_line_refuses_the_file_and_names_every_bad_line(live: Live) -> None:
    territory = live.territory()
    doctor = live.account(territory)
    product = _product(live)
    csv = (f"LANR;Brick;Gebiet;Produkt;Monat;Menge;Umsatz;Marktmenge\n"
           f"{doctor};;;{product};2026-03;12;100;40\n"            # good
           f"nobody;;;{product};2026-03;1;;\n"                     # 3: unknown account
           f";101;NOWHERE;{product};2026-03;1;;\n"                 # 4: unknown territory
           f"{doctor};;;Unknownol;2026-03;1;;\n"                   # 5: unknown product
           f"{doctor};;;{product};März;1;;\n"                      # 6: no month
           f"{doctor};;;{product};2026-04;-3;;\n"                  # 7: negative
           f"{doctor};;;{product};2026-05;;;\n"                    # 8: no figure
           f"{doctor};;;{product};2026-06;50;;10\n"                # 9: market < units
           f"{doctor};101;{territory};{product};2026-07;1;;\n"     # 10: both
           f"{doctor};;;{product};2026-03-01;13;;\n").encode()     # 11: repeats line 2
    before = _count(live)
    report = import_market(live.db, csv, GERMAN)
    assert [line for line, _ in report.errors] == [3, 4, 5, 6, 7, 8, 9, 10, 11]
    reasons = dict(report.errors)
    assert reasons[3] == "no account with TEST nobody"
    assert reasons[4] == "unknown territory 'NOWHERE'"
    assert "is no month" in reasons[6] and "repeats line 2" in reasons[11]
    assert report.to_dict()["written"] == 0
    assert _count(live) == before


def test_a_file_without_the_needed_columns_is_refused_as_a_whole(live: Live) -> None:
    with pytest.raises(ImportFormatError, match="no column for month, units or value"):
        import_market(live.db, b"account,product\nx,y\n")
    with pytest.raises(ImportFormatError, match="'Menge' \\(for units\\) is not in"):
        import_market(live.db, b"LANR;Brick;Gebiet;Produkt;Monat\n", GERMAN)


def test_importing_the_same_file_again_changes_nothing(live: Live) -> None:
    territory = live.territory()
    doctor = live.account(territory)
    product = _product(live)
    csv = (f"account,product,month,units\n{doctor},{product},2026-01,5\n"
           f"{doctor},{product},2026-02,7\n").encode()
    assert import_market(live.db, csv).created == 2
    versions = [r.version for r in _rows(live, product)]
    again = import_market(live.db, csv)
    assert again.to_dict() == {"created": 0, "updated": 0, "unchanged": 2}
    assert [r.version for r in _rows(live, product)] == versions
    changed = csv.replace(b",7\n", b",8\n")
    assert import_market(live.db, changed).to_dict() == {
        "created": 0, "updated": 1, "unchanged": 1}
    rows = _rows(live, product)
    assert [r.units for r in rows] == [5, 8] and rows[1].version > versions[1]


def test_a_rep_pulls_only_their_territorys_figures(live: Live) -> None:
    mine, other, outside = live.territory(), live.territory(), live.territory()
    boss = live.user("manager")
    rep = live.login(live.user("rep", (mine,), manager=boss))
    live.user("rep", (other,), manager=boss)
    msl = live.login(live.user("msl", (mine,)))
    product = _product(live)
    doctors = {code: live.account(code) for code in (mine, other, outside)}
    csv = "".join(f"{doctors[code]};;;{product};2026-03;{n};;\n;10{n};{code};{product};"
                  f"2026-03;{n * 10};;\n" for n, code in enumerate((mine, other, outside), 1))
    header = "LANR;Brick;Gebiet;Produkt;Monat;Menge;Umsatz;Marktmenge\n"
    assert import_market(live.db, (header + csv).encode(), GERMAN).created == 6

    def pulled(client: object) -> set[tuple[str | None, str | None]]:
        changes = pull_all(client)["changes"]  # type: ignore[arg-type]
        return {(c["row"]["account_id"], c["row"]["brick"]) for c in changes
                if c["entity"] == "market_sales"}

    assert pulled(rep) == {(doctors[mine], None), (None, "101")}
    assert pulled(live.login(boss)) == {(doctors[mine], None), (None, "101"),
                                       (doctors[other], None), (None, "102")}
    assert pulled(msl) == set()


def test_erasing_a_doctor_removes_their_sales_figures_and_keeps_the_areas(live: Live) -> None:
    from server.gdpr_erase import erase_and_scrub

    territory = live.territory()
    doctor = live.account(territory)
    product = _product(live)
    csv = (f"account,brick,territory,product,month,units\n{doctor},,,{product},2026-01,5\n"
           f",101,{territory},{product},2026-01,50\n").encode()
    assert import_market(live.db, csv).created == 2
    report = erase_and_scrub(live.db, doctor, "dpo")
    assert report.removed["market_sales"] == 1
    assert [(r.account_id, r.brick) for r in _rows(live, product)] == [(None, "101")]
