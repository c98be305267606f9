"""`fieldrep-server sales import`: a mapped German export in, a JSON report out; a file with
a bad line refused with exit status 1 and nothing written."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from sqlalchemy import func, select

from server.cli import main
from server.db import Database
from server.models import MarketSale


def test_help(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exit_:
        main(["sales", "import", "--help"])
    assert exit_.value.code == 0
    assert "whole or not at all" in capsys.readouterr().out


def test_sales_import_from_the_command_line(tmp_path: Path,
                                            capsys: pytest.CaptureFixture[str]) -> None:
    d = ["--data-dir", str(tmp_path)]
    assert main([*d, "init"]) == 0
    assert main([*d, "territory", "add", "BER-1", "Berlin Mitte"]) == 0
    assert main([*d, "product", "add", "Cardiozan", "--area", "Cardiology"]) == 0
    mapping = tmp_path / "sales.toml"
    mapping.write_text('delimiter = ";"\ndecimal = ","\n[columns]\nbrick = "Brick"\n'
                       'territory = "Gebiet"\nproduct = "Produkt"\nmonth = "Monat"\n'
                       'units = "Menge"\nvalue = "Umsatz"\n', encoding="utf-8")
    good = tmp_path / "umsatz.csv"
    good.write_text("Brick;Gebiet;Produkt;Monat;Menge;Umsatz\n101;BER-1;Cardiozan;03.2026;12;"
                    "1.200,00\n", encoding="utf-8")
    bad = tmp_path / "kaputt.csv"
    bad.write_text("Brick;Gebiet;Produkt;Monat;Menge;Umsatz\n102;BER-1;Cardiozan;2026-03;5;\n"
                   "103;BER-1;Cardiozan;2026-13;5;\n", encoding="utf-8")
    capsys.readouterr()
    assert main([*d, "sales", "import", str(good), "--mapping", str(mapping)]) == 0
    assert json.loads(capsys.readouterr().out)[str(good)] == {
        "created": 1, "updated": 0, "unchanged": 0}
    assert main([*d, "sales", "import", str(bad), "--mapping", str(mapping)]) == 1
    out = capsys.readouterr()
    assert "1 bad line(s), nothing imported" in out.err
    [error] = json.loads(out.out)[str(bad)]["errors"]
    assert error["line"] == 3 and "is no month" in error["reason"]
    db = Database(f"sqlite:///{tmp_path / 'server.sqlite3'}")
    with db.reading() as s:
        assert s.scalar(select(func.count()).select_from(MarketSale)) == 1
    db.dispose()
