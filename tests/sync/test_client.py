"""The HTTP client against the protocol peer: headers, retries with back-off, clear errors."""

from __future__ import annotations

import random
from collections.abc import Callable

import pytest

from app.sync.client import RetryPolicy, SyncClient
from app.sync.errors import (
    AuthRequiredError,
    MalformedReplyError,
    OfflineError,
    ProtocolMismatchError,
    ServerError,
    SyncCancelledError,
)
from tests.sync.conftest import Seed, Sleeps
from tests.sync.protocol_server import ProtocolServer

MakeClient = Callable[..., SyncClient]


def test_a_pull_carries_the_protocol_and_comes_back_gzipped(
        peer: ProtocolServer, seed: Seed, make_client: MakeClient) -> None:
    bytes_seen: list[tuple[int, int]] = []
    client = make_client()
    client.on_bytes = lambda sent, got: bytes_seen.append((sent, got))
    page = client.pull(None, 100)
    assert len(page["changes"]) == 4 + 2 * len(seed.accounts)
    assert page["more"] is False
    assert bytes_seen and bytes_seen[0][1] > 0


@pytest.mark.parametrize("fault", ["drop_request", "500", "timeout", "cut"])
def test_network_errors_and_5xx_are_retried_with_growing_jittered_waits(
        peer: ProtocolServer, seed: Seed, make_client: MakeClient, sleeps: Sleeps,
        fault: str) -> None:
    client = make_client(timeout=0.3)
    peer.fault("pull", fault, times=2)
    page = client.pull(None, 100)
    assert page["more"] is False
    assert client.retries_made == 2
    assert len(sleeps) == 2
    assert 0 <= sleeps[0] <= 0.5 and 0 <= sleeps[1] <= 1.0


def test_back_off_doubles_up_to_the_cap_with_full_jitter() -> None:
    policy = RetryPolicy(attempts=10, base_s=0.5, cap_s=4.0)
    rng = random.Random(3)
    waits = [policy.delay(n, rng) for n in range(8)]
    assert all(0 <= w <= min(4.0, 0.5 * 2 ** n) for n, w in enumerate(waits))
    assert max(waits) > 1.0  # grows


def test_retries_end_with_a_clear_offline_error(
        peer: ProtocolServer, seed: Seed, make_client: MakeClient, sleeps: Sleeps) -> None:
    client = make_client(attempts=3)
    peer.fault("pull", "drop_request", times=3)
    with pytest.raises(OfflineError, match="cannot be reached"):
        client.pull(None, 100)
    assert len(sleeps) == 2


def test_a_server_that_is_down_is_offline_and_nothing_was_delivered(
        make_client: MakeClient, peer: ProtocolServer) -> None:
    client = make_client(attempts=2)
    peer.stop()
    with pytest.raises(OfflineError) as caught:
        client.pull(None, 10)
    assert caught.value.maybe_delivered is False


def test_500s_that_last_become_a_server_error(
        peer: ProtocolServer, seed: Seed, make_client: MakeClient) -> None:
    client = make_client(attempts=2)
    peer.fault("pull", "500", times=2)
    with pytest.raises(ServerError, match="error 500"):
        client.pull(None, 100)


@pytest.mark.parametrize(("fault", "too_old", "words"), [
    ("old_client", True, "please update Fieldrep"),
    ("new_client", False, "the server is older"),
])
def test_a_protocol_mismatch_passes_on_the_servers_words_and_is_not_retried(
        peer: ProtocolServer, seed: Seed, make_client: MakeClient, sleeps: Sleeps,
        fault: str, too_old: bool, words: str) -> None:
    client = make_client()
    peer.fault("push", fault)
    with pytest.raises(ProtocolMismatchError, match=words) as caught:
        client.push([])
    assert caught.value.client_too_old is too_old
    assert sleeps == []


def test_the_real_version_header_is_checked_by_the_peer(
        peer: ProtocolServer, seed: Seed, make_client: MakeClient) -> None:
    client = make_client()
    client.session.headers["X-Fieldrep-Protocol"] = "0"
    with pytest.raises(ProtocolMismatchError, match="update Fieldrep"):
        client.pull(None, 1)
    client.session.headers["X-Fieldrep-Protocol"] = "2"
    with pytest.raises(ProtocolMismatchError, match="older"):
        client.pull(None, 1)


@pytest.mark.parametrize("fault", ["malformed", "cut_close"])
def test_a_reply_that_is_not_json_is_a_malformed_reply(
        peer: ProtocolServer, seed: Seed, make_client: MakeClient, fault: str) -> None:
    client = make_client()
    peer.fault("pull", fault)
    with pytest.raises(MalformedReplyError, match="could not be read"):
        client.pull(None, 100)


def test_an_expired_token_asks_for_the_password(
        peer: ProtocolServer, seed: Seed, make_client: MakeClient) -> None:
    client = make_client()
    peer.expire_tokens()
    with pytest.raises(AuthRequiredError, match="log in again"):
        client.pull(None, 1)
    client.token = None
    with pytest.raises(AuthRequiredError):
        client.pull(None, 1)


def test_cancel_stops_before_the_next_attempt(
        peer: ProtocolServer, seed: Seed, make_client: MakeClient, sleeps: Sleeps) -> None:
    client = make_client()
    client.cancelled = lambda: len(sleeps) > 0
    peer.fault("pull", "500", times=3)
    with pytest.raises(SyncCancelledError):
        client.pull(None, 1)
