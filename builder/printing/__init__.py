"""Work done on the built site after MkDocs, not a pipeline stage: ``edition.py`` fills the print
edition's chapters in from the built topic pages (``python -m builder book``, run by ``make site``),
``pdf.py`` prints the topic pages and the book to PDF (``python -m builder pdf``, run by ``make pdf``).
"""
