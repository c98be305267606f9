"""Translation of the words Fieldrep shows, for every layer (English source, German .ts).

Services raise errors the rep reads, and the content format and compliance rules give the
server the laptop's very sentences, so every layer translates through `tr`. The server never
imports Qt (pyproject's import-linter contracts), so this module does not either: until a
lookup is installed `tr` answers in English, the source language. The laptop's UI installs
QtCore's translator (`app/ui/translation.py`), which works without widgets.
"""

from __future__ import annotations

from collections.abc import Callable

CONTEXT = "Fieldrep"

#: (context, English text) -> the text in the user's language.
Lookup = Callable[[str, str], str]


def _english(context: str, text: str) -> str:
    return text


_lookup: Lookup = _english


def use(lookup: Lookup) -> None:
    """Translate every later `tr` through `lookup` (the laptop: Qt's installed translators)."""
    global _lookup  # noqa: PLW0603 - one language per process, chosen at start
    _lookup = lookup


def tr(text: str, **values: object) -> str:
    """`text` in the user's language, with `{name}` placeholders filled from `values`."""
    translated = _lookup(CONTEXT, text)
    return translated.format(**values) if values else translated
