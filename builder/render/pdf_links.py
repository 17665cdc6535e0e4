"""The "Download PDF" links topic pages (``render.deck_links.topic_downloads_line``), the home page and
the download page carry.

A link points at the download page (which explains ``make pdf``) until the PDFs exist; then
``builder.printing.pdf`` points it at its file, so ``make site`` alone never leaves a dead link.
"""

from __future__ import annotations

from builder.paths import BOOK_PDF, DOWNLOADS_PATH, relative  # noqa: F401 - BOOK_PDF for the home page


def pdf_link(from_page: str, pdf_name: str, label: str) -> str:
    """A "Download PDF" link: to the download page's entry for ``pdf_name`` until ``make pdf`` re-points it.

    It is a Markdown link to a ``.md`` page, so ``mkdocs build --strict`` checks it; ``data-pdf`` names
    the file ``builder.printing.pdf`` points it at once that file exists.
    """
    anchor = pdf_name.removesuffix(".pdf")
    target = relative(from_page, DOWNLOADS_PATH, anchor)
    return f'[{label}]({target}){{ .hb-pdf-link data-pdf="{pdf_name}" }}'

