"""``python -m builder pdf``: print the built site to PDF with headless Chromium, one PDF per topic and
the whole handbook as a book, into ``site/pdf/``; then point every "Download PDF" link at its file.

Chromium prints the very pages readers see (``assets/print.css`` styles them for paper), so math,
fonts and code look as on screen. The site is served on loopback for the printing; nothing is fetched
from elsewhere. The book is printed twice: the first printing tells which page each chapter starts on
(from the PDF's bookmarks), the second prints those numbers in the table of contents. The book's chapters
are filled in first (``builder.printing.edition``, which ``make site`` runs already; filling twice changes
nothing), so a site built by ``mkdocs build`` alone prints whole too.

Printing the same site twice gives the same bytes (``reproducible``): Chromium stamps the time of
printing into each PDF and writes its links as URLs of the loopback server, whose port changes;
both are rewritten in place, and the PDF gets an identifier made from its content.
"""

from __future__ import annotations

import asyncio
import bisect
import datetime as dt
import functools
import hashlib
import html
import http.server
import io
import logging
import os
import posixpath
import re
import shutil
import threading
import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from pypdf import PdfReader

from builder.book_chapters import chapter_anchor
from builder.paths import BOOK_PATH, BOOK_PDF, DOWNLOADS_PATH, HOME_PATH, relative, site_file, site_url, topic_of_url, topic_page, topic_pdf
from builder.printing.edition import fill_book, start_tags
from builder.stamp import source_date_epoch

log = logging.getLogger(__name__)

CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
# Page slots in the book's contents hold this until the first printing has measured the real numbers,
# so both printings lay the contents out alike.
_PAGE_PLACEHOLDER = "000"
_PDF_LINK = re.compile(r'<a\b[^>]*\bdata-pdf="([^"]+)"[^>]*>')
# In Chromium's (Skia's) PDFs every object is written as plain text, never in a compressed stream, and
# found through one plain cross-reference table, so the information dictionary's dates and the links'
# URIs can be rewritten where they stand.
_INFO_DATE = re.compile(rb"/(CreationDate|ModDate) \((D:[^)]*)\)")
_URI = re.compile(rb"/URI \(((?:[^()\\]|\\.)*)\)")
_TRAILER = re.compile(rb"\btrailer\s*<<")
# A tagged PDF's structure elements are named after the nodes of the page they come from; Chromium
# numbers nodes across every page its renderer has loaded, so the same page prints with other numbers
# depending on what was printed before it (the PDFs are printed side by side).
_NODE_ID = re.compile(rb"\(node(\d+)\)")
_XREF = re.compile(rb"\nxref\n0 (\d+)\n")
_STARTXREF = re.compile(rb"startxref\n(\d+)")
_HREF = re.compile(r'\bhref="[^"]*"')


@dataclass(frozen=True)
class PrintJob:
    """One PDF to print: the site page it comes from, where it goes, and the footer's title."""

    url_path: str
    pdf: Path
    title: str
    book: bool = False


@dataclass(frozen=True)
class PrintedPdf:
    pdf: Path
    pages: int
    size: int
    seconds: float
    printings: int = 1  # the book is printed again when its contents' page numbers were guessed wrong


def chromium_path() -> str | None:
    return os.environ.get("CHROMIUM") or shutil.which("chromium") or shutil.which("chromium-browser")


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:  # noqa: A002 - the base class's name
        pass


@contextmanager
def serve(root: Path, handler_class: type[http.server.SimpleHTTPRequestHandler] = _QuietHandler) -> Iterator[str]:
    """Serve ``root`` on 127.0.0.1 (a free port) while printing; yields the base URL."""
    handler = functools.partial(handler_class, directory=str(root))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/"
    finally:
        server.shutdown()
        server.server_close()


def footer_style(title: str, cover: bool = False) -> str:
    """CSS that puts this PDF's title in the footer (print.css puts the page numbers beside it).

    The first page carries the title in large type already; a book's cover has no footer at all.
    """
    quoted = title.replace("\\", "\\\\").replace('"', '\\"')
    first = "@bottom-left { content: none; }" + (" @bottom-right { content: none; }" if cover else "")
    return f'@page {{ @bottom-left {{ content: "{quoted}"; }} }} @page :first {{ {first} }}'


