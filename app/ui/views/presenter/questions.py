"""The questions a slide's manifest asks, as controls the rep fills while the doctor answers.

For PDF and picture slides (an HTML slide asks its own questions through the bridge). Each
change is one answer event; the capture checks it against the manifest again.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QButtonGroup,
    QCheckBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QRadioButton,
    QVBoxLayout,
    QWidget,
)

from app.i18n import tr


class QuestionPanel(QWidget):
    """Controls for the current slide's questions; `answered(question id, value)`."""

    answered = Signal(str, object)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("questionPanel")
        self._layout = QVBoxLayout(self)
        self._layout.setContentsMargins(0, 0, 0, 0)
        self._layout.setSpacing(6)
        self._groups: list[QButtonGroup] = []

    def set_questions(self, questions: list[dict[str, Any]]) -> None:
        while self._layout.count():
            item = self._layout.takeAt(0)
            widget = item.widget() if item is not None else None
            if widget is not None:
                widget.deleteLater()
        self._groups.clear()
        for question in questions:
            self._layout.addWidget(self._question(question))
        self.setVisible(bool(questions))

    def _question(self, question: dict[str, Any]) -> QWidget:
        box = QWidget()
        layout = QVBoxLayout(box)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(2)
        label = QLabel(str(question.get("text", "")))
        label.setWordWrap(True)
        label.setProperty("questionText", True)
        layout.addWidget(label)
        row = QHBoxLayout()
        row.setSpacing(8)
        layout.addLayout(row)
        qid, kind = str(question["id"]), question.get("type")
        if kind in ("single", "scale"):
            options = ([str(o) for o in question["options"]] if kind == "single" else
                       [str(n) for n in range(int(question.get("min", 1)),
                                              int(question.get("max", 5)) + 1)])
            group = QButtonGroup(box)
            self._groups.append(group)
            for text in options:
                button = QRadioButton(text)
                button.setObjectName(f"answer-{qid}-{text}")
                group.addButton(button)
                row.addWidget(button)

            def chosen(button: QRadioButton, _qid: str = qid, _kind: Any = kind) -> None:
                value: object = int(button.text()) if _kind == "scale" else button.text()
                self.answered.emit(_qid, value)
            group.buttonClicked.connect(chosen)
        elif kind == "multiple":
            boxes = [QCheckBox(str(o)) for o in question["options"]]
            for check in boxes:
                check.setObjectName(f"answer-{qid}-{check.text()}")
                row.addWidget(check)

                def toggled(_on: bool, _qid: str = qid, _boxes: list[QCheckBox] = boxes
                            ) -> None:
                    self.answered.emit(_qid, [b.text() for b in _boxes if b.isChecked()])
                check.toggled.connect(toggled)
        else:
            edit = QLineEdit()
            edit.setObjectName(f"answer-{qid}")
            edit.setPlaceholderText(tr("The doctor's answer"))
            edit.setMaxLength(2000)
            edit.editingFinished.connect(
                lambda _qid=qid, _edit=edit: self.answered.emit(_qid, _edit.text()))
            row.addWidget(edit, 1)
        row.addStretch(1)
        return box
