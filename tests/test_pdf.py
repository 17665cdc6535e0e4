"""PDFs and print: the print edition's page, the download links, the print stylesheet in Chromium, and
the PDFs ``make pdf`` makes (printed once per session from the session's site)."""

from __future__ import annotations

import io
import posixpath
import re
import subprocess
import shutil
import time
from concurrent.futures import ThreadPoolExecutor
from html import unescape
from pathlib import Path

import pytest
from pypdf import PdfReader

from builder.paths import BOOK_PDF as BOOK_FILE
from builder.printing.pdf import (
    chapter_pages,
    contents_numbers,
    footer_style,
    guess_contents,
    make_pdfs,
    point_links_at_pdfs,
    reproducible,
    topic_jobs,
)
from builder.render.pdf_links import pdf_link
from test_golden import MOJIBAKE

RAW_TEX = re.compile(r"\\frac|\\text\{|\\sqrt|\\mathbf|\$\$")


def fold(text: str) -> str:
    return " ".join(text.split())


def words(text: str) -> str:
    """Text to compare with a PDF's: white space folded, hyphens dropped (pdftotext joins "fine-" at a
    line's end and "tuning" on the next as "finetuning")."""
    return fold(re.sub(r"(?<=\w)-\s*(?=\w)", "", text))


def pdf_text(pdf: Path) -> str:
    return subprocess.run(["pdftotext", "-enc", "UTF-8", str(pdf), "-"], capture_output=True, text=True, check=True).stdout


def headings_of(html_page: Path) -> dict[str, str]:
    """Question headings (``h3`` with an id) of a built page: id → visible text."""
    html = html_page.read_text(encoding="utf-8")
    out = {}
    for anchor, inner in re.findall(r'<h3 id="([^"]+)"[^>]*>(.*?)</h3>', html, re.S):
        inner = re.sub(r'<a class="headerlink".*?</a>', "", inner, flags=re.S)
        out[anchor] = fold(unescape(re.sub(r"<[^>]+>", "", inner)))
    return out


# --- unit tests on small inputs -------------------------------------------------------------------


def test_contents_numbers_come_from_chapter_bookmarks_in_order():
    assert contents_numbers(["topic-a", "topic-b"], [("A", 3), ("B", 9)]) == {"topic-a": "3", "topic-b": "9"}


def test_contents_numbers_are_left_empty_when_chapters_do_not_match_the_contents():
    assert contents_numbers(["topic-a", "topic-b"], [("A", 3)]) == {"topic-a": "", "topic-b": ""}


def test_guess_contents_adds_up_topic_page_counts_after_the_cover_and_contents():
    guess = guess_contents(["topic-a", "topic-b", "topic-c"], {"a": 5, "b": 2, "c": 7})
    assert guess == {"topic-a": "3", "topic-b": "8", "topic-c": "10"}
    assert guess_contents(["topic-a", "topic-x"], {"a": 5}) is None


def test_footer_style_quotes_the_title_and_keeps_the_cover_bare():
    css = footer_style('Say "hi" \\ bye')
    assert 'content: "Say \\"hi\\" \\\\ bye"' in css and "@page :first { @bottom-left { content: none; } }" in css
    assert "@bottom-right { content: none; }" in footer_style("Book", cover=True)


def test_pdf_link_leads_to_the_download_page_and_names_its_file():
    link = pdf_link("topics/attention.md", "attention.pdf", "Download PDF")
    assert link == '[Download PDF](../pdf/index.md#attention){ .hb-pdf-link data-pdf="attention.pdf" }'


def test_download_links_are_repointed_only_at_pdfs_that_exist(tmp_path: Path):
    site = tmp_path / "site"
    (site / "topics" / "a").mkdir(parents=True)
    (site / "pdf").mkdir()
    (site / "pdf" / "a.pdf").write_bytes(b"%PDF-1.4")
    page = site / "topics" / "a" / "index.html"
    page.write_text(
        '<a class="hb-pdf-link" data-pdf="a.pdf" href="../../pdf/#a">Download PDF</a>'
        '<a class="hb-pdf-link" data-pdf="b.pdf" href="../../pdf/#b">B</a><a href="../../pdf/#a">other</a>',
        encoding="utf-8",
    )
    assert point_links_at_pdfs(site, site / "pdf") == 1
    html = page.read_text(encoding="utf-8")
    assert 'data-pdf="a.pdf" href="../../pdf/a.pdf"' in html
    assert 'data-pdf="b.pdf" href="../../pdf/#b"' in html and '<a href="../../pdf/#a">other</a>' in html


