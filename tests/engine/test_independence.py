"""The engine learns from what a laptop holds, never from the benchmark's world: no module of
the app imports the simulator or the harness (benchmarks/world), nor their constants."""

from __future__ import annotations

import ast
from pathlib import Path

APP = Path(__file__).resolve().parents[2] / "app"


def imported_modules(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    found: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module:
            found.add(node.module)
        elif isinstance(node, ast.Call) and getattr(node.func, "attr", "") == "import_module" \
                and node.args and isinstance(node.args[0], ast.Constant):
            found.add(str(node.args[0].value))
    return found


def test_no_app_module_imports_the_benchmark_world() -> None:
    offenders = {str(path.relative_to(APP.parent)): sorted(
                     m for m in imported_modules(path)
                     if m.startswith("benchmarks") or m.rsplit(".", 1)[-1] in
                     ("simulator", "harness"))
                 for path in APP.rglob("*.py")}
    assert {path: names for path, names in offenders.items() if names} == {}
    assert not (APP / "engine" / "simulator.py").exists()
    assert not (APP / "engine" / "harness.py").exists()


def test_the_check_finds_such_an_import(tmp_path: Path) -> None:
    module = tmp_path / "leak.py"
    module.write_text("from benchmarks.world.simulator import PERSONAS\n"
                      "import importlib\nimportlib.import_module('benchmarks.world.harness')\n",
                      encoding="utf-8")
    assert imported_modules(module) == {"benchmarks.world.simulator", "importlib",
                                        "benchmarks.world.harness"}
