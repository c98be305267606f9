"""The manifest of a content package (docs/content-packages.md), read strictly into values.

Pure Python and no I/O: the importer hands in the decoded JSON and gets typed values back,
or a PackageError naming the field that is wrong. Strict on purpose: a package is shown to
doctors under the law on medicines advertising (HWG), so a manifest that says something odd
is refused rather than guessed at.
"""

from __future__ import annotations

import datetime as dt
import posixpath
from dataclasses import dataclass, field
from typing import Any

from app.content_format.errors import PackageError
from app.content_format.kinds import ApprovalState, SlideKind
from app.i18n import tr

FORMAT = 1
MANIFEST_NAME = "manifest.json"
PDF_SUFFIXES = (".pdf",)
IMAGE_SUFFIXES = (".png", ".jpg", ".jpeg")
HTML_SUFFIXES = (".html", ".htm")
QUESTION_TYPES = ("single", "multiple", "scale", "text")
MAX_SLIDES = 500
MAX_QUESTIONS = 20
MAX_SCALE_STEPS = 11


@dataclass(frozen=True)
class Question:
    id: str
    type: str  # one of QUESTION_TYPES
    text: str
    options: tuple[str, ...] = ()  # single and multiple choice
    minimum: int | None = None  # scale
    maximum: int | None = None  # scale

    def to_json(self) -> dict[str, Any]:
        out: dict[str, Any] = {"id": self.id, "type": self.type, "text": self.text}
        if self.options:
            out["options"] = list(self.options)
        if self.type == "scale":
            out["min"], out["max"] = self.minimum, self.maximum
        return out


@dataclass(frozen=True)
class SlideSpec:
    id: str
    title: str
    file: str  # the path inside the package, without "#page"
    kind: SlideKind
    page: int | None
    key_message: str
    topic: str
    thumbnail: str | None = None
    questions: tuple[Question, ...] = ()


@dataclass(frozen=True)
class Manifest:
    id: str
    version: str
    title: str
    product: str  # a product's name or id
    valid_from: dt.date
    valid_until: dt.date
    approval_state: ApprovalState
    slides: tuple[SlideSpec, ...] = field(default_factory=tuple)


def _fail(where: str, problem: str) -> PackageError:
    return PackageError(tr("The manifest is not valid: {where} {problem}", where=where,
                           problem=problem))


def _text(obj: dict[str, Any], key: str, where: str, *, required: bool = True,
          max_len: int = 300) -> str | None:
    value = obj.get(key)
    if value is None:
        if required:
            raise _fail(f"{where}{key}", tr("is missing."))
        return None
    if not isinstance(value, str) or not value.strip():
        raise _fail(f"{where}{key}", tr("must be a non-empty text."))
    if len(value) > max_len:
        raise _fail(f"{where}{key}", tr("is longer than {n} characters.", n=max_len))
    return value.strip()


def _required_text(obj: dict[str, Any], key: str, where: str, max_len: int = 300) -> str:
    value = _text(obj, key, where, max_len=max_len)
    assert value is not None
    return value


def _date(obj: dict[str, Any], key: str) -> dt.date:
    raw = _required_text(obj, key, "")
    try:
        return dt.date.fromisoformat(raw)
    except ValueError:
        raise _fail(key, tr("must be a date written as YYYY-MM-DD.")) from None


def _int(value: object, where: str) -> int:
    if isinstance(value, bool) or not isinstance(value, int):
        raise _fail(where, tr("must be a whole number."))
    return value


def package_path(raw: str, where: str) -> str:
    """A path inside the package, normalised; refuses anything that could leave it."""
    if "\\" in raw or raw.startswith("/") or ":" in raw.split("/", maxsplit=1)[0]:
        raise _fail(where, tr("must be a relative path inside the package."))
    norm = posixpath.normpath(raw)
    if norm in (".", "") or norm.startswith("../") or norm == "..":
        raise _fail(where, tr("must be a relative path inside the package."))
    return norm


def slide_kind(path: str) -> SlideKind | None:
    lower = path.lower()
    if lower.endswith(PDF_SUFFIXES):
        return SlideKind.PDF
    if lower.endswith(IMAGE_SUFFIXES):
        return SlideKind.IMAGE
    if lower.endswith(HTML_SUFFIXES):
        return SlideKind.HTML
    return None


def _question(raw: object, where: str) -> Question:
    if not isinstance(raw, dict):
        raise _fail(where, tr("must be an object."))
    qid = _required_text(raw, "id", f"{where}.", max_len=100)
    qtype = _required_text(raw, "type", f"{where}.")
    text = _required_text(raw, "text", f"{where}.", max_len=1000)
    if qtype not in QUESTION_TYPES:
        raise _fail(f"{where}.type", tr("must be one of: {names}.",
                                        names=", ".join(QUESTION_TYPES)))
    if qtype in ("single", "multiple"):
        options = raw.get("options")
        if (not isinstance(options, list) or len(options) < 2
                or not all(isinstance(o, str) and o.strip() for o in options)):
            raise _fail(f"{where}.options", tr("must list at least two answers as texts."))
        if len(set(options)) != len(options):
            raise _fail(f"{where}.options", tr("lists an answer twice."))
        return Question(qid, qtype, text, options=tuple(options))
    if qtype == "scale":
        low = _int(raw.get("min", 1), f"{where}.min")
        high = _int(raw.get("max", 5), f"{where}.max")
        if not low < high or high - low + 1 > MAX_SCALE_STEPS:
            raise _fail(f"{where}.max", tr("must be above min, with at most {n} steps.",
                                           n=MAX_SCALE_STEPS))
        return Question(qid, qtype, text, minimum=low, maximum=high)
    return Question(qid, qtype, text)


