"""The wheel people install carries the app's resources, and the app finds them there.

An editable install reads the repository's `resources/`; a wheel has only what setup.py
packs. This builds one, installs it into a fresh virtual environment that cannot see the
repository (no system site packages, run from elsewhere, no PYTHONPATH), and asks the
installed `app.config.resources_dir` for every file of `resources/`, byte for byte.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import venv
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]

PROBE = """
import json, sys
from pathlib import Path
from app.config import resources_dir
folder = resources_dir()
files = {str(p.relative_to(folder)): p.read_bytes().hex()
         for p in sorted(folder.rglob("*")) if p.is_file() and "__pycache__" not in p.parts}
print(json.dumps({"folder": str(folder), "prefix": sys.prefix, "files": files}))
"""


def _run(command: list[str], cwd: Path) -> str:
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "PYTHONHOME")}
    done = subprocess.run(command, cwd=cwd, env=env, capture_output=True, text=True,
                          timeout=600, check=False)
    assert done.returncode == 0, done.stdout + done.stderr
    return done.stdout


def _source_copy(target: Path) -> Path:
    """The project's files as git knows them (a build in the working tree reuses its build/)."""
    listed = _run(["git", "ls-files", "-z", "--cached", "--others", "--exclude-standard"], ROOT)
    for name in filter(None, listed.split("\0")):
        source = ROOT / name
        if source.is_file():
            (target / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(source, target / name)
    return target


@pytest.mark.slow
def test_the_installed_wheel_reads_its_resources_from_itself(tmp_path: Path) -> None:
    source = _source_copy(tmp_path / "source")
    _run([sys.executable, "-m", "pip", "wheel", "--no-deps", "-q", "-w", str(tmp_path / "dist"),
          str(source)], tmp_path)
    wheel = next((tmp_path / "dist").glob("fieldrep-*.whl"))
    names = set(zipfile.ZipFile(wheel).namelist())
    expected = {str(p.relative_to(ROOT)) for p in (ROOT / "resources").rglob("*") if p.is_file()}
    assert {f"app/{name}" for name in expected} <= names
    assert not any(n.startswith(("tests/", "benchmarks/", "resources/")) for n in names)

    env_dir = tmp_path / "venv"
    venv.create(env_dir, with_pip=True, system_site_packages=False)
    python = env_dir / "bin" / "python"
    # The app's own code needs only platformdirs to answer where its resources are.
    _run([str(python), "-m", "pip", "install", "-q", "--no-deps", str(wheel), "platformdirs"],
         tmp_path)
    seen = json.loads(_run([str(python), "-c", PROBE], tmp_path))

    folder = Path(seen["folder"])
    assert folder.is_relative_to(seen["prefix"]) and not folder.is_relative_to(ROOT)
    assert seen["files"] == {
        str(p.relative_to(ROOT / "resources")): p.read_bytes().hex()
        for p in sorted((ROOT / "resources").rglob("*")) if p.is_file()}
