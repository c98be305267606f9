"""Rotating and expiring service-account tokens, through `fieldrep-server service-account`
and a real server (SQLite and PostgreSQL): the new token works at once, the old one for the
overlap and then no more, an expired token is refused in words, each step audited."""

from __future__ import annotations

import datetime as dt
import json

import pytest
from sqlalchemy import select, update

from server.models import AuditEntry, ServiceAccount, Touchpoint, User, utcnow
from tests.server.conftest import Cli, Live, MakeToken
from tests.server.test_integration import event, post

ROTATED = "this API token was replaced on "


def rotate(cli: Cli, name: str, admin_name: str, *extra: str) -> str:
    code, out, err = cli("service-account", "rotate", name, "--by", admin_name, *extra)
    assert code == 0, err
    answer = json.loads(out)
    assert answer["name"] == name
    token: str = answer["token"]
    return token


def listed(cli: Cli, name: str) -> dict[str, object]:
    code, out, _ = cli("service-account", "list")
    assert code == 0
    [item] = [json.loads(line) for line in out.splitlines() if json.loads(line)["name"] == name]
    return item


def test_a_rotated_token_works_beside_the_new_one_until_the_overlap_ends(
        live: Live, cli: Cli, make_token: MakeToken, admin_name: str) -> None:
    territory = live.territory()
    doctor = live.account(territory)
    name, old = make_token(territory, kinds="webinar_attended", extra=("--feed",))
    sent = event(account_id=doctor)
    assert post(live, old, sent).status_code == 201

    new = rotate(cli, name, admin_name)

    assert new != old and new.startswith("frs_")
    # The same service account: its scope, its system (a resend is a replay), its feed.
    replay = post(live, new, sent)
    assert (replay.status_code, replay.json()["status"]) == (200, "duplicate")
    assert post(live, old, event(account_id=doctor)).status_code == 201  # the overlap
    assert post(live, new, event(account_id=doctor, kind="website_visit")).status_code == 403
    item = listed(cli, name)
    until = dt.datetime.fromisoformat(str(item["previous_valid_until"]))
    assert abs(until - (utcnow() + dt.timedelta(hours=24))) < dt.timedelta(minutes=5)
    assert item["feed"] is True and item["rotated_at"] is not None
    assert old not in json.dumps(item) and new not in json.dumps(item)

    with live.db.writing() as s:  # the overlap is over
        s.execute(update(ServiceAccount).where(ServiceAccount.name == name)
                  .values(previous_valid_until=utcnow() - dt.timedelta(seconds=1)))
    refused = post(live, old, event(account_id=doctor))

    assert refused.status_code == 401
    words = refused.json()["error"]
    assert words.startswith(ROTATED) and words.endswith(
        "UTC: use the new token, or ask the Fieldrep administrator for a new one")
    assert post(live, new, event(account_id=doctor)).status_code == 201
    with live.db.reading() as s:
        assert s.scalar(select(Touchpoint.id).where(
            Touchpoint.event_id == sent["event_id"])) == replay.json()["id"]


def test_a_rotation_without_grace_refuses_the_old_token_at_once_and_is_audited(
        live: Live, cli: Cli, make_token: MakeToken, admin_name: str) -> None:
    territory = live.territory()
    doctor = live.account(territory)
    name, old = make_token(territory)
    new = rotate(cli, name, admin_name, "--grace", "0")
    assert post(live, old, event(account_id=doctor)).json()["error"].startswith(ROTATED)

    again = rotate(cli, name, admin_name, "--grace", "2d", "--expires-in-days", "30")

    assert post(live, new, event(account_id=doctor)).status_code == 201  # for 2 days
    # One overlap at a time: the second rotation forgets the first token.
    assert post(live, old, event(account_id=doctor)).json()["error"].startswith("unknown")
    assert post(live, again, event(account_id=doctor)).status_code == 201
    item = listed(cli, name)
    expires = dt.datetime.fromisoformat(str(item["expires_at"]))
    assert abs(expires - (utcnow() + dt.timedelta(days=30))) < dt.timedelta(minutes=5)
    with live.db.reading() as s:
        audit = s.execute(select(AuditEntry.action, User.username, AuditEntry.details)
                          .join(User, User.id == AuditEntry.user_id)
                          .where(AuditEntry.entity == "service_accounts",
                                 AuditEntry.details.contains(f'"{name}"'))
                          .order_by(AuditEntry.version)).all()
    assert [(a, u) for a, u, _ in audit] == [("service_account.created", admin_name),
                                             ("service_account.rotated", admin_name),
                                             ("service_account.rotated", admin_name)]
    assert json.loads(audit[2][2])["expires_at"] == item["expires_at"]
    assert all(t not in str(audit) for t in (old, new, again))


def test_an_expired_token_is_refused_in_words(live: Live, cli: Cli, make_token: MakeToken
                                              ) -> None:
    territory = live.territory()
    doctor = live.account(territory)
    name, token = make_token(territory, extra=("--expires-in-days", "90"))
    assert post(live, token, event(account_id=doctor)).status_code == 201
    with live.db.writing() as s:  # ninety days later
        s.execute(update(ServiceAccount).where(ServiceAccount.name == name)
                  .values(expires_at=dt.datetime(2026, 3, 5, 14, 30)))

    refused = post(live, token, event(account_id=doctor))

    assert (refused.status_code, refused.json()["error"]) == (
        401, "this API token expired on 2026-03-05 14:30 UTC: ask the Fieldrep administrator "
             "for a new one")
    assert listed(cli, name)["expires_at"] == "2026-03-05T14:30:00"


@pytest.mark.parametrize(("argv", "words"), [
    (("--grace", "soon"), "'soon' is no duration: write hours (24h) or days (2d)"),
    (("--grace", "91d"), "--grace is from 0 hours to 90 days"),
    (("--expires-in-days", "0"), "--expires-in-days is a number of days from 1 to 3660"),
    (("--expires-in-days", "many"), "'many' is no number of days"),
])
def test_rotate_refuses_bad_options_and_changes_nothing(
        live: Live, cli: Cli, make_token: MakeToken, admin_name: str,
        argv: tuple[str, ...], words: str) -> None:
    name, token = make_token()
    code, _, err = cli("service-account", "rotate", name, "--by", admin_name, *argv)
    assert code == 2 and words in err
    doctor = live.account(live.territory())
    assert post(live, token, event(account_id=doctor)).status_code == 201
    assert listed(cli, name)["rotated_at"] is None


def test_a_revoked_or_unknown_service_account_is_not_rotated(
        live: Live, cli: Cli, make_token: MakeToken, admin_name: str) -> None:
    name, token = make_token()
    assert cli("service-account", "revoke", name, "--by", admin_name)[0] == 0

    revoked = cli("service-account", "rotate", name, "--by", admin_name)
    unknown = cli("service-account", "rotate", "nobody-here", "--by", admin_name)
    not_admin = cli("service-account", "rotate", name, "--by", live.user("rep"))

    assert revoked[0] == 2 and "was revoked on" in revoked[2] and "make a new service " \
        "account instead" in revoked[2]
    assert unknown[0] == 2 and "no service account 'nobody-here'" in unknown[2]
    assert not_admin[0] == 2 and "no active admin" in not_admin[2]
    doctor = live.account(live.territory())
    assert post(live, token, event(account_id=doctor)).json()["error"].startswith(
        "this API token was revoked on ")
