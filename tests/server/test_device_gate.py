"""One pull at a time per device (server/sync/device_gate.py), with real threads."""

from __future__ import annotations

import threading
import time

import pytest

from server.sync.device_gate import BUSY, DeviceBusyError, DeviceGate


def test_a_devices_pulls_never_run_at_once_and_a_third_is_told_to_wait() -> None:
    gate = DeviceGate(wait_s=5.0)
    inside = 0
    most = 0
    lock = threading.Lock()
    release = threading.Event()
    refused: list[str] = []

    def pull() -> None:
        nonlocal inside, most
        try:
            with gate.one_at_a_time("rep", "laptop-1"):
                with lock:
                    inside += 1
                    most = max(most, inside)
                release.wait(5)
                with lock:
                    inside -= 1
        except DeviceBusyError as exc:
            refused.append(str(exc))

    first = threading.Thread(target=pull)
    first.start()
    while len(gate) == 0:
        time.sleep(0.01)
    second = threading.Thread(target=pull)  # waits for the first
    second.start()
    time.sleep(0.2)
    pull()  # a third while two are in: told at once, never computed
    assert refused == [BUSY]
    release.set()
    first.join()
    second.join()
    assert most == 1  # the waiting one ran after the first, not beside it
    assert len(gate) == 0  # nothing kept once the device's pulls ended


def test_other_devices_are_not_held_back() -> None:
    gate = DeviceGate(wait_s=0.2)
    with gate.one_at_a_time("rep", "laptop-1"), gate.one_at_a_time("rep", "laptop-2"), \
            gate.one_at_a_time("msl", "laptop-1"):
        assert len(gate) == 3


def test_a_pull_that_waited_too_long_is_told_so_and_leaves_nothing() -> None:
    gate = DeviceGate(wait_s=0.1)
    done = threading.Event()

    def slow() -> None:
        with gate.one_at_a_time("rep", "laptop-1"):
            done.wait(5)

    holder = threading.Thread(target=slow)
    holder.start()
    while len(gate) == 0:
        time.sleep(0.01)
    with pytest.raises(DeviceBusyError, match="previous page"), \
            gate.one_at_a_time("rep", "laptop-1"):
        pass
    done.set()
    holder.join()
    assert len(gate) == 0