def test_topic_jobs_follow_the_home_pages_order_and_take_titles_from_the_pages(tmp_path: Path):
    site = tmp_path / "site"
    for slug, title in (("b", "Bee &amp; Co"), ("a", "Ay")):
        (site / "topics" / slug).mkdir(parents=True)
        (site / "topics" / slug / "index.html").write_text(f'<h1 id="x">{title}<a class="headerlink">¶</a></h1>', encoding="utf-8")
    (site / "index.html").write_text(
        '<a href="topics/b/">B</a><a href="topics/a/">A</a><a href="topics/b/">again</a><a href="topics/gone/">gone</a>', encoding="utf-8"
    )
    jobs = topic_jobs(site, site / "pdf", "Book")
    assert [(j.url_path, j.pdf.name, j.title) for j in jobs] == [
        ("topics/b/", "b.pdf", "Bee & Co · Book"),
        ("topics/a/", "a.pdf", "Ay · Book"),
    ]


def chromium_like_pdf(port: int, printed: str, node: int) -> bytes:
    """A small PDF laid out as Chromium writes one: plain objects, one cross-reference table, link
    annotations whose URIs are on the loopback server, the time of printing in the information
    dictionary, structure elements named after the page's nodes (numbered from ``node``) and the name
    tree that finds them."""
    objects = [
        b"<</Creator (Chromium)\n/CreationDate (D:%s+00'00')\n/ModDate (D:%s+00'00')>>" % (printed.encode(), printed.encode()),
        b"<</Type /Catalog\n/Pages 3 0 R>>",
        b"<</Type /Pages\n/Kids [4 0 R]\n/Count 1>>",
        b"<</Type /Page\n/Parent 3 0 R\n/MediaBox [0 0 200 200]\n/Annots [5 0 R 6 0 R 7 0 R]>>",
        b"<</Type /Annot\n/Subtype /Link\n/Rect [0 0 10 10]\n/A <</Type /Action\n/S /URI\n/URI (http://127.0.0.1:%d/glossary/#kv-cache)>>>>" % port,
        b"<</Type /Annot\n/Subtype /Link\n/Rect [0 0 10 10]\n/A <</S /URI\n/URI (https://arxiv.org/abs/1706.03762)>>>>",
        b"<</Type /Annot\n/Subtype /Link\n/Rect [0 0 10 10]\n/A <</S /URI\n/URI (http://127.0.0.1:%d/)>>>>" % port,
        b"<</Type /StructElem\n/S /P\n/ID (node%08d)>>" % (node + 7),
        b"<</Type /StructElem\n/S /P\n/ID (node%08d)>>" % (node + 2),
        b"<</Names [(node%08d) 9 0 R (node%08d) 8 0 R]\n/Limits [(node%08d) (node%08d)]>>" % (node + 2, node + 7, node + 2, node + 7),
    ]
    out = b"%PDF-1.4\n"
    offsets = []
    for number, body in enumerate(objects, 1):
        offsets.append(len(out))
        out += b"%d 0 obj\n%s\nendobj\n" % (number, body)
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    return out + b"trailer\n<</Size %d\n/Root 2 0 R\n/Info 1 0 R>>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref)


def test_a_printed_pdf_is_made_the_same_whenever_it_is_printed():
    # two printings of the same page: another loopback port (another length), another time, the page's
    # nodes numbered after another number of pages printed before it
    first = reproducible(chromium_like_pdf(46633, "20261206181108", 1568), "http://127.0.0.1:46633/", "pdf/attention.pdf", 1767225600)
    second = reproducible(chromium_like_pdf(8001, "20261207093000", 34504), "http://127.0.0.1:8001/", "pdf/attention.pdf", 1767225600)
    assert first == second
    assert b"/Names [(node00000001) 9 0 R (node00000002) 8 0 R]" in first and b"/Limits [(node00000001) (node00000002)]" in first
    # links into the site lead to it from where the PDF is published; other links stay
    assert b"/URI (../glossary/#kv-cache)" in first and b"/URI (../)" in first
    assert b"/URI (https://arxiv.org/abs/1706.03762)" in first
    assert first.count(b"(D:20260101000000+00'00')") == 2 and b"2026120" not in first
    assert len(re.findall(rb"/ID \[<([0-9a-f]{32})> <\1>\]", first)) == 1
    # the cross-reference table follows the objects that moved: a reader finds every one
    reader = PdfReader(io.BytesIO(first), strict=True)
    links = [a.get_object()["/A"]["/URI"] for a in reader.pages[0]["/Annots"]]
    assert links == ["../glossary/#kv-cache", "https://arxiv.org/abs/1706.03762", "../"]
    assert reader.metadata["/CreationDate"] == "D:20260101000000+00'00'"
    assert reproducible(first, "http://127.0.0.1:46633/", "pdf/attention.pdf", 1767225600) == first  # once is enough
    # without SOURCE_DATE_EPOCH the dates are Chromium's
    assert b"20261206181108" in reproducible(chromium_like_pdf(46633, "20261206181108", 1), "http://127.0.0.1:46633/", "pdf/a.pdf", None)


