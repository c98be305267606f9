"""Make the two demo presentations in resources/content/ (docs/content-packages.md).

    python scripts/make_demo_content.py [--out resources/content]

- cardiovel-heart-failure.zip: a PDF deck (drawn with QPdfWriter/QPainter) for Cardiovel,
  one page per key message, with thumbnails made by the importer.
- glucaria-clm.zip: an HTML5 deck for Glucaria, CLM style (one folder per key message with
  index.html and thumb.png, a shared stylesheet), whose last slide asks questions.

The products and key message codes are those of `fieldrep demo` (app/demo/territory.py).
Made by code rather than kept as opaque binaries, so the decks can be changed and reviewed;
the zips are written with fixed timestamps (only the PDF carries its creation date).
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import zipfile
from pathlib import Path
from typing import Any

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtCore import QBuffer, QByteArray, QIODevice, QMarginsF, QRectF, QSizeF, Qt
from PySide6.QtGui import (
    QColor,
    QFont,
    QGuiApplication,
    QImage,
    QPageSize,
    QPainter,
    QPdfWriter,
)

ROOT = Path(__file__).resolve().parents[1]
OUT = ROOT / "resources" / "content"
ZIP_TIME = (2026, 1, 1, 0, 0, 0)
VALID = ("2026-01-01", "2027-12-31")
W, H = 1280, 720
NAVY, TEAL, LIGHT = QColor("#16324f"), QColor("#1b998b"), QColor("#f4f7fa")

CARDIOVEL: tuple[tuple[str, str, str, list[str], list[int]], ...] = (
    ("CV-EFF", "efficacy", "Weniger Hospitalisierungen bei HFrEF",
     ["−28 % Klinikaufnahmen wegen Herzinsuffizienz", "Wirkung ab Woche 4",
      "Konsistent über alle NYHA-Klassen"], [100, 72]),
    ("CV-STU", "study", "VELOCITY-HF: 21 % relative Risikoreduktion",
     ["4.812 Patientinnen und Patienten, 26 Monate", "Primärer Endpunkt: CV-Tod oder "
      "Hospitalisierung", "Number needed to treat: 19"], [100, 79]),
    ("CV-SAF", "safety", "Verträglichkeit auch bei eingeschränkter Nierenfunktion",
     ["eGFR ≥ 20 ml/min ohne Dosisanpassung", "Hyperkaliämie wie Placebo",
      "Abbruchrate 4,1 %"], [41, 39]),
    ("CV-DOS", "dosing", "Einmal täglich, ohne Auftitration",
     ["10 mg morgens, mit oder ohne Mahlzeit", "Keine Titrationsbesuche nötig",
      "Packungsgrößen N1–N3"], []),
)

GLUCARIA = (
    ("GL-EFF", "efficacy", "HbA1c-Senkung um 0,9 Prozentpunkte",
     "Nach 24 Wochen, zusätzlich zu Metformin."),
    ("GL-STU", "study", "GLIDE-Studie: kardiorenaler Nutzen",
     "−18 % kombinierter kardiorenaler Endpunkt."),
    ("GL-SAF", "safety", "Geringes Hypoglykämierisiko",
     "Hypoglykämien auf Placeboniveau."),
)
QUESTIONS: list[dict[str, Any]] = [
    {"id": "q-use", "type": "single", "text": "Würden Sie Glucaria einsetzen?",
     "options": ["Ja", "Vielleicht", "Nein"]},
    {"id": "q-groups", "type": "multiple", "text": "Für welche Patienten?",
     "options": ["Ältere", "Mit CKD", "Mit Adipositas"]},
    {"id": "q-conv", "type": "scale", "text": "Wie überzeugend fanden Sie die Daten?",
     "min": 1, "max": 5},
    {"id": "q-more", "type": "text", "text": "Was möchten Sie noch wissen?"},
]


def _font(px: int, bold: bool = False) -> QFont:
    font = QFont("DejaVu Sans")
    font.setPixelSize(px)
    font.setBold(bold)
    return font


def _slide(p: QPainter, number: int, title: str, bullets: list[str], bars: list[int]) -> None:
    p.fillRect(QRectF(0, 0, W, H), LIGHT)
    p.fillRect(QRectF(0, 0, W, 120), NAVY)
    p.setPen(QColor("white"))
    p.setFont(_font(36, bold=True))
    p.drawText(QRectF(60, 0, W - 120, 120), Qt.AlignmentFlag.AlignVCenter, title)
    p.setPen(NAVY)
    p.setFont(_font(30))
    width = 740 if bars else W - 160
    for i, line in enumerate(bullets):
        p.drawText(QRectF(80, 190 + i * 120, width, 110),
                   int(Qt.AlignmentFlag.AlignVCenter | Qt.TextFlag.TextWordWrap), f"•  {line}")
    if bars:  # placebo against Cardiovel, as two bars
        top = max(bars)
        for i, value in enumerate(bars):
            height = 360 * value / top
            p.fillRect(QRectF(880 + i * 160, 600 - height, 110, height),
                       QColor("#9aa5b1") if i == 0 else TEAL)
            p.setFont(_font(24))
            p.drawText(QRectF(860 + i * 160, 610, 150, 40), Qt.AlignmentFlag.AlignCenter,
                       "Placebo" if i == 0 else "Cardiovel")
    p.setFont(_font(18))
    p.setPen(QColor("#52606d"))
    p.drawText(QRectF(60, H - 50, W - 120, 40), Qt.AlignmentFlag.AlignVCenter,
               f"Cardiovel · Demo-Inhalt, keine echten Daten · {number}")


def cardiovel_pdf() -> bytes:
    data = QByteArray()
    buffer = QBuffer(data)
    buffer.open(QIODevice.OpenModeFlag.WriteOnly)
    writer = QPdfWriter(buffer)
    writer.setTitle("Cardiovel bei Herzinsuffizienz")
    writer.setCreator("Fieldrep make_demo_content.py")
    writer.setPageSize(QPageSize(QSizeF(W * 0.75, H * 0.75), QPageSize.Unit.Point))
    writer.setPageMargins(QMarginsF(0, 0, 0, 0))
    writer.setResolution(96)  # 1280 x 720 "pixels" on a 960 x 540 pt page
    painter = QPainter(writer)
    for n, (_code, _topic, title, bullets, bars) in enumerate(CARDIOVEL, start=1):
        if n > 1:
            writer.newPage()
        _slide(painter, n, title, bullets, bars)
    painter.end()
    buffer.close()
    return bytes(data.data())


def thumbnail(title: str) -> bytes:
    image = QImage(320, 180, QImage.Format.Format_RGB32)
    image.fill(LIGHT)
    p = QPainter(image)
    p.fillRect(QRectF(0, 0, 320, 36), TEAL)
    p.setPen(NAVY)
    p.setFont(_font(18, bold=True))
    p.drawText(QRectF(12, 44, 296, 124),
               int(Qt.AlignmentFlag.AlignLeft | Qt.TextFlag.TextWordWrap), title)
    p.end()
    data = QByteArray()
    buffer = QBuffer(data)
    buffer.open(QIODevice.OpenModeFlag.WriteOnly)
    image.save(buffer, "PNG")  # type: ignore[call-overload]  # the stubs want bytes
    buffer.close()
    return bytes(data.data())


CSS = """body { margin: 0; font-family: "DejaVu Sans", sans-serif; background: #f4f7fa;
  color: #16324f; width: 1280px; height: 720px; overflow: hidden; }
header { background: #1b998b; color: white; padding: 32px 60px; font-size: 44px;
  font-weight: bold; }
main { padding: 40px 60px; font-size: 34px; }
.big { font-size: 96px; color: #1b998b; font-weight: bold; }
fieldset { border: none; margin: 0 0 18px; padding: 0; font-size: 26px; }
legend { font-weight: bold; margin-bottom: 6px; }
button { font-size: 24px; margin-right: 10px; padding: 6px 18px; }
footer { position: absolute; bottom: 16px; left: 60px; font-size: 18px; color: #52606d; }
"""

# Answers go to the app through the presenter's bridge once it is there (`window.fieldrep`);
# in a plain browser the page works without it.
BRIDGE_JS = """function fieldrepAnswer(question, value) {
  if (window.fieldrep && window.fieldrep.answer) { window.fieldrep.answer(question, value); }
}
"""


def _page(title: str, body: str, *, script: bool = False) -> str:
    js = '<script src="../shared/fieldrep.js"></script>' if script else ""
    return (f'<!DOCTYPE html>\n<html lang="de"><head><meta charset="utf-8"><title>{title}'
            f'</title><link rel="stylesheet" href="../shared/slide.css">{js}</head>\n'
            f"<body><header>{title}</header><main>{body}</main>"
            "<footer>Glucaria · Demo-Inhalt, keine echten Daten</footer></body></html>\n")


def _question_body() -> str:
    parts = []
    for q in QUESTIONS:
        qid = q["id"]
        if q["type"] in ("single", "multiple"):
            inputs = "".join(
                f"<button onclick=\"fieldrepAnswer('{qid}', '{o}')\">{o}</button>"
                for o in q["options"])
        elif q["type"] == "scale":
            inputs = "".join(f'<button onclick="fieldrepAnswer(\'{qid}\', {n})">{n}</button>'
                             for n in range(q["min"], q["max"] + 1))
        else:
            inputs = (f"<input id=\"{qid}\" size=\"40\" "
                      f"onchange=\"fieldrepAnswer('{qid}', this.value)\">")
        parts.append(f"<fieldset><legend>{q['text']}</legend>{inputs}</fieldset>")
    return "".join(parts)


def _manifest(pid: str, title: str, product: str, slides: list[dict[str, object]]) -> bytes:
    return json.dumps({
        "format": 1, "id": pid, "version": "1", "title": title, "product": product,
        "valid_from": VALID[0], "valid_until": VALID[1], "approval_state": "approved",
        "slides": slides}, ensure_ascii=False, indent=1).encode()


def _zip(path: Path, members: dict[str, bytes]) -> Path:
    with zipfile.ZipFile(path, "w") as zf:
        for name, data in members.items():
            zf.writestr(zipfile.ZipInfo(name, date_time=ZIP_TIME), data,
                        compress_type=zipfile.ZIP_DEFLATED)
    return path


def build(out: Path) -> list[Path]:
    if QGuiApplication.instance() is None:
        QGuiApplication([])  # fonts for QPainter; kept alive by Qt for this process
    out.mkdir(parents=True, exist_ok=True)
    pdf_slides: list[dict[str, object]] = [
        {"id": code.lower(), "file": f"cardiovel.pdf#{n}", "key_message": code, "topic": topic,
         "title": title} for n, (code, topic, title, _b, _c) in enumerate(CARDIOVEL, start=1)]
    pdf = _zip(out / "cardiovel-heart-failure.zip", {
        "manifest.json": _manifest("demo-cardiovel-hf", "Cardiovel bei Herzinsuffizienz",
                                   "Cardiovel", pdf_slides),
        "cardiovel.pdf": cardiovel_pdf(),
    })

    members: dict[str, bytes] = {"shared/slide.css": CSS.encode(),
                                 "shared/fieldrep.js": BRIDGE_JS.encode()}
    html_slides: list[dict[str, object]] = []
    for code, topic, title, claim in GLUCARIA:
        folder = code.lower()
        body = f'<p class="big">{claim.split(" ")[0]}</p><p>{claim}</p>'
        members[f"{folder}/index.html"] = _page(title, body).encode()
        members[f"{folder}/thumb.png"] = thumbnail(title)
        html_slides.append({"id": folder, "file": f"{folder}/index.html", "key_message": code,
                            "topic": topic, "title": title})
    q_title = "Ihre Einschätzung"
    members["gl-pat/index.html"] = _page(q_title, _question_body(), script=True).encode()
    # no thumb.png here on purpose: the importer draws a placeholder with the title
    html_slides.append({"id": "gl-pat", "file": "gl-pat/index.html", "key_message": "GL-PAT",
                        "topic": "patient-support", "title": q_title,
                        "questions": QUESTIONS})
    members["manifest.json"] = _manifest("demo-glucaria-clm", "Glucaria im Praxisalltag",
                                         "Glucaria", html_slides)
    html = _zip(out / "glucaria-clm.zip", members)
    return [pdf, html]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=OUT)
    args = parser.parse_args(argv)
    for path in build(args.out):
        print(f"{path} {path.stat().st_size // 1024} KB")
    return 0


if __name__ == "__main__":
    sys.exit(main())
