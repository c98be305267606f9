"""E-detailing: content packages (validation, import, content-addressed storage) and capture.

No Qt widgets here (tests/test_layering.py): QtGui and QtPdf are used only to draw
thumbnails (`thumbnails.py`), which works without a window. Whether a slide file is fit is
checked without Qt, by the content format both the laptop and the server read.
"""
