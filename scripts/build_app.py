"""Build the one-folder app with build.spec, smoke-test it, print its size and build time.

    python scripts/build_app.py [--out DIR] [--keep]

The smoke test runs the built executable, never this Python: `fieldrep --version`, the
self-check (`fieldrep _selfcheck`: a plain and an encrypted store, a PDF page drawn, an HTML
slide laid out by WebEngine, offscreen) and `fieldrep --probe demo` on a small territory,
which starts the demo server as the executable's own `_server` command, seeds it, syncs a
laptop and paints the window. Prints one JSON object; exits 1 when a step failed.
PyInstaller comes with the `freeze` extra (`pip install -e '.[freeze]'`).
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
DEMO_ACCOUNTS = 300


def _size_mb(folder: Path) -> float:
    total = sum(p.stat().st_size for p in folder.rglob("*") if p.is_file() and not p.is_symlink())
    return round(total / 1e6, 1)


def _env(data: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items()
           if k not in ("PYTHONPATH", "FIELDREP_SERVER_DSN", "FIELDREP_SERVER_DATA_DIR")}
    env["QT_QPA_PLATFORM"] = "offscreen"
    env["HOME"] = str(data)  # the demo's default folders land in the throwaway home
    env["XDG_DATA_HOME"] = str(data / "share")
    env["XDG_CONFIG_HOME"] = str(data / "config")
    if os.geteuid() == 0:  # Chromium refuses to run as root with its sandbox
        env["QTWEBENGINE_CHROMIUM_FLAGS"] = "--no-sandbox --disable-gpu"
    return env


def _step(report: dict[str, object], name: str, command: list[str], env: dict[str, str],
          timeout: float, must_print: str) -> bool:
    started = time.perf_counter()
    try:
        done = subprocess.run(command, env=env, capture_output=True, text=True,
                              timeout=timeout, check=False)
        out, code = done.stdout, done.returncode
        err = done.stderr
    except subprocess.TimeoutExpired as exc:
        out, code = str(exc.stdout or ""), -1
        err = f"timed out after {timeout:.0f} s"
    ok = code == 0 and must_print in out
    report[f"{name}_s"] = round(time.perf_counter() - started, 1)
    report[name] = "ok" if ok else f"FAILED (exit {code}): {(out + err).strip()[-1500:]}"
    last = [line for line in out.splitlines() if line.startswith("{")]
    if last:
        report[f"{name}_output"] = json.loads(last[-1])
    return ok


def build(out: Path) -> dict[str, object]:
    """Build into `out` (dist/ and work/ inside it) and smoke-test; the JSON report."""
    report: dict[str, object] = {}
    started = time.perf_counter()
    done = subprocess.run([sys.executable, "-m", "PyInstaller", "--noconfirm", "--log-level",
                           "WARN", "--distpath", str(out / "dist"), "--workpath",
                           str(out / "work"), str(ROOT / "build.spec")],
                          cwd=ROOT, capture_output=True, text=True, check=False)
    report["build_s"] = round(time.perf_counter() - started, 1)
    folder = out / "dist" / "fieldrep"
    if done.returncode != 0:
        report["build"] = f"FAILED: {done.stderr.strip()[-3000:]}"
        return report
    report["build"] = "ok"
    report["size_mb"] = _size_mb(folder)
    report["files"] = sum(1 for p in folder.rglob("*") if p.is_file())
    exe = str(folder / "fieldrep")
    with tempfile.TemporaryDirectory(prefix="fieldrep-frozen-") as tmp:
        home = Path(tmp)
        env = _env(home)
        _step(report, "version", [exe, "--version"], env, 60, "Fieldrep")
        _step(report, "selfcheck", [exe, "_selfcheck"], env, 180, '"html": "HTML slide')
        _step(report, "demo", [exe, "--data-dir", str(home / "laptop"), "--probe", "demo",
                               "--accounts", str(DEMO_ACCOUNTS),
                               "--server-dir", str(home / "demo-server")],
              env, 600, "rss_mb")
    return report


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--out", type=Path, help="build folder (default: a temporary one, "
                        "removed afterwards)")
    parser.add_argument("--keep", action="store_true", help="keep the temporary build folder")
    args = parser.parse_args()
    out = args.out or Path(tempfile.mkdtemp(prefix="fieldrep-build-"))
    try:
        report = build(out.resolve())
    finally:
        if args.out is None and not args.keep:
            shutil.rmtree(out, ignore_errors=True)
    report["folder"] = str(out / "dist" / "fieldrep") if args.out or args.keep else None
    print(json.dumps(report, ensure_ascii=False))
    steps = ("build", "version", "selfcheck", "demo")
    return 0 if all(report.get(s) == "ok" for s in steps) else 1


if __name__ == "__main__":
    raise SystemExit(main())
