"""The account's history keeps room for the notes in a narrow window (they were squeezed to
"No…" beside the sales chart): who wrote it and the products give way first, elided with the
whole text in their tooltips."""

from __future__ import annotations

from app.ui.main_window import MainWindow
from tests.ui.conftest import Territory, wait_for_account

NOTES, PRODUCTS, BY = 5, 3, 6


def test_the_notes_keep_room_in_a_narrow_window(qtbot, window: MainWindow,
                                                territory: Territory) -> None:
    window.resize(1180, 700)  # the columns as their contents want them do not fit
    wait_for_account(qtbot, window, territory.doctor_id)
    timeline = window.account.timeline
    room = 28 * timeline.fontMetrics().averageCharWidth()

    def widths() -> list[int]:
        return [timeline.columnWidth(c) for c in range(timeline.columnCount())]

    # The notes keep their room and every column is in view: nothing to scroll sideways to.
    qtbot.waitUntil(lambda: widths()[NOTES] >= room
                    and sum(widths()) <= timeline.viewport().width())
    row = timeline.topLevelItem(1)
    assert row.toolTip(PRODUCTS) == row.text(PRODUCTS) == "Cardiozan"
    assert row.toolTip(BY) == row.text(BY) and row.text(BY)

    before = widths()[NOTES]
    window.resize(1366, 768)  # wider: the notes get the new width
    qtbot.waitUntil(lambda: widths()[NOTES] > before)
    assert sum(widths()) <= timeline.viewport().width()
