"""Opening a zip from outside without trusting it: names, links, sizes and ratios checked.

Everything here looks at the zip's directory only; nothing is unpacked. The sizes in the
directory are then enforced while unpacking (zipfile stops at the declared size and checks
the CRC), so a lying header cannot get more bytes out than were checked here.
"""

from __future__ import annotations

import stat
import zipfile
from dataclasses import dataclass
from pathlib import Path

from app.content_format.errors import PackageError
from app.i18n import tr


@dataclass(frozen=True)
class Limits:
    """How big a package may get once unpacked. Real decks are tens of MB, ratio ~1-10."""

    max_members: int = 10_000
    max_member_size: int = 512 * 1024 * 1024
    max_total_size: int = 1024 * 1024 * 1024
    max_ratio: float = 100.0  # per member, once it is bigger than ratio_floor
    max_total_ratio: float = 50.0  # the whole package, once it is bigger than ratio_floor
    ratio_floor: int = 1024 * 1024  # small files (a JSON full of spaces) may compress well


DEFAULT_LIMITS = Limits()


def open_zip(path: Path) -> zipfile.ZipFile:
    """The zip at `path`; PackageError when it is not one, or damaged/truncated."""
    if not path.is_file():
        raise PackageError(tr("{name} is not a file.", name=path.name))
    if not zipfile.is_zipfile(path):
        raise PackageError(tr("{name} is not a content package: it is not a zip file, or it "
                              "is incomplete (a download cut short?).", name=path.name))
    try:
        return zipfile.ZipFile(path)
    except (zipfile.BadZipFile, OSError, ValueError) as exc:
        raise PackageError(tr("{name} is damaged and cannot be read ({error}).",
                              name=path.name, error=exc)) from exc


def _is_link(info: zipfile.ZipInfo) -> bool:
    mode = info.external_attr >> 16
    return info.create_system == 3 and stat.S_ISLNK(mode)  # 3: made on Unix


def _bad_name(name: str) -> bool:
    if "\\" in name or "\x00" in name or name.startswith("/"):
        return True
    first = name.split("/", 1)[0]
    if len(first) >= 2 and first[1] == ":":  # C:evil or C:/evil
        return True
    return any(part == ".." for part in name.split("/"))


def checked_members(zf: zipfile.ZipFile, limits: Limits = DEFAULT_LIMITS,
                    *, label: str = "") -> list[zipfile.ZipInfo]:
    """The zip's files (not folders) after every check of its directory; PackageError else.

    `label` names the zip in messages when it sits inside another one (CLM key messages).
    """
    name = label or (Path(zf.filename).name if zf.filename else "zip")
    infos = zf.infolist()
    if len(infos) > limits.max_members:
        raise PackageError(tr("{name} holds more than {n} files.", name=name,
                              n=limits.max_members))
    seen: set[str] = set()
    files: list[zipfile.ZipInfo] = []
    total = compressed = 0
    for info in infos:
        if _bad_name(info.filename):
            raise PackageError(tr("{name} is refused: the file name “{member}” points outside "
                                  "the package.", name=name, member=info.filename))
        if _is_link(info):
            raise PackageError(tr("{name} is refused: “{member}” is a link, and packages may "
                                  "not contain links.", name=name, member=info.filename))
        if info.flag_bits & 0x1:
            raise PackageError(tr("{name} is refused: “{member}” is encrypted.", name=name,
                                  member=info.filename))
        key = info.filename.rstrip("/")
        if key in seen:
            raise PackageError(tr("{name} is refused: it holds “{member}” twice.", name=name,
                                  member=key))
        seen.add(key)
        if info.is_dir():
            continue
        if info.file_size > limits.max_member_size:
            raise PackageError(tr("{name} is refused: “{member}” would unpack to more than "
                                  "{mb} MB.", name=name, member=info.filename,
                                  mb=limits.max_member_size // 2**20))
        if (info.file_size > limits.ratio_floor
                and info.file_size > limits.max_ratio * max(info.compress_size, 1)):
            raise PackageError(tr("{name} is refused: “{member}” is compressed suspiciously "
                                  "well (a zip bomb?).", name=name, member=info.filename))
        total += info.file_size
        compressed += info.compress_size
        files.append(info)
    if total > limits.max_total_size:
        raise PackageError(tr("{name} is refused: it would unpack to more than {mb} MB.",
                              name=name, mb=limits.max_total_size // 2**20))
    if total > limits.ratio_floor and total > limits.max_total_ratio * max(compressed, 1):
        raise PackageError(tr("{name} is refused: it is compressed suspiciously well (a zip "
                              "bomb?).", name=name))
    return files