def topic_jobs(site: Path, out: Path, book_title: str) -> list[PrintJob]:
    """A job per topic page of the built site, in the navigation's order (as the home page lists them)."""
    home = (site / site_file(HOME_PATH)).read_text(encoding="utf-8")
    links = (t.get("href") or "" for t in start_tags(home) if t.name == "a")
    slugs = dict.fromkeys(slug for href in links if (slug := topic_of_url(href)) and (site / site_file(topic_page(slug))).is_file())
    jobs = []
    for slug in slugs:
        page = (site / site_file(topic_page(slug))).read_text(encoding="utf-8")
        match = re.search(r"<h1[^>]*>(.*?)</h1>", page, re.S)
        title = html.unescape(re.sub(r"<[^>]+>", "", match.group(1))).replace("¶", "").strip() if match else slug
        jobs.append(PrintJob(site_url(topic_page(slug)), out / topic_pdf(slug), f"{title} · {book_title}"))
    return jobs


def _pdf_date(epoch: int) -> bytes:
    return dt.datetime.fromtimestamp(epoch, dt.timezone.utc).strftime("D:%Y%m%d%H%M%S+00'00'").encode()


def _site_relative(pdf_url: str, target: str) -> str:
    """``target`` (a URL path of the site, with its query and fragment) relative to the PDF at ``pdf_url``."""
    cut = min((i for i in (target.find("?"), target.find("#")) if i >= 0), default=len(target))
    path, rest = target[:cut], target[cut:]
    relative_path = posixpath.relpath(path or ".", posixpath.dirname(pdf_url) or ".")
    if path == "" or path.endswith("/"):
        relative_path += "/"
    return relative_path + rest


def reproducible(pdf: bytes, base_url: str, pdf_url: str, epoch: int | None) -> bytes:
    """``pdf`` as Chromium printed it from the site served at ``base_url``, the same whenever it is printed:

    * every link into the site (a URI on the loopback server, whose port changes from run to run) is
      made relative to where the PDF is published, ``pdf_url`` (``pdf/<name>.pdf``), so it leads to the
      site's page wherever the site is served; the cross-reference table follows the objects it moves;
    * the creation and modification dates are ``epoch`` (``SOURCE_DATE_EPOCH``, as ``make`` sets it),
      when given;
    * the structure elements' names (``node<number>``, also the keys of the name tree that finds them)
      are numbered from 1 in the order of the printed numbers, so the tree stays sorted;
    * the trailer gets the file identifier (``/ID``) Chromium leaves out, an MD5 of the content.

    A PDF without the one plain cross-reference table Chromium writes keeps its links as they are.
    """
    base = base_url.encode()
    edits: list[tuple[int, int, bytes]] = []  # (start, end, replacement), in file order
    xref = list(_XREF.finditer(pdf))
    if len(xref) == 1:
        for match in _URI.finditer(pdf):
            target = match.group(1)
            if target.startswith(base):
                local = _site_relative(pdf_url, target[len(base) :].decode("latin-1")).encode("latin-1")
                edits.append((match.start(1), match.end(1), re.sub(rb"([()\\])", rb"\\\1", local)))
    if epoch is not None:
        stamp = _pdf_date(epoch)
        edits += [(m.start(2), m.end(2), stamp) for m in _INFO_DATE.finditer(pdf)]
    nodes = list(_NODE_ID.finditer(pdf))
    rank = {number: i for i, number in enumerate(sorted({int(m.group(1)) for m in nodes}), 1)}
    edits += [(m.start(1), m.end(1), b"%08d" % rank[int(m.group(1))]) for m in nodes]
    edits.sort()
    out: list[bytes] = []
    ends: list[int] = []  # where each edit ended in the printed file
    shifts: list[int] = []  # how far everything after it has moved
    position = shift = 0
    for start, end, new in edits:
        out += [pdf[position:start], new]
        position = end
        shift += len(new) - (end - start)
        ends.append(end)
        shifts.append(shift)
    out.append(pdf[position:])
    pdf = b"".join(out)

    def moved(offset: int) -> int:
        i = bisect.bisect_right(ends, offset)
        return offset + (shifts[i - 1] if i else 0)

    if any(shifts) and len(xref) == 1:
        table = _XREF.search(pdf)
        count = int(table.group(1))
        entries = [pdf[table.end() + 20 * i : table.end() + 20 * (i + 1)] for i in range(count)]
        entries = [b"%010d" % moved(int(e[:10])) + e[10:] if e[17:18] == b"n" else e for e in entries]
        pdf = pdf[: table.end()] + b"".join(entries) + pdf[table.end() + 20 * count :]
        pdf = _STARTXREF.sub(lambda m: b"startxref\n%d" % moved(int(m.group(1))), pdf)
    trailers = list(_TRAILER.finditer(pdf))
    if trailers and b"/ID" not in pdf[trailers[-1].end() :]:
        digest = hashlib.md5(pdf).hexdigest().encode()
        at = trailers[-1].end()
        pdf = pdf[:at] + b"/ID [<" + digest + b"> <" + digest + b">]\n" + pdf[at:]
    return pdf


