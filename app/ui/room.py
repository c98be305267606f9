"""Room for the column that matters in a narrow table.

A table whose columns fit their contents gives the stretching column what is left; in the
account's history at 1366 px beside the sales chart that was three letters of the notes
("No…"). `KeepRoom` keeps one column at least a number of characters wide: named columns
give up width first (down to a few characters, elided, the whole text in their tooltip),
and only when they cannot give more does the table scroll sideways.
"""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import QEvent, QObject, QTimer
from PySide6.QtWidgets import QHeaderView, QTreeWidget


class KeepRoom(QObject):
    """Keeps `column` of `tree` at least `chars` average characters wide, taking the width
    from the columns in `give` (in that order) down to `least` characters each; a column
    that gives is never wider than `most` characters (a long list of products)."""

    def __init__(self, tree: QTreeWidget, column: int, chars: int, give: Sequence[int],
                 least: int = 7, most: int = 22) -> None:
        super().__init__(tree)
        self._tree = tree
        self._column = column
        self._give = tuple(give)
        char = tree.fontMetrics().averageCharWidth()
        self._min_width = chars * char
        self._least = least * char + 24  # room for an icon and the margins
        self._most = most * char + 24
        header = tree.header()
        header.setStretchLastSection(False)
        for section in (column, *self._give):
            header.setSectionResizeMode(section, QHeaderView.ResizeMode.Interactive)
        self._timer = QTimer(self, singleShot=True, interval=0)
        self._timer.timeout.connect(self.fit)
        tree.viewport().installEventFilter(self)  # the owner calls fit() after a fill

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.Resize:
            self._timer.start()
        return super().eventFilter(watched, event)

    def fit(self) -> None:
        tree, header = self._tree, self._tree.header()
        for section in self._give:
            tree.resizeColumnToContents(section)
            tree.setColumnWidth(section, min(header.sectionSize(section), self._most))
        others = sum(header.sectionSize(c) for c in range(header.count())
                     if c != self._column and not header.isSectionHidden(c))
        available = tree.viewport().width()
        short = self._min_width - (available - others)
        for section in self._give:
            if short <= 0:
                break
            width = header.sectionSize(section)
            take = min(short, max(0, width - self._least))
            tree.setColumnWidth(section, width - take)
            short -= take
            others -= take
        tree.setColumnWidth(self._column, max(self._min_width, available - others))
