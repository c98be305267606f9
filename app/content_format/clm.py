"""Content made for other CLM players, assembled into a package of our format.

The laptop's Library (app.edetail.clm) and the server's `content add` both convert with
this module, so both accept the same key messages (docs/content-packages.md).

Such content comes as one zip per key message (an HTML5 folder: index.html and a thumbnail at
its root, or inside one top folder named like the zip), or as a folder of such zips/folders
next to a `shared` folder of common resources. It has no manifest: the presentation's facts
(id, title, product, validity, approval) come from the person importing, the slide order
from an ordering file or an explicit list.

Rather than a second importer, the pieces are assembled into a package of our own format
(key messages as `<name>/...`, shared resources as `shared/...`, so `../shared/x.css` still
resolves) and that package goes through the package checks: one set of checks, one way in.
Every zip is checked (names, links, sizes, ratios) before a byte of it is read.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import html
import json
import os
import posixpath
import re
import urllib.parse
import zipfile
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

from app.content_format.archive import DEFAULT_LIMITS, Limits, checked_members, open_zip
from app.content_format.errors import PackageError
from app.content_format.kinds import ApprovalState
from app.content_format.manifest import FORMAT, MANIFEST_NAME
from app.i18n import tr

ORDER_FILE = "order.txt"
SHARED = "shared"
ENTRY = "index.html"
DEFAULT_TOPIC = "general"
#: A fixed timestamp for the assembled zip, so the same content assembles to the same bytes
#: (and the same SHA-256: importing it twice is recognised as one package).
ZIP_TIME = (1980, 1, 1, 0, 0, 0)
_TITLE = re.compile(rb"<title[^>]*>(.*?)</title>", re.IGNORECASE | re.DOTALL)
#: A file a page links to: `src="…"`, `href="…"` or CSS `url(…)` in its HTML.
_REFERENCE = re.compile(rb"""(?:\bsrc|\bhref)\s*=\s*["']([^"'#?]+)|url\(\s*["']?([^"')#?]+)""",
                        re.IGNORECASE)
_NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._ -]{0,99}$")


@dataclass(frozen=True)
class ClmInfo:
    """What CLM content does not say about itself; asked for by the import dialog."""

    id: str
    version: str
    title: str
    product: str  # a product's name or id
    valid_from: dt.date
    valid_until: dt.date
    approval_state: ApprovalState = ApprovalState.APPROVED


@dataclass(frozen=True)
class OrderEntry:
    """One line of the ordering file: `name | key message code | topic | title`."""

    name: str
    key_message: str | None = None
    topic: str | None = None
    title: str | None = None


def parse_order(text: str) -> list[OrderEntry]:
    """Read an ordering file: one key message per line, `#` comments, `|` between fields."""
    entries: list[OrderEntry] = []
    for number, raw in enumerate(text.splitlines(), start=1):
        line = raw.split("#", 1)[0].strip()
        if not line:
            continue
        parts = [p.strip() or None for p in line.split("|")]
        if len(parts) > 4 or parts[0] is None:
            raise PackageError(tr("{file}, line {line}: write “name | key message | topic | "
                                  "title” (all but the name may be left out).",
                                  file=ORDER_FILE, line=number))
        parts += [None] * (4 - len(parts))
        entries.append(OrderEntry(parts[0], parts[1], parts[2], parts[3]))
    return entries


# --- reading the key messages -----------------------------------------------------------


@dataclass
class _Source:
    """One key message (or the shared folder): where it is, and how to read its files."""

    name: str
    path: Path  # a zip or a folder


