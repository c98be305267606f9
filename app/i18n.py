"""Translation of the words Fieldrep shows, for every layer (English source, German .ts).

Services raise errors the rep reads, so they translate too; QtCore's translator works without
widgets and without a running application (it then returns the English text unchanged).
The UI installs the translator (app/ui/translation.py).
"""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication

CONTEXT = "Fieldrep"


def tr(text: str, **values: object) -> str:
    """`text` in the user's language, with `{name}` placeholders filled from `values`."""
    translated = QCoreApplication.translate(CONTEXT, text)
    return translated.format(**values) if values else translated
