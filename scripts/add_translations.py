"""Add German translations to a Qt Linguist .ts file of resources/translations/de/.

    python scripts/add_translations.py ui.ts "English source" "German text" [...pairs]

For the few strings added between passes with Qt Linguist; keeps the file's layout.
"""

from __future__ import annotations

import sys
from pathlib import Path
from xml.sax.saxutils import escape

FOLDER = Path(__file__).resolve().parents[1] / "resources" / "translations" / "de"


def main(argv: list[str]) -> int:
    if len(argv) < 3 or len(argv) % 2 == 0:
        print(__doc__, file=sys.stderr)
        return 2
    path = FOLDER / argv[0]
    text = path.read_text(encoding="utf-8")
    pairs = zip(argv[1::2], argv[2::2], strict=True)
    entries = "".join(
        f"    <message>\n        <source>{escape(src)}</source>\n"
        f"        <translation>{escape(de)}</translation>\n    </message>\n"
        for src, de in pairs if f"<source>{escape(src)}</source>" not in text)
    end = text.rindex("</context>")
    path.write_text(text[:end] + entries + text[end:], encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
