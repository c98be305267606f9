"""Master data import through the admin endpoint: the real FHIR examples, CSV upserts."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest
from sqlalchemy import func, select

from server.importing.identifiers import npi_is_valid
from server.models import Account, Address, Affiliation, AuditEntry, ExternalId, Specialty
from tests.server.conftest import Client, Live

# shared/ lies beside the project's root, in a developer's tree and in CI's fresh clone; a
# work tree elsewhere names it with FIELDREP_TESTDATA.
TESTDATA = Path(os.environ.get("FIELDREP_TESTDATA")
                or Path(__file__).resolve().parents[3] / "shared" / "testdata")
FHIR_FILES = sorted((TESTDATA / "fhir-r4").glob("*.json")) + sorted(
    (TESTDATA / "kbv-erezept").glob("*.json"))
HCP_HCO = ("Practitioner", "Organization")
DONE = {"created", "updated", "unchanged"}

pytestmark = pytest.mark.skipif(
    not TESTDATA.is_dir() and not os.environ.get("CI"),  # CI must have it: fail there
    reason=f"the shared test data is not at {TESTDATA}")


def _resources(path: Path) -> list[dict]:
    doc = json.loads(path.read_text(encoding="utf-8"))
    if doc.get("resourceType") == "Bundle":
        return [e["resource"] for e in doc.get("entry", [])]
    return [doc]


def _post_fhir(admin: Client, body: bytes, territory: str | None = None) -> dict:
    r = admin.post("/api/v1/admin/import", data=body,
                   params={"territory": territory} if territory else None,
                   headers={"Content-Type": "application/fhir+json; fhirVersion=4.0"})
    assert r.status_code in (200, 422), r.text
    return {"status": r.status_code, **r.json()}


@pytest.mark.parametrize("path", FHIR_FILES, ids=lambda p: p.name)
def test_every_practitioner_and_organisation_is_imported_or_reported(
        live: Live, admin: Client, path: Path) -> None:
    resources = _resources(path)
    expected = {f"{r['resourceType']}/{r['id']}" for r in resources
                if r["resourceType"] in (*HCP_HCO, "PractitionerRole")}
    answer = _post_fhir(admin, path.read_bytes())
    if not expected:  # Location, HealthcareService, OrganizationAffiliation
        assert answer["status"] == 422
        assert "is not imported" in answer["error"]
        return
    assert answer["status"] == 200
    rows = {row["ref"]: row for row in answer["rows"]}
    assert expected <= set(rows)
    for ref in expected:
        row = rows[ref]
        assert row["status"] in DONE | {"linked"} or row.get("reason"), row
    for ref, row in rows.items():  # Patients etc. are reported as ignored, never stored
        if ref.split("/")[0] not in (*HCP_HCO, "PractitionerRole"):
            assert row["status"] == "ignored"
    # Importing the same file again changes nothing (upsert by external id).
    again = _post_fhir(admin, path.read_bytes())
    for ref in expected:
        if rows[ref]["status"] in DONE:
            assert again_status(again, ref) in ("unchanged", "updated")


def again_status(answer: dict, ref: str) -> str:
    return next(r["status"] for r in answer["rows"] if r["ref"] == ref)


def test_kbv_identifiers_umlauts_and_specialties(live: Live, admin: Client) -> None:
    answer = _post_fhir(admin, (TESTDATA / "kbv-erezept" / "Beispiel_1.json").read_bytes())
    doctor = next(r for r in answer["rows"] if r["ref"].startswith("Practitioner/"))
    practice = next(r for r in answer["rows"] if r["ref"].startswith("Organization/"))
    with live.db.reading() as s:
        account = s.get(Account, doctor["account_id"])
        assert account is not None
        assert account.name == "Dr. med. Paul Freiherr von Müller"
        assert account.kind == "hcp"
        keys = set(s.execute(select(ExternalId.system, ExternalId.value)
                             .where(ExternalId.account_id == account.id)).all())
        assert ("LANR", "123456628") in keys
        specialty = s.get(Specialty, account.specialty_id)
        assert specialty is not None
        assert "Innere Medizin" in specialty.name_de
        org_keys = set(s.execute(select(ExternalId.system, ExternalId.value)
                                 .where(ExternalId.account_id == practice["account_id"])).all())
        assert ("BSNR", "721111100") in org_keys
        address = s.scalars(select(Address).where(
            Address.account_id == practice["account_id"])).one()
        assert (address.line1, address.postcode, address.city, address.country) == (
            "Herbert-Lewin-Platz 2", "10623", "Berlin", "DE")


def test_a_practitioner_with_an_invalid_npi_loads_without_it(live: Live, admin: Client) -> None:
    assert npi_is_valid("1234567893")
    assert not npi_is_valid("1122334499")
    path = TESTDATA / "fhir-r4" / "practitioner-examples-general.json"
    answer = _post_fhir(admin, path.read_bytes())
    rows = {r["ref"]: r for r in answer["rows"]}
    crusher = rows["Practitioner/1"]  # Dr. Beverly Crusher, NPI 1122334499
    assert crusher["status"] in DONE
    assert any(w.startswith("identifier rejected: invalid NPI '1122334499'")
               for w in crusher["warnings"])
    assert "identifier rejected" in crusher["flags"]
    assert answer["flags"]["identifier rejected"] >= 1
    assert any("social security" in w for w in rows["Practitioner/13"]["warnings"])
    with live.db.reading() as s:
        systems = set(s.scalars(select(ExternalId.system)).all())
        assert s.scalar(select(ExternalId.id).where(ExternalId.value == "1122334499")) is None
        assert ("fhir:Practitioner", "1") in set(s.execute(
            select(ExternalId.system, ExternalId.value)
            .where(ExternalId.account_id == crusher["account_id"])).all())
        audit = [json.loads(d or "{}") for d in s.scalars(select(AuditEntry.details).where(
            AuditEntry.entity == "accounts", AuditEntry.row_id == crusher["account_id"],
            AuditEntry.action == "import.flagged"))]
    assert not {"us-ssn", "SSN"} & systems
    assert any({"identifier": "NPI:1122334499", "reason": r["reason"]} in a["rejected"]
               and "invalid NPI" in r["reason"] for a in audit for r in a["rejected"])


def test_practitioner_role_links_doctor_and_institution(live: Live, admin: Client) -> None:
    for name in ("organization-example-f001-burgers.json", "practitioner-example.json",
                 "practitionerrole-example.json"):
        _post_fhir(admin, (TESTDATA / "fhir-r4" / name).read_bytes())
    with live.db.reading() as s:
        hcp = s.scalar(select(ExternalId.account_id).where(
            ExternalId.system == "fhir:Practitioner", ExternalId.value == "example"))
        hco = s.scalar(select(ExternalId.account_id).where(
            ExternalId.system == "fhir:Organization", ExternalId.value == "f001"))
        link = s.scalar(select(Affiliation).where(Affiliation.hcp_id == hcp,
                                                  Affiliation.hco_id == hco))
        assert link is not None
        assert link.role == "RP"


def test_organisation_hierarchy_is_kept(live: Live, admin: Client) -> None:
    bundle = {"resourceType": "Bundle", "type": "collection", "entry": [
        {"resource": {"resourceType": "Organization", "id": "dept-cardio-x1",
                      "name": "Kardiologie", "partOf": {"reference": "Organization/clinic-x1"},
                      "identifier": [{"system": "https://fhir.kbv.de/NamingSystem/"
                                      "KBV_NS_Base_BSNR", "value": "991111101"}]}},
        {"resource": {"resourceType": "Organization", "id": "clinic-x1",
                      "name": "Universitätsklinikum Köln"}},
    ]}
    answer = _post_fhir(admin, json.dumps(bundle).encode())
    rows = {r["ref"]: r for r in answer["rows"]}
    assert not rows["Organization/dept-cardio-x1"].get("warnings")
    with live.db.reading() as s:
        child = s.get(Account, rows["Organization/dept-cardio-x1"]["account_id"])
        assert child is not None
        assert child.parent_id == rows["Organization/clinic-x1"]["account_id"]


def test_csv_upsert_reports_each_row(live: Live, admin: Client) -> None:
    territory = live.territory()
    csv = (
        "id:LANR,name,kind,specialty,line1,postcode,city,latitude,territory,id:NPI\n"
        "900000001,Dr. Jürgen Weiß,hcp,Kardiologie,Königstraße 1,70173,Stuttgart,48.78,"
        f"{territory},\n"
        "900000002,,hcp,,,,,,,\n"  # no name
        f"900000003,Dr. Bad Lat,hcp,,Weg 1,12345,Ulm,north,{territory},\n"
        f"900000004,Dr. Bad NPI,hcp,,,,,,{territory},1122334499\n"
        f"900000005,Dr. Unknown Territory,hcp,,,,,,NOPE,\n"
        f"900000006,Praxis Öz,hco,,,,,,{territory},\n"
    ).encode()
    r = admin.post("/api/v1/admin/import", data=csv, headers={"Content-Type": "text/csv"})
    assert r.status_code == 200, r.text
    rows = r.json()["rows"]
    assert [x["status"] for x in rows] == ["created", "skipped", "skipped", "created",
                                           "skipped", "created"]
    assert rows[1]["reason"] == ("a person row without a name: `name`, `first_name` and "
                                 "`last_name` are empty")
    assert "latitude" in rows[2]["reason"]
    assert "identifier rejected: invalid NPI" in rows[3]["warnings"][0]  # loads by its LANR
    assert "unknown territory" in rows[4]["reason"]
    with live.db.reading() as s:
        names = set(s.scalars(select(Account.name).where(Account.name.like("Dr. %"))).all())
        assert {"Dr. Jürgen Weiß", "Dr. Bad NPI"} <= names
        assert not {"Dr. Bad Lat", "Dr. Unknown Territory"} & names
        assert s.scalar(select(ExternalId.id).where(ExternalId.value == "1122334499")) is None
        assert s.scalar(select(ExternalId.id).where(ExternalId.value == "900000003")) is None
    # Second run: the good rows are unchanged; a changed city updates the address.
    csv2 = csv.replace(b"Stuttgart", b"Esslingen")
    rows2 = admin.post("/api/v1/admin/import", data=csv2,
                       headers={"Content-Type": "text/csv"}).json()["rows"]
    assert rows2[0]["status"] == "updated"
    assert rows2[5]["status"] == "unchanged"
    rep = live.login(live.user("rep", (territory,)))
    detail = rep.get(f"/api/v1/accounts/{rows[0]['account_id']}").json()
    assert detail["name"] == "Dr. Jürgen Weiß"
    assert detail["addresses"][0]["city"] == "Esslingen"
    assert detail["addresses"][0]["line1"] == "Königstraße 1"


def test_csv_ids_of_two_accounts_are_not_merged(live: Live, admin: Client) -> None:
    t = live.territory()
    first = admin.post("/api/v1/admin/import", headers={"Content-Type": "text/csv"},
                       data=f"id:LANR,id:BSNR,name,territory\n910000001,,A,{t}\n"
                            f"910000002,,B,{t}\n".encode()).json()
    assert first["counts"] == {"created": 2}
    clash = admin.post("/api/v1/admin/import", headers={"Content-Type": "text/csv"},
                       data=b"id:LANR,id:X,name\n910000001,1,A\n910000002,1,B\n").json()
    # Row 2 names X:1, now owned by account A, with LANR of account B.
    assert clash["rows"][1]["status"] == "skipped"
    assert "different accounts" in clash["rows"][1]["reason"]


WIDE = ",".join(f"extra {i}" for i in range(40))  # a register's columns nobody maps


def _csv_with_gaps(territory: str) -> bytes:
    """A provider list as registers write it: gaps in addresses, a name broken over two lines
    in a quoted cell, an organisation among the persons, a row wider than its header, states
    and countries as names and codes in German and English."""
    empty = "," * 40
    rows = [
        "id:LANR,first_name,last_name,Provider Organization Name,line1,postcode,city,state,"
        f"country,territory,{WIDE}",
        f"920000001,Anna,Alt,,Hauptstr. 1,80331,München,Bayern,Deutschland,{territory}{empty}",
        f"920000002,Bernd,Berg,,Weg 2,,,,,{territory}{empty}",
        f"920000003,Clara,Cord,,,,,,,{territory}{empty}",
        f'920000004,"Dora\nDamm",,,Sunset Blvd 1,90028,Los Angeles,CA,United States,{territory}'
        f"{empty}",
        f"920000005,,,Praxis am Markt GmbH,Markt 1,50667,Köln,,DE,{territory}{empty}",
        f"920000006,Emil,Eck,,Ring 3,10115,Berlin,Berlin,DE,{territory}{empty},,,",
        f"920000007,Fritz,Falk,,Allee 9,90402,Nürnberg,Bavaria,Germany,{territory}{empty}",
        f"920000008,Gina,Gold,,Main St 1,12345,Poseidonis,,Atlantis,{territory}{empty}",
    ]
    return "\n".join(rows).encode()


def test_csv_keeps_every_row_with_a_name_and_flags_its_gaps(live: Live, admin: Client) -> None:
    territory = live.territory()
    r = admin.post("/api/v1/admin/import", data=_csv_with_gaps(territory),
                   headers={"Content-Type": "text/csv"})
    assert r.status_code == 200, r.text
    report = r.json()
    rows = {row["ref"]: row for row in report["rows"]}
    # Each record is told by the line it starts on (Dora's name spans lines 5 and 6).
    assert list(rows) == ["line 2", "line 3", "line 4", "line 5", "line 7", "line 8",
                          "line 9", "line 10"]
    assert report["counts"] == {"created": 7, "skipped": 1}
    assert report["flags"] == {"address without a postcode": 1, "address without a city": 1,
                               "no address": 1, "country not recognised": 1}
    assert rows["line 3"]["flags"] == ["address without a postcode", "address without a city"]
    organisation = rows["line 7"]
    assert organisation["status"] == "skipped"
    assert organisation["reason"].startswith(
        "an organisation row in a person import ('Provider Organization Name' is filled")
    assert "map `kind`" in organisation["reason"]
    with live.db.reading() as s:
        def address_of(ref: str) -> Address | None:
            return s.scalars(select(Address).where(
                Address.account_id == rows[ref]["account_id"])).one_or_none()

        dora = s.get(Account, rows["line 5"]["account_id"])
        assert dora is not None and dora.name == "Dora Damm"
        places = {ref: (a.country, a.region) for ref in ("line 2", "line 5", "line 8", "line 9",
                                                         "line 10") if (a := address_of(ref))}
        assert places == {"line 2": ("DE", "DE-BY"), "line 5": ("US", "US-CA"),
                          "line 8": ("DE", "DE-BE"), "line 9": ("DE", "DE-BY"),
                          "line 10": ("ZZ", None)}
        bernd = address_of("line 3")
        assert bernd is not None and (bernd.line1, bernd.postcode, bernd.city) == (
            "Weg 2", None, "")
        assert address_of("line 4") is None
        flagged = {row_id: json.loads(details or "{}")["flags"] for row_id, details in s.execute(
            select(AuditEntry.row_id, AuditEntry.details).where(
                AuditEntry.action == "import.flagged",
                AuditEntry.row_id.in_([row.get("account_id") for row in rows.values()])))}
    assert flagged == {rows["line 3"]["account_id"]: rows["line 3"]["flags"],
                       rows["line 4"]["account_id"]: ["no address"],
                       rows["line 10"]["account_id"]: ["country not recognised"]}

    # An import that does not say the city keeps the one the account has; an unchanged
    # re-import adds no audit entry.
    again = admin.post("/api/v1/admin/import", headers={"Content-Type": "text/csv"},
                       data=b"id:LANR,name,line1\n920000001,Anna Alt,Neue Str. 5\n"
                            b"920000003,Clara Cord,\n").json()
    assert [row["status"] for row in again["rows"]] == ["updated", "unchanged"]
    with live.db.reading() as s:
        anna = s.scalars(select(Address).where(
            Address.account_id == rows["line 2"]["account_id"])).one()
        assert (anna.line1, anna.city, anna.region) == ("Neue Str. 5", "München", "DE-BY")
        assert s.scalar(select(func.count()).select_from(AuditEntry).where(
            AuditEntry.row_id == rows["line 4"]["account_id"])) == 1


def test_csv_refusals_say_what_the_row_is(live: Live, admin: Client) -> None:
    csv = ("id:LANR,name,kind,first_name,line1\n"
           "930000001,,hco,,Markt 1\n"
           "930000002,Dr. Zu Breit,hcp,,Weg 1,Köln\n"
           "930000003,Dr. Ok,Arzt,,Weg 2\n"
           "930000004,Dr. Nur NPI,hcp,,Weg 3\n")
    answer = admin.post("/api/v1/admin/import", headers={"Content-Type": "text/csv"},
                        data=csv.encode()).json()
    reasons = [row.get("reason") for row in answer["rows"]]
    assert reasons[0] == "an organisation row without a name: map its name column to `name`"
    assert reasons[1] == ("has 6 cells, the header has 5: a delimiter inside a value that is "
                          "not quoted?")
    assert answer["rows"][2]["status"] == "created", answer["rows"][2]  # "Arzt": a person
    npi_only = admin.post("/api/v1/admin/import", headers={"Content-Type": "text/csv"},
                          data=b"id:NPI,name\n1122334499,Dr. Nur NPI\n").json()["rows"][0]
    assert npi_only["status"] == "skipped"
    assert npi_only["reason"].startswith("no external id: an account needs one to be matched "
                                         "later; identifier rejected: invalid NPI")
