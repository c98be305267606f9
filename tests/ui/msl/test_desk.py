"""The MSL's desk at a laptop's size, in English and German: the inbox shows whose question,
about what, in words, and the desk fits the screen."""

from __future__ import annotations

import pytest

from app.ui.views.msl.desk import MslDesk
from tests.ui import test_escalations
from tests.ui.account import test_touchpoints
from tests.ui.test_escalations import QUESTION

pytestmark = pytest.mark.gui
role_window = test_escalations.role_window  # the main window signed in as a role (a fixture)
reported = test_touchpoints.reported  # two touchpoints on the inquiries' doctor (a fixture)
COLUMNS = {"account": 2, "product": 3, "question": 4}


@pytest.mark.parametrize("role_window", ["msl"], indirect=True)
def test_the_inbox_shows_account_product_and_question_at_1280(qtbot, language: str,
                                                              role_window) -> None:
    window, _ = role_window
    window.resize(1280, 800)
    desk = window.roles.desk
    assert isinstance(desk, MslDesk)
    qtbot.waitUntil(lambda: desk.table.rowCount() == 2)
    qtbot.wait(50)
    assert window.width() <= 1280 and window.minimumSizeHint().width() <= 1280
    table = desk.table
    metrics = table.fontMetrics()
    for row in range(2):
        for name in ("account", "product"):
            item = table.item(row, COLUMNS[name])
            needed = metrics.horizontalAdvance(item.text())  # not elided
            assert table.columnWidth(COLUMNS[name]) >= needed, (name, item.text())
        question = table.item(row, COLUMNS["question"]).text()
        assert question.startswith(QUESTION)
        assert table.columnWidth(COLUMNS["question"]) >= 120
        visible = table.viewport().width()
        assert table.columnViewportPosition(COLUMNS["question"]) + 120 <= visible


@pytest.mark.parametrize("role_window", ["msl"], indirect=True)
def test_the_desk_shows_what_outside_systems_reported(qtbot, reported: dict[str, str],
                                                      role_window) -> None:
    window, _ = role_window
    desk = window.roles.desk
    assert isinstance(desk, MslDesk)
    qtbot.waitUntil(lambda: desk.detail is not None)
    lines = [desk.history.item(i).text() for i in range(desk.history.count())]

    assert lines[0].endswith("Webinar attended · marketing · Renal outcomes webinar")
    assert lines[-1].endswith("E-mail opened · marketing · Study CZ-RENAL-07")
