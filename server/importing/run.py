"""The two import entry points the CLI and the admin endpoint share."""

from __future__ import annotations

from server.db import Database
from server.importing import csvfile, fhir
from server.importing.records import ImportReport
from server.importing.upsert import Progress, Upserter


def import_csv(db: Database, data: bytes, mapping: csvfile.Mapping | None = None,
               encoding: str = "utf-8", territory: str | None = None,
               progress: Progress | None = None) -> ImportReport:
    """Upsert the accounts of a CSV file; raises ImportFormatError before writing anything
    if the file as a whole is unusable."""
    total, items = csvfile.read_csv(data, mapping, encoding)
    return Upserter(db, default_territory=territory).run(items, total, progress)


def import_fhir(db: Database, data: bytes, fhir_version: str | None = None,
                territory: str | None = None,
                progress: Progress | None = None) -> ImportReport:
    """Upsert the practitioners and organisations of a FHIR R4 payload."""
    resources = fhir.load(data, fhir_version)
    items = list(fhir.items(resources))
    return Upserter(db, default_territory=territory).run(items, len(items), progress)
