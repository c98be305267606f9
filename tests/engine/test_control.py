"""The control-group report: each difference with a bootstrap interval over accounts, the
same on every opening, and "significant" only when the interval excludes zero."""

from __future__ import annotations

import datetime as dt
import math

from app.engine.control import Kpi, Outcome, compare, report_since
from app.engine.facts import AccountFacts, Reaction, Touchpoint


def group(prefix: str, answering: int, silent: int, contacts: int = 20) -> list[Outcome]:
    """Doctors who answer every contact and doctors who answer none: a doctor's contacts
    are not independent of each other."""
    return [Outcome(f"{prefix}{i}", True, contacts, contacts if i < answering else 0, 0, 0)
            for i in range(answering + silent)]


def normal_half_width(kpi: Kpi) -> float:
    """The half width a normal interval over contacts would give."""
    return 1.959964 * math.sqrt(kpi.treated * (1 - kpi.treated) / kpi.treated_n
                                + kpi.control * (1 - kpi.control) / kpi.control_n)


def test_the_interval_is_over_accounts_not_contacts() -> None:
    report = compare(group("t", 30, 30), group("c", 24, 36))
    response = next(k for k in report.kpis if k.name == "response")
    assert math.isclose(response.difference, 0.1)
    half = (response.high - response.low) / 2
    # 60 doctors a group, not 1,200 independent contacts: the interval is far wider.
    assert half > 3 * normal_half_width(response)
    assert response.low < 0 < response.high and not response.significant


def test_a_clear_difference_is_significant_and_the_interval_is_stable() -> None:
    treated, control = group("t", 150, 50), group("c", 50, 150)
    first, second = compare(treated, control), compare(treated, control)
    assert first == second  # seeded: the same history gives the same report
    response = next(k for k in first.kpis if k.name == "response")
    assert response.significant and 0 < response.low < 0.5 < response.high
    assert math.isclose(response.difference, 0.5)


def test_a_group_without_trials_has_no_interval() -> None:
    report = compare(group("t", 5, 5), [])
    assert all(k.low == -math.inf and k.high == math.inf and not k.significant
               for k in report.kpis)


def test_a_visit_the_doctor_did_not_receive_is_no_contact_of_the_report() -> None:
    """A doctor whose only visits failed was not reached; beside a received call, only
    that call counts."""
    at = dt.datetime(2026, 11, 2, 9)
    history = {
        "seen": [Touchpoint("seen", at, "in_person", 20, (Reaction("study", "positive"),)),
                 Touchpoint("seen", at, "in_person", failed_visit=True)],
        "closed": [Touchpoint("closed", at, "in_person", failed_visit=True)] * 2,
    }
    accounts = [AccountFacts("seen"), AccountFacts("closed")]
    report = report_since(accounts, history, lambda a: a == "closed", at - dt.timedelta(days=1))
    reach = next(k for k in report.kpis if k.name == "reach")
    response = next(k for k in report.kpis if k.name == "response")
    assert (reach.treated, reach.control) == (1.0, 0.0)
    assert response.treated == 1.0