def test_cli_pdf_reports_a_missing_site_as_file_line_message(tmp_path: Path):
    from builder.cli import main

    assert main(["pdf", "--site", str(tmp_path / "nowhere")]) == 1


# --- the real build ------------------------------------------------------------------------------


def test_the_print_editions_markdown_is_a_frame_for_the_chapters_and_is_not_searched(built):
    """Cover, contents and the chapters' marker only: the answers are converted once, for the topic pages
    (``builder.printing.edition`` copies them in after MkDocs; tests/test_print_edition.py checks the result)."""
    book = next(p for p in built.pages if p.path == "print/handbook.md")
    assert book.front_matter["search"] == {"exclude": True}
    assert not any(f"{{ #{e.id} }}" in book.markdown for e in built.entries)
    assert len(book.markdown) < 20_000
    slugs = [s.topic.slug for s in built.sections]
    assert f"<!-- hb-book-chapters: {' '.join(slugs)} -->" in book.markdown and book.markdown.rstrip().endswith("<!-- /hb-book-chapters -->")
    chapters = re.findall(r"^# .*\{ #topic-([\w-]+) \.hb-chapter \}$", book.markdown, re.M)
    assert chapters == slugs
    slots = re.findall(r'class="hb-toc-page" data-target="topic-([\w-]+)"', book.markdown)
    assert slots == chapters


def test_every_topic_page_and_the_home_page_offer_a_pdf(built):
    pages = {p.path: p.markdown for p in built.pages}
    for section in built.sections:
        slug = section.topic.slug
        assert f'(../pdf/index.md#{slug}){{ .hb-pdf-link data-pdf="{slug}.pdf" }}' in pages[f"topics/{slug}.md"]
        assert f"<span id=\"{slug}\"></span>" in pages["pdf/index.md"]
    assert 'data-pdf="handbook.pdf"' in pages["index.md"] and "make pdf" in pages["pdf/index.md"]


@pytest.mark.browser
def test_printing_a_topic_page_hides_the_site_and_shows_every_answer(page, site_url, test_output):
    page.goto(site_url + "topics/attention/")
    # What a level filter or practice mode may do on screen must not reach paper.
    page.evaluate("document.querySelector('.hb-entry').style.display = 'none'")
    page.emulate_media(media="print")
    page.set_viewport_size({"width": 672, "height": 900})  # A4's width inside print.css's margins
    for chrome in (".md-header", ".md-sidebar--primary", ".md-sidebar--secondary", ".md-footer", ".md-search", ".hb-pdf"):
        assert not page.locator(chrome).first.is_visible(), chrome
    assert page.locator(".hb-entry").first.is_visible()
    blocks = page.locator(".tabbed-block")
    assert blocks.count() > 10
    assert all(blocks.nth(i).is_visible() for i in range(blocks.count()))
    labels = page.locator(".tabbed-labels > label")
    assert all(labels.nth(i).is_visible() for i in range(labels.count()))
    styles = page.evaluate(
        """() => { const h = document.querySelector('.hb-entry > h3'); const pre = document.querySelector('pre > code');
        return [getComputedStyle(h).breakAfter, pre ? getComputedStyle(pre).whiteSpace : 'pre-wrap',
                document.documentElement.scrollWidth <= window.innerWidth]; }"""
    )
    assert styles == ["avoid", "pre-wrap", True]  # nothing wider than the paper
    page.pdf(path=str(test_output / "print-attention-ctrl-p.pdf"), format="A4", prefer_css_page_size=True)


@pytest.mark.browser
def test_tab_scroll_buttons_never_print_however_material_left_them(page, site_url):
    """Material shows a tab set's scroll buttons (a gradient) when its labels overflow the screen and hides
    them when it next measures; print must not depend on which came last (a PDF once got the gradient)."""
    page.goto(site_url + "topics/tokenization/")
    page.wait_for_selector(".tabbed-control")
    # As Material leaves them when it measured the labels on screen and not yet on paper.
    page.evaluate("document.querySelectorAll('.tabbed-control').forEach(c => { c.hidden = false; })")
    page.emulate_media(media="print")
    shown = page.evaluate(
        "[...document.querySelectorAll('.tabbed-control')].filter(c => getComputedStyle(c).display !== 'none').length"
    )
    assert shown == 0
    indicator = page.evaluate("getComputedStyle(document.querySelector('.tabbed-labels'), '::before').display")
    assert indicator == "none"


