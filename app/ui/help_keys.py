"""The keyboard help (F1), made from the keys that really exist.

A hand-kept list fell behind (Ctrl+4, Ctrl+5, Ctrl+E, the call report's and the presenter's
keys were missing). The window's part is read from its actions, so a menu entry with a
shortcut, a role's included, is listed the moment it exists. The keys of screens that are
not actions (a call report's shortcuts, the presenter's keys, Delete in the conflicts list)
come from the tables here, which those screens bind from (`CALL_REPORT_KEYS`) or are tested
against (`PRESENTER_KEYS`, `CONFLICT_KEYS`: tests/ui/test_help_keys.py).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable

from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QWidget

from app.i18n import tr

#: (keys, method of CallReportView, what it does): the report binds these.
CALL_REPORT_KEYS: tuple[tuple[str, str, Callable[[], str]], ...] = (
    ("Ctrl+S", "save_now", lambda: tr("Save the report now")),
    ("Ctrl+Return", "submit", lambda: tr("Submit the call")),
    ("Esc", "close_report", lambda: tr("Save and close the report")),
)
PRESENTER_KEYS: tuple[tuple[str, Callable[[], str]], ...] = (
    ("Right", lambda: tr("Next slide (also Space, Page Down)")),
    ("Left", lambda: tr("Previous slide (also Page Up)")),
    ("1", lambda: tr("The doctor's reaction: positive")),
    ("2", lambda: tr("The doctor's reaction: neutral")),
    ("3", lambda: tr("The doctor's reaction: negative")),
    ("M", lambda: tr("The doctor asked for more")),
    ("H", lambda: tr("Show or hide the controls")),
    ("Esc", lambda: tr("End the presentation")),
)
CONFLICT_KEYS: tuple[tuple[str, Callable[[], str]], ...] = (
    ("Del", lambda: tr("Dismiss the selected conflict or refused change")),
)
#: Keys no action carries: opening what is selected in a list.
LIST_KEYS: tuple[tuple[str, Callable[[], str]], ...] = (
    ("Return", lambda: tr("Open the selected account or call")),
)


def _plain(text: str) -> str:
    return text.replace("&&", "\0").replace("&", "").replace("\0", "&").rstrip("…").strip()


def action_keys(window: QWidget) -> list[tuple[QKeySequence, str]]:
    """Each action of `window` that has a shortcut, in the order they were added."""
    seen: set[str] = set()
    rows = []
    for action in window.findChildren(QAction):
        keys = action.shortcut()
        name = keys.toString(QKeySequence.SequenceFormat.PortableText)
        if keys.isEmpty() or name in seen or not action.text():
            continue
        seen.add(name)
        rows.append((keys, _plain(action.text())))
    return rows


def _section(title: str, rows: Iterable[tuple[QKeySequence, str]]) -> str:
    native = QKeySequence.SequenceFormat.NativeText
    cells = "".join(f"<tr><td><b>{keys.toString(native)}</b>&nbsp;&nbsp;</td>"
                    f"<td>{text}</td></tr>" for keys, text in rows)
    return f"<p><b>{title}</b></p><table cellspacing='4'>{cells}</table>"


def help_text(window: QWidget | None) -> str:
    """The keys of the window (from its actions) and of each screen, as HTML."""
    def table(rows: Iterable[tuple[str, Callable[[], str]]]) -> list[tuple[QKeySequence, str]]:
        return [(QKeySequence(keys), text()) for keys, text in rows]

    window_rows = action_keys(window) if window is not None else []
    return "".join((
        _section(tr("Everywhere"), window_rows + table(LIST_KEYS)),
        _section(tr("In a call report"),
                 [(QKeySequence(k), text()) for k, _method, text in CALL_REPORT_KEYS]),
        _section(tr("While presenting"), table(PRESENTER_KEYS)),
        _section(tr("In the sync conflicts"), table(CONFLICT_KEYS)),
    ))
