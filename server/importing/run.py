"""The import entry points the CLI and the admin endpoint share.

`Batch` imports the payloads of one command: each payload's accounts first, then the links of
all of them, so the order of the files does not matter (roles before practitioners, or
practitioners before organisations, link all the same). A payload refused as a whole is one
warning line in the log; anything else that escapes is a bug and keeps its traceback.
"""

from __future__ import annotations

import logging

from server.db import Database
from server.importing import csvfile, fhir
from server.importing.records import ImportFormatError, ImportReport
from server.importing.upsert import Progress, Upserter

log = logging.getLogger(__name__)


class Batch:
    """Several payloads of one command; call `finish` after the last to write the links."""

    def __init__(self, db: Database, territory: str | None = None) -> None:
        self._upserter = Upserter(db, default_territory=territory)

    def csv(self, data: bytes, mapping: csvfile.Mapping | None = None,
            encoding: str = "utf-8", progress: Progress | None = None,
            source: str = "CSV import") -> ImportReport:
        """Upsert the accounts of a CSV file; raises ImportFormatError before writing
        anything if the file as a whole is unusable."""
        try:
            total, items = csvfile.read_csv(data, mapping, encoding)
            return self._upserter.run(items, total, progress, source)
        except ImportFormatError as exc:
            log.warning("%s refused: %s", source, exc)
            raise

    def fhir(self, data: bytes, fhir_version: str | None = None,
             progress: Progress | None = None, source: str = "FHIR import") -> ImportReport:
        """Upsert the practitioners and organisations of a FHIR R4 payload."""
        try:
            items = list(fhir.items(fhir.load(data, fhir_version)))
            return self._upserter.run(items, len(items), progress, source)
        except ImportFormatError as exc:
            log.warning("%s refused: %s", source, exc)
            raise

    def finish(self) -> None:
        """Write the links of every payload (their reports get the roles' rows)."""
        self._upserter.link()


def import_csv(db: Database, data: bytes, mapping: csvfile.Mapping | None = None,
               encoding: str = "utf-8", territory: str | None = None,
               progress: Progress | None = None) -> ImportReport:
    """One CSV file on its own."""
    batch = Batch(db, territory)
    report = batch.csv(data, mapping, encoding, progress)
    batch.finish()
    return report


def import_fhir(db: Database, data: bytes, fhir_version: str | None = None,
                territory: str | None = None,
                progress: Progress | None = None) -> ImportReport:
    """One FHIR R4 payload on its own."""
    batch = Batch(db, territory)
    report = batch.fhir(data, fhir_version, progress)
    batch.finish()
    return report
