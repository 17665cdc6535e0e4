"""``python -m builder build``: build docs/ from sources/, print the summary, exit 1 on any error.
``python -m builder book``: after ``mkdocs build``, fill the print edition's chapters in from the built topic pages.
``python -m builder pdf``: print the built site's topics and the whole handbook to PDF (``site/pdf/``)."""

from __future__ import annotations

import argparse
import logging
import sys
import time
from pathlib import Path


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m builder", description=__doc__)
    sub = parser.add_subparsers(dest="command", required=True)
    b = sub.add_parser("build", help="build docs/ from sources/")
    b.add_argument("--sources", type=Path, default=Path("sources"))
    b.add_argument("--docs", type=Path, default=Path("docs"))
    b.add_argument("--config", default="mkdocs.yml", help="mkdocs.yml whose nav block to keep in step ('' for none)")
    b.add_argument("--quiet", action="store_true", help="print problems only, no summary")
    k = sub.add_parser("book", help="after mkdocs build: copy every topic page into the print edition (site/print/handbook/)")
    k.add_argument("--site", type=Path, default=Path("site"))
    k.add_argument("--quiet", action="store_true", help="print problems only")
    p = sub.add_parser("pdf", help="print the built site to PDF: one per topic and the whole book, into site/pdf/")
    p.add_argument("--site", type=Path, default=Path("site"))
    p.add_argument("--jobs", type=int, default=3, help="pages printed at once in the one browser")
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.WARNING, format="%(levelname)s: %(message)s")
    if args.command == "pdf":
        return pdf_main(args.site, args.jobs)
    if args.command == "book":
        return book_main(args.site, args.quiet)

    from builder.coverage import summary_text  # the pipeline's imports are heavy; `book` and `pdf` need none of them
    from builder.pipeline import build

    if not args.sources.is_dir():
        print(f"{args.sources}:0: error: no such directory", file=sys.stderr)
        return 2
    config = Path(args.config) if args.config and Path(args.config).is_file() else None
    result = build(args.sources, args.docs, config)
    for problem in result.problems:
        # A source is named by its file name; the handbook's own data files by their path in the project.
        where = "" if "/" in problem.file else f"{args.sources.as_posix().rstrip('/')}/"
        print(f"{where}{problem}", file=sys.stderr)
    if not args.quiet:
        print(summary_text(result.coverage))
    return 0 if result.ok else 1


def book_main(site: Path, quiet: bool) -> int:
    from builder.printing.edition import BookError, fill_book

    try:
        filled = fill_book(site)
    except BookError as err:
        print(err, file=sys.stderr)
        return 1
    if not quiet:
        print(f"{filled.book}: {filled.chapters} chapters" + ("" if filled.changed else " (already filled)"))
    return 0


def pdf_main(site: Path, jobs: int) -> int:
    from builder.printing.edition import BookError
    from builder.printing.pdf import make_pdfs, summary_text

    started = time.monotonic()
    try:
        printed = make_pdfs(site, workers=jobs)
    except BookError as err:
        print(err, file=sys.stderr)
        return 1
    except RuntimeError as err:
        print(f"{site}:0: error: {err}", file=sys.stderr)
        return 1
    print(summary_text(printed, time.monotonic() - started))
    return 0
