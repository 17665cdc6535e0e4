"""``python -m builder build``: build docs/ from sources/, print the summary, exit 1 on any error."""

from __future__ import annotations

import argparse
import logging
import sys
from pathlib import Path

from builder.coverage import summary_text
from builder.pipeline import build


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m builder", description=__doc__)
    sub = parser.add_subparsers(dest="command", required=True)
    b = sub.add_parser("build", help="build docs/ from sources/")
    b.add_argument("--sources", type=Path, default=Path("sources"))
    b.add_argument("--docs", type=Path, default=Path("docs"))
    b.add_argument("--config", default="mkdocs.yml", help="mkdocs.yml whose nav block to keep in step ('' for none)")
    b.add_argument("--quiet", action="store_true", help="print problems only, no summary")
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.WARNING, format="%(levelname)s: %(message)s")

    if not args.sources.is_dir():
        print(f"{args.sources}:0: error: no such directory", file=sys.stderr)
        return 2
    config = Path(args.config) if args.config and Path(args.config).is_file() else None
    result = build(args.sources, args.docs, config)
    for problem in result.problems:
        print(f"{args.sources.as_posix().rstrip('/')}/{problem}", file=sys.stderr)
    if not args.quiet:
        print(summary_text(result.coverage))
    return 0 if result.ok else 1
