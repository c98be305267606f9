"""A practice's opening hours through the master-data CSV import: a good value is stored and
pulled by the territory's rep, a re-import with new hours updates it, an unreadable value
refuses its row with the shared module's words; a push with unreadable hours is refused."""

from __future__ import annotations

import pytest

from server.sync.wire import Rejected, coerce
from tests.server.conftest import Client, Live
from tests.server.test_sync_push import pull_all

HOURS = "Mo-Fr 08:00-12:00, Mo,Di,Do 14:00-18:00"


def _import(admin: Client, csv: str) -> list[dict]:
    r = admin.post("/api/v1/admin/import", data=csv.encode(),
                   headers={"Content-Type": "text/csv"})
    assert r.status_code == 200, r.text
    return r.json()["rows"]


def test_opening_hours_are_imported_synced_and_checked(live: Live, admin: Client) -> None:
    territory = live.territory()
    header = "id:BSNR,name,kind,territory,opening_hours\n"
    rows = _import(admin, header + f'721000001,Praxis Sommer,hco,{territory},"{HOURS}"\n'
                                   f"721000002,Praxis Kaputt,hco,{territory},Mo 25:00-26:00\n")
    assert [r["status"] for r in rows] == ["created", "skipped"]
    assert rows[1]["reason"] == "Opening hours: “25:00” is not a time of day."
    rep = live.login(live.user("rep", (territory,)))

    def pulled() -> dict[str, str | None]:
        return {c["row"]["name"]: c["row"]["opening_hours"]
                for c in pull_all(rep)["changes"] if c["entity"] == "accounts"}

    assert pulled() == {"Praxis Sommer": HOURS}
    again = _import(admin, header + f"721000001,Praxis Sommer,hco,{territory},Mo-Fr 9:00-13:00\n")
    assert again[0]["status"] == "updated"
    assert pulled() == {"Praxis Sommer": "Mo-Fr 9:00-13:00"}


def test_a_push_with_unreadable_hours_is_refused_in_the_same_words() -> None:
    assert coerce("accounts", "opening_hours", HOURS) == HOURS
    with pytest.raises(Rejected, match=r"^Opening hours: “Xy” is not a day"):
        coerce("accounts", "opening_hours", "Xy 08:00-12:00")