def _slide(raw: object, index: int) -> SlideSpec:
    where = f"slides[{index}]"
    if not isinstance(raw, dict):
        raise _fail(where, tr("must be an object."))
    sid = _required_text(raw, "id", f"{where}.", max_len=100)
    file_ref = _required_text(raw, "file", f"{where}.", max_len=500)
    path, _, page_ref = file_ref.partition("#")
    path = package_path(path, f"{where}.file")
    kind = slide_kind(path)
    if kind is None:
        raise PackageError(tr("Slide “{slide}” is a file of a type Fieldrep cannot show "
                              "({file}). Use PDF, PNG, JPEG or an HTML5 folder.",
                              slide=sid, file=path))
    page: int | None = None
    if kind is SlideKind.PDF:
        if page_ref and not page_ref.isdigit():
            raise _fail(f"{where}.file", tr("must name a PDF page as “file.pdf#3”."))
        page = int(page_ref) if page_ref else 1
        if page < 1:
            raise _fail(f"{where}.file", tr("must name a PDF page as “file.pdf#3”."))
    elif page_ref:
        raise _fail(f"{where}.file", tr("can name a page only in a PDF file."))
    thumb = _text(raw, "thumbnail", f"{where}.", required=False, max_len=500)
    if thumb is not None:
        thumb = package_path(thumb, f"{where}.thumbnail")
        if slide_kind(thumb) is not SlideKind.IMAGE:
            raise _fail(f"{where}.thumbnail", tr("must be a PNG or JPEG picture."))
    questions_raw = raw.get("questions", [])
    if not isinstance(questions_raw, list) or len(questions_raw) > MAX_QUESTIONS:
        raise _fail(f"{where}.questions", tr("must be a list of at most {n} questions.",
                                             n=MAX_QUESTIONS))
    questions = tuple(_question(q, f"{where}.questions[{i}]")
                      for i, q in enumerate(questions_raw))
    if len({q.id for q in questions}) != len(questions):
        raise _fail(f"{where}.questions", tr("use a question id twice."))
    key_message = _required_text(raw, "key_message", f"{where}.", max_len=64)
    return SlideSpec(
        id=sid,
        title=_text(raw, "title", f"{where}.", required=False) or key_message,
        file=path, kind=kind, page=page, key_message=key_message,
        topic=_required_text(raw, "topic", f"{where}.", max_len=100),
        thumbnail=thumb, questions=questions,
    )


def parse_manifest(data: object) -> Manifest:
    """The manifest's values, checked; raises PackageError naming the first problem."""
    if not isinstance(data, dict):
        raise _fail(MANIFEST_NAME, tr("must be a JSON object."))
    fmt = data.get("format", FORMAT)
    if fmt != FORMAT:
        raise _fail("format", tr("must be {n}; this Fieldrep reads format {n} only.", n=FORMAT))
    version = data.get("version")
    if isinstance(version, int) and not isinstance(version, bool):
        version = str(version)
    if not isinstance(version, str) or not version.strip() or len(version) > 32:
        raise _fail("version", tr("must be a text or a whole number (e.g. “1.2”)."))
    state = _required_text(data, "approval_state", "")
    if state not in {s.value for s in ApprovalState}:
        raise _fail("approval_state", tr("must be one of: {names}.",
                                         names=", ".join(s.value for s in ApprovalState)))
    valid_from, valid_until = _date(data, "valid_from"), _date(data, "valid_until")
    if valid_until < valid_from:
        raise _fail("valid_until", tr("is before valid_from."))
    slides_raw = data.get("slides")
    if not isinstance(slides_raw, list) or not slides_raw:
        raise _fail("slides", tr("must be a list with at least one slide."))
    if len(slides_raw) > MAX_SLIDES:
        raise _fail("slides", tr("has more than {n} slides.", n=MAX_SLIDES))
    slides = tuple(_slide(raw, i) for i, raw in enumerate(slides_raw))
    seen: set[str] = set()
    for slide in slides:
        if slide.id in seen:
            raise PackageError(tr("Two slides have the id “{slide}”; each needs its own.",
                                  slide=slide.id))
        seen.add(slide.id)
    return Manifest(
        id=_required_text(data, "id", "", max_len=100),
        version=version.strip(),
        title=_required_text(data, "title", ""),
        product=_required_text(data, "product", "", max_len=200),
        valid_from=valid_from, valid_until=valid_until,
        approval_state=ApprovalState(state), slides=slides,
    )
