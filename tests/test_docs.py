"""The repository is its own map: it cites no document it does not hold, and says the
layer order the way the import-linter contract declares it.

A docstring that explains a choice by naming a Markdown page is only useful when the page is
here: every `*.md` a tracked text file names must be a file of the repository (by its path
from the root, from the naming file's folder, or as the end of a tracked path), and no file
may name a document by a label from outside (the domain's numbered seeds).
"""

from __future__ import annotations

import re
import subprocess
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
TEXT_SUFFIXES = {".py", ".md", ".toml", ".spec", ".cfg", ".ini", ".txt", ".qss", ".sh", ".ts",
                 ".mako", ".json", ".html", ".js", ".css"}
MARKDOWN_NAME = re.compile(r"(?<![\w/.-])((?:\.{0,2}/)?(?:[\w.-]+/)*[\w-]+\.md)\b")
OUTSIDE_LABEL = re.compile(r"\bseeds? 0\d\d\b", re.IGNORECASE)


def _tracked_text_files() -> list[Path]:
    listed = subprocess.run(["git", "ls-files", "-z", "--cached", "--others",
                             "--exclude-standard"], cwd=ROOT, capture_output=True, text=True,
                            check=True).stdout
    paths = [ROOT / name for name in listed.split("\0") if name]
    return [p for p in paths if p.is_file() and (p.suffix in TEXT_SUFFIXES
                                                 or p.parent.name == ".ci")]


def outside_citations(files: list[Path]) -> list[str]:
    """Every place that cites a document the repository does not hold, as `file:line: what`."""
    tracked = {str(p.relative_to(ROOT)) for p in _tracked_text_files()}
    found = []
    for path in files:
        text = path.read_text(encoding="utf-8", errors="replace")
        for number, line in enumerate(text.splitlines(), start=1):
            where = f"{path.relative_to(ROOT)}:{number}"
            for name in MARKDOWN_NAME.findall(line):
                if not ((ROOT / name).resolve().is_file()
                        or (path.parent / name).resolve().is_file()
                        or any(t.endswith(f"/{name}") for t in tracked)):
                    found.append(f"{where}: {name}")
            found += [f"{where}: {m.group(0)}" for m in OUTSIDE_LABEL.finditer(line)]
    return found


def test_no_file_cites_a_document_outside_the_repository() -> None:
    assert outside_citations(_tracked_text_files()) == []


def test_the_check_sees_an_outside_document(tmp_path: Path) -> None:
    cite = ROOT / "docs" / f"{tmp_path.name}.py"  # a file inside, so paths resolve as there
    outside, label = "DESIGN" + ".md", "seed" + " 001"  # not cited by this very file
    cite.write_text(f'"""Why ({outside}, {label}); see docs/architecture.md, rules.md."""\n',
                    encoding="utf-8")
    try:
        assert [w.split(": ", 1)[1] for w in outside_citations([cite])] == [outside, label]
    finally:
        cite.unlink()


def layer_order() -> str:
    """The layers contract of pyproject.toml as one line of arrows."""
    config = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    layers = next(c["layers"] for c in config["tool"]["importlinter"]["contracts"]
                  if c["type"] == "layers")
    return " -> ".join(f"({layer})" if "|" in layer else layer for layer in layers)


def test_readme_and_architecture_say_the_contract_s_layer_order() -> None:
    order = layer_order()
    assert order.startswith("(app.ui | app.demo) -> app.services")
    for doc in ("README.md", "docs/architecture.md"):
        text = " ".join((ROOT / doc).read_text(encoding="utf-8").split())
        assert order in text, f"{doc} does not show the layer order {order}"
