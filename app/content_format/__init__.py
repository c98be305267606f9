"""The content package format, read and checked the same way by the laptop and the server.

Pure format code (the zip's directory, the manifest, the slide files, content-addressed
storage) with QtGui/QtPdf for looking into slides and nothing from the client's store or UI,
so `fieldrep-server content add` refuses exactly what a rep's import refuses
(docs/content-packages.md, docs/content.md).
"""