def chapter_pages(pdf: bytes) -> list[tuple[str, int]]:
    """Each top-level bookmark of a PDF (Chromium makes one per ``h1``) with its 1-based page."""
    reader = PdfReader(io.BytesIO(pdf))
    out = []
    for item in reader.outline:
        if isinstance(item, list):
            continue  # the children of the bookmark before it
        out.append((str(item.title).strip(), reader.get_destination_page_number(item) + 1))
    return out


def contents_numbers(slots: list[str], chapters: list[tuple[str, int]]) -> dict[str, str]:
    """Page number for each contents slot (chapter anchors in book order) from the chapters' bookmarks.

    Chapters are matched by order: the book has one ``h1`` per topic and its contents lists them in
    the same order. A count that does not match leaves the slots empty rather than wrong.
    """
    if len(slots) != len(chapters):
        log.warning("the book has %d chapter bookmarks for %d contents lines; contents printed without page numbers", len(chapters), len(slots))
        return {slot: "" for slot in slots}
    return {slot: str(page) for slot, (_, page) in zip(slots, chapters)}


async def _prepare(page: Any, job: PrintJob) -> None:
    """What a reader's Ctrl+P gets, made certain: print media, every collapsed answer open, fonts
    loaded; and this PDF's title in the footer."""
    await page.emulate_media(media="print")
    await page.add_style_tag(content=footer_style(job.title, cover=job.book))
    await page.evaluate(
        """async () => {
            document.querySelectorAll('details').forEach(d => { d.open = true; });
            await document.fonts.ready;
            // Laid out afresh: how the page was laid out while it loaded (fonts arriving, Material's
            // script measuring in animation frames, which a page printing in the background gets
            // late) must not show in the PDF, or a reprint can place a glyph a fraction of a pixel off.
            const root = document.documentElement;
            root.style.display = 'none';
            root.getBoundingClientRect();
            root.style.removeProperty('display');
        }"""
    )


async def _pdf(page: Any) -> bytes:
    # Page size, margins and the footer come from print.css's @page rules, which Ctrl+P uses too
    # (and which Chromium lays out far faster than a footer template).
    return await page.pdf(format="A4", prefer_css_page_size=True, print_background=True, outline=True, tagged=True)


async def _set_contents(page: Any, numbers: dict[str, str] | None) -> list[str]:
    """Write page numbers into the book's contents slots (a placeholder where none is known); returns the slots."""
    return await page.evaluate(
        """([numbers, placeholder]) => [...document.querySelectorAll('.hb-toc-page')].map(s => {
            s.textContent = numbers ? (numbers[s.dataset.target] ?? '') : placeholder; return s.dataset.target; })""",
        [numbers, _PAGE_PLACEHOLDER],
    )


def guess_contents(slots: list[str], topic_pages: dict[str, int], front_pages: int = 2) -> dict[str, str] | None:
    """Where each chapter will start, if each is as long as its topic's own PDF (the same page, printed alike).

    A guess: the first printing of the book checks it against its bookmarks and a second printing
    follows only when it was wrong. None when a topic PDF is missing.
    """
    pages_of_chapter = {chapter_anchor(slug): pages for slug, pages in topic_pages.items()}
    numbers: dict[str, str] = {}
    page = front_pages + 1
    for slot in slots:
        pages = pages_of_chapter.get(slot)
        if pages is None:
            return None
        numbers[slot] = str(page)
        page += pages
    return numbers


async def _print_book(page: Any, job: PrintJob, topic_pages: dict[str, int]) -> tuple[bytes, int]:
    slots = await _set_contents(page, None)
    guess = guess_contents(slots, topic_pages)
    if guess is not None:
        await _set_contents(page, guess)
    data = await _pdf(page)
    numbers = contents_numbers(slots, chapter_pages(data))
    if numbers == guess:
        return data, 1
    log.info("%s: contents page numbers differ from the guess; printing again", job.pdf)
    await _set_contents(page, numbers)
    data = await _pdf(page)
    if contents_numbers(slots, chapter_pages(data)) != numbers:
        log.warning("%s: chapters moved between the two printings; contents page numbers may be off", job.pdf)
    return data, 2


