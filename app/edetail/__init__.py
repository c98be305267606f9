"""E-detailing: content packages (validation, import, content-addressed storage) and capture.

No Qt widgets here (tests/test_layering.py): QtGui and QtPdf are used only to check and
render slides (page counts, thumbnails), which works without a window.
"""
