"""The rep's controls while presenting: slide strip, timer, reactions, questions, end.

The same panel serves as the discreet overlay on one screen and as the rep's console on a
second screen. It only shows state and emits what the rep asked for; the presenter decides.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from PySide6.QtCore import QSize, Qt, Signal
from PySide6.QtGui import QIcon, QPixmap
from PySide6.QtWidgets import (
    QFrame,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from app.i18n import tr
from app.ui.views.presenter.questions import QuestionPanel

STRIP_THUMB = QSize(112, 63)
OVERLAY_THUMB = QSize(80, 45)  # on the doctor's screen the controls stay small


def reaction_labels() -> dict[str, str]:
    return {"positive": tr("Positive"), "neutral": tr("Neutral"), "negative": tr("Negative")}


def clock_text(seconds: int) -> str:
    minutes, secs = divmod(max(seconds, 0), 60)
    return f"{minutes}:{secs:02d}"


class ControlPanel(QFrame):
    """Everything the rep touches during a presentation, none of it for the doctor's eyes."""

    go_to = Signal(int)
    next_requested = Signal()
    previous_requested = Signal()
    reacted = Signal(str)
    more_requested = Signal()
    end_requested = Signal()

    def __init__(self, thumbnails: list[tuple[str, Path]], *, capture: bool,
                 overlay: bool = False, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("presenterControls")
        # Set before any child is polished: the overlay's dark look keys on it (style.qss).
        self.setProperty("overlay", overlay)
        thumb = OVERLAY_THUMB if overlay else STRIP_THUMB
        self.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.strip = QListWidget()
        self.strip.setObjectName("slideStrip")
        self.strip.setFlow(QListWidget.Flow.LeftToRight)
        self.strip.setViewMode(QListWidget.ViewMode.IconMode)
        self.strip.setWrapping(False)
        self.strip.setIconSize(thumb)
        self.strip.setFixedHeight(thumb.height() + 36)
        self.strip.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAsNeeded)
        self.strip.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        for n, (title, path) in enumerate(thumbnails, start=1):
            pixmap = QPixmap(str(path)).scaled(thumb, Qt.AspectRatioMode.KeepAspectRatio,
                                               Qt.TransformationMode.SmoothTransformation)
            item = QListWidgetItem(QIcon(pixmap), f"{n}")
            item.setToolTip(title)
            self.strip.addItem(item)
        self.strip.itemClicked.connect(lambda item: self.go_to.emit(self.strip.row(item)))

        self.position = QLabel()
        self.position.setObjectName("presenterPosition")
        self.timer = QLabel("0:00")
        self.timer.setObjectName("presenterTimer")
        self.timer.setToolTip(tr("Time since the presentation began / on this slide"))
        self.title = QLabel()
        self.title.setObjectName("presenterSlideTitle")
        self.title.setWordWrap(True)

        self.reactions: dict[str, QPushButton] = {}
        buttons = QHBoxLayout()
        buttons.setSpacing(6)
        previous = self._button(tr("Previous"), tr("Previous slide (Left)"))
        previous.clicked.connect(self.previous_requested)
        following = self._button(tr("Next"), tr("Next slide (Right, Space)"))
        following.clicked.connect(self.next_requested)
        buttons.addWidget(previous)
        buttons.addWidget(following)
        buttons.addSpacing(12)
        for key, (name, text) in enumerate(reaction_labels().items(), start=1):
            button = self._button(f"{key} {text}", tr("The doctor's reaction ({key})", key=key))
            button.setCheckable(True)
            button.setObjectName(f"reaction-{name}")
            button.setProperty("reaction", name)
            button.clicked.connect(lambda _c=False, _n=name: self.reacted.emit(_n))
            self.reactions[name] = button
            buttons.addWidget(button)
            button.setVisible(capture)
        self.more = self._button(tr("M Asked for more"), tr("The doctor asked for more (M)"))
        self.more.setCheckable(True)
        self.more.setObjectName("askedForMore")
        self.more.clicked.connect(self.more_requested)
        self.more.setVisible(capture)
        buttons.addWidget(self.more)
        buttons.addStretch(1)
        buttons.addWidget(self.timer)
        buttons.addSpacing(12)
        end = self._button(tr("End"), tr("End the presentation (Esc)"))
        end.setObjectName("endPresentation")
        end.clicked.connect(self.end_requested)
        buttons.addWidget(end)

        self.questions = QuestionPanel()
        self.questions.setVisible(False)
        self.questions.setEnabled(capture)

        self.recording = QLabel()
        self.recording.setObjectName("presenterRecording")
        self.recording.setProperty("muted", True)
        self.recording.hide()
        heading = QHBoxLayout()
        heading.addWidget(self.position)
        heading.addWidget(self.title, 1)
        heading.addWidget(self.recording)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(12, 8, 12, 8)
        layout.setSpacing(6)
        layout.addLayout(heading)
        layout.addWidget(self.questions)
        layout.addLayout(buttons)
        layout.addWidget(self.strip)

    def show_recording(self, text: str) -> None:
        """Whose name the capture carries (or that it is anonymous): what is used."""
        self.recording.setText(text)
        self.recording.setVisible(bool(text))

    def _button(self, text: str, tip: str) -> QPushButton:
        button = QPushButton(text)
        button.setToolTip(tip)
        button.setFocusPolicy(Qt.FocusPolicy.NoFocus)  # keys stay with the presenter
        return button

    def show_slide(self, index: int, count: int, title: str,
                   questions: list[dict[str, Any]]) -> None:
        self.strip.setCurrentRow(index)
        self.position.setText(f"{index + 1} / {count}")
        self.title.setText(title)
        self.questions.set_questions(questions)
        self.show_reaction(None, asked=False)

    def show_reaction(self, reaction: str | None, *, asked: bool) -> None:
        for name, button in self.reactions.items():
            button.setChecked(name == reaction)
        self.more.setChecked(asked)

    def show_time(self, total_s: int, slide_s: int) -> None:
        self.timer.setText(f"{clock_text(total_s)}  ·  {clock_text(slide_s)}")