@pytest.fixture(scope="session")
def pdfs(site: Path, tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """Every PDF ``make pdf`` makes, printed once from a copy of the session's site (``make pdf``
    writes into the site and re-points its download links; other tests read the site as built)."""
    printed_site = tmp_path_factory.mktemp("printed") / "site"
    shutil.copytree(site, printed_site)
    started = time.monotonic()
    with pytest.MonkeyPatch.context() as env:
        env.setenv("SOURCE_DATE_EPOCH", "1767225600")  # as `make pdf` has it, however pytest was started
        printed = make_pdfs(printed_site)
    print(f"\nprinted {len(printed)} PDFs ({sum(p.pages for p in printed)} pages) in {time.monotonic() - started:.1f} s")
    return {p.pdf.name: p.pdf for p in printed}


@pytest.fixture(scope="session")
def pdf_texts(pdfs: dict[str, Path]) -> dict[str, str]:
    with ThreadPoolExecutor(max_workers=4) as pool:
        return dict(zip(pdfs, pool.map(pdf_text, pdfs.values())))


def test_there_is_a_pdf_per_topic_and_a_book(built, pdfs):
    assert set(pdfs) == {f"{s.topic.slug}.pdf" for s in built.sections} | {BOOK_FILE}
    for path in pdfs.values():
        assert path.parent.name == "pdf" and path.read_bytes().startswith(b"%PDF")


def test_each_topic_pdf_holds_every_question_heading_of_its_topic(built, site, pdf_texts):
    for section in built.sections:
        slug = section.topic.slug
        headings = headings_of(site / "topics" / slug / "index.html")
        assert set(headings) == {e.id for e in section.entries}
        text = words(pdf_texts[f"{slug}.pdf"])
        missing = [h for h in headings.values() if words(h) not in text]
        assert missing == [], f"{slug}.pdf lacks {missing[:3]}"


def test_the_book_holds_every_question_heading(built, site, pdf_texts):
    text = words(pdf_texts[BOOK_FILE])
    headings = [h for s in built.sections for h in headings_of(site / "topics" / s.topic.slug / "index.html").values()]
    assert len(headings) == len(built.entries)
    assert [h for h in headings if words(h) not in text] == []


def test_no_pdf_shows_mojibake(pdf_texts):
    for name, text in pdf_texts.items():
        bad = MOJIBAKE.search(text)
        assert bad is None, f"{name}: {bad.group(0)!r} near {text[max(0, bad.start() - 60):bad.end() + 60]!r}"


def test_no_pdf_shows_raw_tex(pdf_texts):
    """Math must be typeset, not printed as TeX source (needs the KaTeX work from another branch)."""
    found = {name: RAW_TEX.findall(text)[:3] for name, text in pdf_texts.items() if RAW_TEX.search(text)}
    assert found == {}


def test_the_book_has_a_bookmark_per_topic_and_per_question(built, pdfs):
    reader = PdfReader(pdfs[BOOK_FILE])

    def titles(items: list, depth: int = 0) -> list[tuple[int, str]]:
        out: list[tuple[int, str]] = []
        for item in items:
            out += titles(item, depth + 1) if isinstance(item, list) else [(depth, fold(str(item.title)))]
        return out

    marks = titles(reader.outline)
    assert [t for d, t in marks if d == 0] == [fold(s.topic.title) for s in built.sections]
    # topic › group (level or sub-section) › question: one bookmark per question, each right under its group
    assert sum(1 for d, _ in marks if d == 2) == len(built.entries)
    assert {fold(p.subtopic.title) for s in built.sections for p in s.parts} <= {t for d, t in marks if d == 1}


def test_the_book_opens_with_a_cover_and_contents_whose_page_numbers_are_right(built, pdfs):
    data = pdfs[BOOK_FILE].read_bytes()
    cover = subprocess.run(["pdftotext", "-f", "1", "-l", "1", str(pdfs[BOOK_FILE]), "-"], capture_output=True, text=True).stdout
    assert "The LLM Interview Handbook" in cover and f"{len(built.entries)} interview questions" in fold(cover)
    contents = subprocess.run(["pdftotext", "-layout", "-f", "2", "-l", "2", str(pdfs[BOOK_FILE]), "-"], capture_output=True, text=True).stdout
    starts = chapter_pages(data)
    for section, (title, start) in zip(built.sections, starts, strict=True):
        line = next(l for l in contents.splitlines() if l.strip().startswith(section.topic.title))
        assert line.split()[-1] == str(start), line


def test_pdf_pages_carry_page_numbers_in_the_footer(pdfs):
    for name in ("attention.pdf", BOOK_FILE):
        pages = len(PdfReader(pdfs[name]).pages)
        last = subprocess.run(["pdftotext", "-f", str(pages), "-l", str(pages), str(pdfs[name]), "-"], capture_output=True, text=True).stdout
        assert f"{pages} / {pages}" in last, name


def test_download_links_point_at_the_pdfs_once_they_are_built(built, pdfs):
    site = next(iter(pdfs.values())).parents[1]  # the printed copy of the site: site/pdf/<name>.pdf
    for section in built.sections:
        html = (site / "topics" / section.topic.slug / "index.html").read_text(encoding="utf-8")
        href = re.search(r'<a\b[^>]*data-pdf="[^"]+"[^>]*href="([^"]+)"|<a\b[^>]*href="([^"]+)"[^>]*data-pdf=', html)
        assert href, section.topic.slug
        target = posixpath.normpath(posixpath.join("topics", section.topic.slug, href.group(1) or href.group(2)))
        assert target == f"pdf/{section.topic.slug}.pdf" and (site / target).is_file()
    home = (site / "index.html").read_text(encoding="utf-8")
    assert re.search(r'href="pdf/handbook\.pdf"', home)


@pytest.mark.slow
def test_printing_the_site_again_gives_byte_identical_pdfs(site, pdfs, tmp_path, monkeypatch):
    """``make pdf`` twice: the same site printed again (another server port, another time) gives the same bytes."""
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1767225600")
    again = tmp_path / "site"
    shutil.copytree(site, again)
    reprinted = {p.pdf.name: p.pdf.read_bytes() for p in make_pdfs(again)}
    assert set(reprinted) == set(pdfs)
    differ = [name for name, path in pdfs.items() if path.read_bytes() != reprinted[name]]
    assert differ == []
    book = PdfReader(pdfs[BOOK_FILE])
    assert book.metadata["/CreationDate"] == "D:20260101000000+00'00'" and book.trailer["/ID"][0] == book.trailer["/ID"][1]
    uris = [str(a.get_object()["/A"]["/URI"]) for page in book.pages for a in page.get("/Annots", ()) if "/URI" in a.get_object().get("/A", {})]
    assert uris and not [u for u in uris if "127.0.0.1" in u]


def test_a_page_of_a_topic_pdf_and_of_the_book_rendered_for_a_person_to_look_at(pdfs, test_output):
    for name, first, prefix in (("attention.pdf", 1, "pdf-attention"), (BOOK_FILE, 2, "pdf-handbook-contents")):
        subprocess.run(["pdftoppm", "-r", "80", "-png", "-singlefile", "-f", str(first), "-l", str(first), str(pdfs[name]), str(test_output / prefix)], check=True)
        png = test_output / f"{prefix}.png"
        assert png.stat().st_size > 20_000 and png.read_bytes().startswith(b"\x89PNG")


def test_no_page_ends_with_a_question_heading(built, site, pdf_texts):
    """A page break never parts a question's heading from its answer."""
    headings = [words(h) for s in built.sections for h in headings_of(site / "topics" / s.topic.slug / "index.html").values()]
    stranded = []
    for name, text in pdf_texts.items():
        for number, page in enumerate(text.split("\f"), 1):
            body = [l for l in page.splitlines() if l.strip() and not re.fullmatch(r"\s*\d+ / \d+\s*", l) and "The LLM Interview Handbook" not in l]
            end = words(" ".join(body[-4:]))
            stranded += [f"{name} p.{number}: {h}" for h in headings if end.endswith(h)]
    assert stranded == []



def test_the_cross_reference_table_follows_objects_moved_by_edits_that_cancel_out():
    # The dates made 10 bytes longer each, then the one link into the site 20 bytes shorter: the
    # edits add up to nothing, but the objects between the dates and the link have moved.
    pdf = chromium_like_pdf(46633, "2026", 1568).replace(b"/URI (http://127.0.0.1:46633/)", b"/URI (https://example.org/abc)")
    made = reproducible(pdf, "http://127.0.0.1:46633/", "pdf/attention.pdf", 1767225600)
    assert len(made) == len(pdf) + len(re.search(rb"/ID \[[^]]*\]\n", made).group(0))  # the edits add up to nothing
    table = made[made.index(b"xref\n") :].split(b"\n")[3:13]  # the entries of objects 1 to 10
    for number, entry in enumerate(table, 1):
        assert made[int(entry[:10]) :].startswith(b"%d 0 obj" % number), number
