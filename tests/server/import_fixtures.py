"""FHIR bundles in the shapes a US transaction bundle generator writes, for the import tests:
made here, since the shared public examples have no such bundle."""

from __future__ import annotations

import json
from typing import Any


def _bundle(*resources: dict[str, Any]) -> bytes:
    return json.dumps({"resourceType": "Bundle", "type": "transaction", "entry": [
        {"fullUrl": f"urn:uuid:{r['id']}", "resource": r} for r in resources]}).encode()


SYNTHEA = "https://github.com/synthetichealth/synthea"
US_NPI = "http://hl7.org/fhir/sid/us-npi"


def synthetic_bundles(tag: str) -> tuple[bytes, bytes, bytes]:
    """Organisations, practitioners (one with an NPI failing its check digit, one valid) and
    their roles, as a transaction bundle generator writes them: roles name both sides by
    identifier, one as a conditional reference."""
    org = {"resourceType": "Organization", "id": f"org-{tag}", "name": f"Clinic {tag}",
           "identifier": [{"system": SYNTHEA, "value": f"org-{tag}"}],
           "address": [{"line": ["1 Main St"], "city": "Boston", "state": "MA",
                        "postalCode": "02101", "country": "US"}]}
    bad = {"resourceType": "Practitioner", "id": f"bad-{tag}",
           "identifier": [{"system": US_NPI, "value": "9999941995"}],
           "name": [{"family": "Keller", "given": ["Ada"], "prefix": ["Dr."]}]}
    good = {"resourceType": "Practitioner", "id": f"good-{tag}",
            "identifier": [{"system": US_NPI, "value": "1234567893"}],
            "name": [{"family": "Good", "given": ["Gil"]}]}
    roles = [
        {"resourceType": "PractitionerRole", "id": f"role-bad-{tag}",
         "practitioner": {"identifier": {"system": US_NPI, "value": "9999941995"},
                          "display": "Dr. Ada Keller"},
         "organization": {"identifier": {"system": SYNTHEA, "value": f"org-{tag}"}}},
        {"resourceType": "PractitionerRole", "id": f"role-good-{tag}",
         "practitioner": {"reference": f"Practitioner?identifier={US_NPI}|1234567893"},
         "organization": {"reference": f"Organization?identifier={SYNTHEA}|org-{tag}"}},
    ]
    return _bundle(org), _bundle(bad, good), _bundle(*roles)