async def _print_all(base_url: str, jobs: list[PrintJob], executable: str, workers: int) -> list[PrintedPdf]:
    from playwright.async_api import async_playwright

    results: list[PrintedPdf] = []
    topic_pages: dict[str, int] = {}
    queue: asyncio.Queue[PrintJob] = asyncio.Queue()
    # Topics first: their page counts let the book be printed once, its contents right the first time.
    for job in sorted(jobs, key=lambda j: j.book):
        queue.put_nowait(job)

    async with async_playwright() as playwright:
        browser = await playwright.chromium.launch(executable_path=executable, args=CHROMIUM_ARGS)
        context = await browser.new_context(service_workers="block")
        # Printing must not depend on the network: anything not on the loopback site is refused.
        await context.route(lambda url: not url.startswith(base_url), lambda route: route.abort())

        printing: set[Path] = set()  # topics being printed right now

        async def worker() -> None:
            page = await context.new_page()
            while not queue.empty():
                job = queue.get_nowait()
                if not job.book:
                    printing.add(job.pdf)
                started = time.monotonic()
                await page.goto(base_url + job.url_path, wait_until="load")
                await _prepare(page, job)
                if job.book:
                    while printing:  # the book's contents wait for the last topic's page count
                        await asyncio.sleep(0.2)
                    data, printings = await _print_book(page, job, topic_pages)
                else:
                    data, printings = await _pdf(page), 1
                data = reproducible(data, base_url, site_url(DOWNLOADS_PATH) + job.pdf.name, source_date_epoch())
                job.pdf.write_bytes(data)
                pages = len(PdfReader(io.BytesIO(data)).pages)
                if not job.book:
                    topic_pages[job.pdf.stem] = pages
                    printing.discard(job.pdf)
                results.append(PrintedPdf(job.pdf, pages, len(data), time.monotonic() - started, printings))
                log.info("%s: %d pages in %.1f s", job.pdf, pages, time.monotonic() - started)
            await page.close()

        await asyncio.gather(*(worker() for _ in range(max(1, min(workers, len(jobs))))))
        await browser.close()
    order = {job.pdf: i for i, job in enumerate(jobs)}
    return sorted(results, key=lambda r: order[r.pdf])


def point_links_at_pdfs(site: Path, pdf_dir: Path) -> int:
    """Re-point each "Download PDF" link (``data-pdf``) of the built site at its file, where it exists.

    Until then the link leads to the download page, which explains ``make pdf``. Returns how many
    links now point at a PDF.
    """
    changed = 0
    for page in sorted(site.rglob("*.html")):
        text = page.read_text(encoding="utf-8")
        if "data-pdf=" not in text:
            continue
        here = page.relative_to(site).as_posix()

        def repoint(match: re.Match[str]) -> str:
            nonlocal changed
            name = match.group(1)
            if not (pdf_dir / name).is_file():
                return match.group(0)
            changed += 1
            target = relative(here, (pdf_dir / name).relative_to(site).as_posix())
            return _HREF.sub(f'href="{html.escape(target)}"', match.group(0), count=1)

        new = _PDF_LINK.sub(repoint, text)
        if new != text:
            page.write_text(new, encoding="utf-8")
    return changed


def make_pdfs(site: Path, out: Path | None = None, workers: int = 3, book_title: str = "The LLM Interview Handbook") -> list[PrintedPdf]:
    """Print every topic and the book of the built ``site`` into ``out`` (``site/pdf/``), then re-point links.

    Raises RuntimeError when there is nothing to print, BookError when the book cannot be filled in."""
    out = out or site / site_url(DOWNLOADS_PATH)
    if not (site / site_file(HOME_PATH)).is_file():
        raise RuntimeError("no built site here: run `make site` first")
    executable = chromium_path()
    if executable is None:
        raise RuntimeError("Debian's chromium is not installed: run `make pdf`, which installs it")
    out.mkdir(parents=True, exist_ok=True)
    jobs = topic_jobs(site, out, book_title)
    if (site / site_file(BOOK_PATH)).is_file():
        fill_book(site)
        jobs.append(PrintJob(site_url(BOOK_PATH), out / BOOK_PDF, book_title, book=True))
    else:
        log.warning("%s: no print edition in the built site; the book is not printed", site / site_url(BOOK_PATH))
    with serve(site) as base_url, ThreadPoolExecutor(max_workers=1) as thread:
        # A thread of its own, so its event loop never meets one already running (Playwright's sync
        # API keeps one in the caller's thread, as in the tests).
        printed = thread.submit(asyncio.run, _print_all(base_url, jobs, executable, workers)).result()
    point_links_at_pdfs(site, out)
    return printed


def summary_text(printed: list[PrintedPdf], seconds: float) -> str:
    lines = [f"{'PDF':<34} {'pages':>6} {'KiB':>7} {'seconds':>8}"]
    lines += [
        f"{p.pdf.name:<34} {p.pages:>6} {p.size / 1024:>7.0f} {p.seconds:>8.1f}" + (f"  (printed {p.printings} times)" if p.printings > 1 else "")
        for p in printed
    ]
    total_pages = sum(p.pages for p in printed)
    total_size = sum(p.size for p in printed)
    lines.append(f"{len(printed)} PDFs, {total_pages} pages, {total_size / 1024 / 1024:.1f} MiB, in {seconds:.1f} s")
    return "\n".join(lines)