def _folder_files(root: Path, limits: Limits) -> Iterator[tuple[str, Path]]:
    """The files below `root` by relative path; refuses links and oversized folders."""
    total = 0
    for folder, dirs, names in os.walk(root, followlinks=False):
        here = Path(folder)
        for name in dirs + names:
            if (here / name).is_symlink():
                raise PackageError(tr("{name} is refused: “{member}” is a link, and packages "
                                      "may not contain links.", name=root.name,
                                      member=(here / name).relative_to(root).as_posix()))
        for name in sorted(names):
            path = here / name
            total += path.stat().st_size
            if total > limits.max_total_size:
                raise PackageError(tr("{name} is refused: it would unpack to more than {mb} "
                                      "MB.", name=root.name, mb=limits.max_total_size // 2**20))
            yield path.relative_to(root).as_posix(), path


def _zip_root(names: list[str], label: str, *, need_entry: bool) -> str:
    """"" when the content sits at the zip's root, else "<top folder>/" (one folder only)."""
    if not need_entry:
        tops = {n.split("/", 1)[0] for n in names if n.strip("/")}
        wrapped = len(tops) == 1 and all("/" in n for n in names)
        return f"{tops.pop()}/" if wrapped else ""
    if ENTRY in names:
        return ""
    roots = [n[: -len(ENTRY)] for n in names if n.endswith(f"/{ENTRY}") and n.count("/") == 1]
    if len(roots) == 1:
        return roots[0]
    raise PackageError(tr("{name} is not a CLM key message: it has no {entry} at its top "
                          "level.", name=label, entry=ENTRY))


def _files_of(source: _Source, limits: Limits, *, need_entry: bool = True
              ) -> Iterator[tuple[str, bytes]]:
    """(relative path, bytes) of a key message's files, wherever it keeps them."""
    if source.path.is_dir():
        found = list(_folder_files(source.path, limits))
        if need_entry and ENTRY not in {rel for rel, _ in found}:
            raise PackageError(tr("{name} is not a CLM key message: it has no {entry} at its "
                                  "top level.", name=source.name, entry=ENTRY))
        for rel, path in found:
            yield rel, path.read_bytes()
        return
    with open_zip(source.path) as zf:
        members = checked_members(zf, limits, label=source.path.name)
        names = [m.filename for m in members]
        prefix = _zip_root(names, source.path.name, need_entry=need_entry)
        for info in members:
            if not info.filename.startswith(prefix):
                continue
            try:
                data = zf.read(info)
            except (zipfile.BadZipFile, EOFError, OSError, ValueError) as exc:
                raise PackageError(tr("{name} is damaged: {file} cannot be unpacked "
                                      "({error}).", name=source.path.name, file=info.filename,
                                      error=exc)) from exc
            yield info.filename[len(prefix):], data


def _sources(folder: Path) -> tuple[dict[str, _Source], _Source | None]:
    """The key messages of a folder by name, and its shared resources (if any)."""
    found: dict[str, _Source] = {}
    shared: _Source | None = None
    for path in sorted(folder.iterdir()):
        if path.is_symlink():
            raise PackageError(tr("{name} is refused: “{member}” is a link, and packages may "
                                  "not contain links.", name=folder.name, member=path.name))
        if path.is_dir():
            name = path.name
        elif path.suffix.lower() == ".zip":
            name = path.stem
        else:
            continue  # the ordering file, a readme, ...
        if name == SHARED:
            shared = _Source(name, path)
            continue
        if name in found:
            raise PackageError(tr("The key message “{name}” is there twice (as a folder and "
                                  "as a zip).", name=name))
        found[name] = _Source(name, path)
    return found, shared


def _natural(name: str) -> list[object]:
    return [int(t) if t.isdigit() else t.lower() for t in re.split(r"(\d+)", name)]


def _ordered(available: dict[str, _Source], folder: Path | None,
             order: Sequence[str | OrderEntry] | None) -> list[OrderEntry]:
    if order is not None:
        entries = [e if isinstance(e, OrderEntry) else OrderEntry(e) for e in order]
    elif folder is not None and (folder / ORDER_FILE).is_file():
        entries = parse_order((folder / ORDER_FILE).read_text(encoding="utf-8-sig"))
    else:
        entries = [OrderEntry(name) for name in sorted(available, key=_natural)]
    if not entries:
        raise PackageError(tr("There are no key messages to import."))
    seen: set[str] = set()
    for entry in entries:
        if entry.name not in available:
            raise PackageError(tr("The key message “{name}” is listed, but there is no "
                                  "{name}.zip or folder {name}.", name=entry.name))
        if entry.name in seen:
            raise PackageError(tr("The key message “{name}” is listed twice.",
                                  name=entry.name))
        if not _NAME.match(entry.name):
            raise PackageError(tr("“{name}” cannot be a key message name (letters, digits, "
                                  "“.”, “_”, “-” and spaces only).", name=entry.name))
        seen.add(entry.name)
    return entries


def _html_title(data: bytes) -> str | None:
    match = _TITLE.search(data[:65536])
    if match is None:
        return None
    title = html.unescape(match.group(1).decode("utf-8", "replace")).strip()
    return " ".join(title.split())[:300] or None


def key_messages(source: Path) -> tuple[list[OrderEntry], list[str]]:
    """What an import dialog offers for `source`: the key messages in their default order
    (the ordering file's, else natural name order) and those the ordering file leaves out.
    PackageError when `source` holds none, or its ordering file is wrong."""
    if source.is_dir():
        available, _shared = _sources(source)
        entries = _ordered(available, source, None)
    elif source.is_file():
        available = {source.stem: _Source(source.stem, source)}
        entries = _ordered(available, None, None)
    else:
        raise PackageError(tr("{name} is neither a zip file nor a folder.", name=source.name))
    listed = {e.name for e in entries}
    return entries, sorted((n for n in available if n not in listed), key=_natural)


# --- assembling a package ---------------------------------------------------------------


def _write(zf: zipfile.ZipFile, name: str, data: bytes) -> None:
    zf.writestr(zipfile.ZipInfo(name, date_time=ZIP_TIME), data,
                compress_type=zipfile.ZIP_DEFLATED)


def assemble(source: Path, info: ClmInfo, target: Path, *,
             order: Sequence[str | OrderEntry] | None = None,
             limits: Limits = DEFAULT_LIMITS) -> Path:
    """Write CLM content at `source` (a key-message zip or a folder) as one package."""
    if source.is_dir():
        available, shared = _sources(source)
        entries = _ordered(available, source, order)
    elif source.suffix.lower() == ".zip" or source.is_file():
        available, shared = {source.stem: _Source(source.stem, source)}, None
        entries = _ordered(available, None, order)
    else:
        raise PackageError(tr("{name} is neither a zip file nor a folder.", name=source.name))

    slides: list[dict[str, object]] = []
    with zipfile.ZipFile(target, "w") as zf:
        for entry in entries:
            title: str | None = None
            for rel, data in _files_of(available[entry.name], limits):
                _write(zf, f"{entry.name}/{rel}", data)
                if rel == ENTRY:
                    title = _html_title(data)
            slides.append({
                "id": entry.name, "file": f"{entry.name}/{ENTRY}",
                "key_message": entry.key_message or entry.name,
                "topic": entry.topic or DEFAULT_TOPIC,
                "title": entry.title or title or entry.name,
            })
        if shared is not None:
            for rel, data in _files_of(shared, limits, need_entry=False):
                _write(zf, f"{SHARED}/{rel}", data)
        manifest = {
            "format": FORMAT, "id": info.id, "version": info.version, "title": info.title,
            "product": info.product, "valid_from": info.valid_from.isoformat(),
            "valid_until": info.valid_until.isoformat(),
            "approval_state": ApprovalState(info.approval_state).value, "slides": slides,
        }
        _write(zf, MANIFEST_NAME, json.dumps(manifest, ensure_ascii=False, indent=1).encode())
    return target


def source_kind(path: Path) -> Literal["package", "clm"]:
    """What the import dialog was given: our package (a zip with a manifest) or CLM content.

    CLM content needs `ClmInfo` from the person importing; a package says it all itself.
    """
    if path.is_file() and zipfile.is_zipfile(path):
        with contextlib.suppress(zipfile.BadZipFile, OSError), zipfile.ZipFile(path) as zf:
            if MANIFEST_NAME in zf.namelist():
                return "package"
    return "clm"


def missing_files(package: Path) -> list[str]:
    """Files the package's pages link to that the package does not hold (sorted, package
    paths): a key message shipped without its shared resources presents unstyled, and the
    person importing it should know which files to add. Links out of the package (a
    scheme, an absolute path) are the sandbox's business, not counted here."""
    with zipfile.ZipFile(package) as zf:
        names = set(zf.namelist())
        missing: set[str] = set()
        for name in sorted(names):
            if not name.lower().endswith((".html", ".htm")):
                continue
            base = posixpath.dirname(name)
            for match in _REFERENCE.finditer(zf.read(name)):
                raw = (match.group(1) or match.group(2) or b"").strip()
                link = urllib.parse.unquote(raw.decode("utf-8", "replace"))
                if not link or ":" in link or link.startswith(("/", "\\")):
                    continue
                target = posixpath.normpath(posixpath.join(base, link))
                if not target.startswith("..") and target not in names:
                    missing.add(target)
    return sorted(missing)
