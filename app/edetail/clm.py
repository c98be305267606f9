"""Importing content made for other CLM players on the laptop (docs/content-packages.md).

The conversion into a package of our format is `app.content_format.clm`, shared with the
server's `content add`; the package then goes through `import_package`.
"""

from __future__ import annotations

import dataclasses
import logging
import shutil
from collections.abc import Sequence
from pathlib import Path

from app.content_format.archive import DEFAULT_LIMITS, Limits
from app.content_format.clm import ClmInfo, OrderEntry, assemble, missing_files
from app.edetail.package import Cancel, ImportResult, Progress, content_store, import_package
from app.store.database import Database

log = logging.getLogger(__name__)

def import_clm(db: Database, source: Path, info: ClmInfo, *,
               order: Sequence[str | OrderEntry] | None = None,
               progress: Progress | None = None, cancel: Cancel | None = None,
               limits: Limits = DEFAULT_LIMITS) -> ImportResult:
    """Import CLM key messages at `source` as one presentation; PackageError if unfit.

    `order` (names, or OrderEntry with key message code, topic and title) overrides the
    folder's ordering file; without either, the key messages come in natural name order.
    """
    staging = content_store(db).staging_dir()
    try:
        package = assemble(source, info, staging / "assembled.zip", order=order, limits=limits)
        result = import_package(db, package, progress=progress, cancel=cancel, limits=limits)
        missing = missing_files(package)
        if missing:
            log.warning("%s: its pages link to %d file(s) it does not hold: %s",
                        source.name, len(missing), ", ".join(missing[:20]))
        return dataclasses.replace(result, missing_files=tuple(missing))
    finally:
        shutil.rmtree(staging, ignore_errors=True)
