"""The readable PDF of a GDPR export (`server.gdpr_export.build`), made with fpdf2.

Why fpdf2: the server must not import Qt, and fpdf2 is small, pure Python and maintained.
The PDF shows the same dict as the JSON, section by section, in plain words; it uses the
PDF core font (Helvetica, Latin-1), so letters outside Latin-1 are written without their
accents (or as "?"): the JSON file next to it is the exact record.
"""

from __future__ import annotations

import unicodedata
from typing import Any

from fpdf import FPDF
from fpdf.enums import XPos, YPos

#: Section titles in the order the PDF shows them.
SECTIONS = (
    ("addresses", "Addresses"),
    ("external_ids", "External ids"),
    ("affiliations", "Affiliations"),
    ("consents", "Channel consents (with history)"),
    ("calls", "Calls"),
    ("attended_calls", "Attendance at other accounts' calls"),
    ("tasks", "Tasks"),
    ("presentations", "Presentations shown (slide feedback, captures)"),
    ("inquiries", "Medical inquiries"),
    ("suggestions", "Suggestions"),
    ("touchpoints", "Touchpoints reported by outside systems"),
    ("audit", "Audit trail"),
)

#: Values longer than this (signature strokes, click-stream payloads) are cut in the PDF.
LONGEST = 300

#: Common columns a reader does not need in every block.
_SKIP = frozenset({"version", "deleted"})


def latin1(text: str) -> str:
    """`text` as the core font can write it: accents dropped where Latin-1 has no letter."""
    out = []
    for ch in text:
        try:
            ch.encode("latin-1")
            out.append(ch)
        except UnicodeEncodeError:
            base = unicodedata.normalize("NFKD", ch).encode("latin-1", "ignore").decode()
            out.append(base or "?")
    return "".join(out)


class _Doc(FPDF):
    def footer(self) -> None:
        self.set_y(-12)
        self.set_font("Helvetica", size=8)
        self.cell(0, 8, f"Page {self.page_no()}/{{nb}}", align="C")


def render(export: dict[str, Any]) -> bytes:
    """The PDF bytes of one export."""
    pdf = _Doc(format="A4")
    pdf.set_auto_page_break(auto=True, margin=15)
    pdf.add_page()
    subject = export["subject"]
    pdf.set_font("Helvetica", "B", 16)
    _line(pdf, 9, latin1(f"Personal data held about {subject.get('name') or subject['id']}"))
    pdf.set_font("Helvetica", size=9)
    medical = ("included" if export["medical_answers_included"]
               else "not included (requested by a non-medical requester)")
    for line in (f"Account id: {subject['id']}", f"Generated: {export['generated_at']}",
                 f"Requested by: {export['requested_by']}", f"Medical answers: {medical}"):
        _line(pdf, 5, latin1(line))
    _heading(pdf, "Master data")
    _fields(pdf, subject, 0)
    if export.get("erasure"):
        _heading(pdf, "Erasure")
        _fields(pdf, export["erasure"], 0)
    for key, title in SECTIONS:
        items = export.get(key) or []
        _heading(pdf, f"{title} ({len(items)})")
        if not items:
            pdf.set_font("Helvetica", size=9)
            _line(pdf, 5, "none")
        for number, item in enumerate(items, 1):
            pdf.set_font("Helvetica", "B", 9)
            _line(pdf, 5, f"{number}.")
            _fields(pdf, item, 1)
    return bytes(pdf.output())


def _heading(pdf: FPDF, text: str) -> None:
    pdf.ln(3)
    pdf.set_font("Helvetica", "B", 12)
    _line(pdf, 7, latin1(text))


def _fields(pdf: FPDF, item: dict[str, Any], depth: int) -> None:
    """One block of "field: value" lines; lists of blocks are indented below their field."""
    indent = 5 * depth
    for name, value in item.items():
        if name in _SKIP or value is None or value in ([], {}):
            continue
        pdf.set_x(pdf.l_margin + indent)
        pdf.set_font("Helvetica", size=9)
        if isinstance(value, list) and all(isinstance(v, dict) for v in value):
            _line(pdf, 5, latin1(f"{name}:"))
            for entry in value:
                _fields(pdf, entry, depth + 1)
                pdf.ln(1)
        elif isinstance(value, dict):
            _line(pdf, 5, latin1(f"{name}:"))
            _fields(pdf, value, depth + 1)
        else:
            text = str(value)
            if len(text) > LONGEST:
                text = f"{text[:LONGEST]}... ({len(text)} characters: see the JSON file)"
            _line(pdf, 5, latin1(f"{name}: {text}"))


def _line(pdf: FPDF, height: float, text: str) -> None:
    """A paragraph from the current x to the right margin; the next starts at the left
    margin on the line below."""
    pdf.multi_cell(0, height, text, new_x=XPos.LMARGIN, new_y=YPos.NEXT)
