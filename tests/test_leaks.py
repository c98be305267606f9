"""The leak check (tests/leaks.py) on a test file of its own, in a pytest process of its
own: each kind of leftover fails its test and is named, a test that cleans up passes, and
what a session fixture starts is the fixture's."""

from __future__ import annotations

from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]

LEAKY = '''
import threading

import pytest
from PySide6.QtCore import QThreadPool, QTimer
from PySide6.QtWidgets import QWidget

stop = threading.Event()
kept = []


@pytest.fixture(scope="session")
def service():
    thread = threading.Thread(target=stop.wait, name="session-service", daemon=True)
    thread.start()
    return thread


def test_a_forgotten_thread():
    threading.Thread(target=stop.wait, name="forgotten", daemon=True).start()


def test_a_running_timer(qapp):
    timer = QTimer()
    timer.start(1000)
    kept.append(timer)


def test_a_pool_that_outlives_the_test(qapp):
    owner = QWidget()
    pool = QThreadPool(owner)
    pool.start(lambda: None)
    pool.waitForDone()
    kept.append(owner)


def test_an_open_window(qtbot):
    window = QWidget()
    window.setWindowTitle("Left open")
    window.show()
    kept.append(window)


def test_a_clean_test(qtbot, service):
    thread = threading.Thread(target=lambda: None)
    thread.start()
    thread.join()
    timer = QTimer()
    timer.start(1000)
    timer.stop()
    window = QWidget()
    qtbot.addWidget(window)
    window.show()
'''


def test_each_leftover_fails_its_test_by_name(pytester: pytest.Pytester,
                                              monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PYTHONPATH", str(ROOT))
    pytester.makepyfile(test_leaky=LEAKY)
    result = pytester.runpytest_subprocess("-p", "tests.leaks", "-p", "no:cacheprovider")
    result.assert_outcomes(passed=5, errors=4)
    result.stdout.fnmatch_lines_random([
        "*ERROR at teardown of test_a_forgotten_thread*",
        "*thread 'forgotten' running Event.wait is still alive*",
        "*ERROR at teardown of test_a_running_timer*",
        "*QTimer (every 1000 ms, owner NoneType) started at *test_leaky.py:* still runs*",
        "*ERROR at teardown of test_a_pool_that_outlives_the_test*",
        "*QThreadPool (owner QWidget) used at *test_leaky.py:* was never deleted*",
        "*ERROR at teardown of test_an_open_window*",
        "*top-level widget QWidget ('Left open') is still open*",
    ])
    assert "test_a_clean_test" not in "\n".join(
        line for line in result.stdout.lines if "ERROR" in line)
    assert "session-service" not in result.stdout.str()
