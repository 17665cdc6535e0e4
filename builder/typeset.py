"""Typeset stage: every formula of the repaired sources rendered to HTML by KaTeX, at build time.

One Node process per build renders the whole batch (``builder/katex_render.js`` over the pinned
``node_modules/katex``), so pages show math without JavaScript, print as they look, and load nothing
from the network. A formula KaTeX rejects becomes readable text and a ``file:line`` warning.
``apply_math`` then puts the HTML into the rendered pages; ``katex_assets`` is the CSS and fonts the
writer copies into ``docs/assets/katex/``.
"""

from __future__ import annotations

import dataclasses
import html
import json
import logging
import re
import subprocess
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterator, Mapping, Sequence

from builder.markdown_text import Span, around_formulas, find_spans, on_prose, split_code
from builder.model import Page, Parsed, Problem
from builder.node import NODE_MODULES, NOT_INSTALLED, find_node, run_node
from builder.tex import tex_to_text

log = logging.getLogger(__name__)

KATEX_DIST = NODE_MODULES / "katex" / "dist"
RENDER_SCRIPT = Path(__file__).resolve().parent / "katex_render.js"
ASSET_DIR = "assets/katex"

# Characters Python-Markdown (and its extensions: emphasis, links, attr_list, keys, tables) would act on;
# as numeric references they mean the same to the browser and nothing to Markdown.
_MARKDOWN_ACTIVE = {ch: f"&#{ord(ch)};" for ch in "\\*_`[]{}$~^|+#!"}
_ACTIVE_ORDER = sorted(_MARKDOWN_ACTIVE, key=lambda ch: ch != "#")
"""``#`` first, then the others: no reference written for one holds an active character other than ``#``."""

Key = tuple[str, bool]  # (tex, display)

# KaTeX's named operators (src/functions/op.ts, operatorname.ts) are two MathML nodes, the name and an
# invisible function application (U+2061); as the whole of a sub- or superscript (``\eta_{\min}``)
# KaTeX leaves the two unwrapped, so ``msub`` gets three children, which MathML does not allow. There
# the name is a label, not an operator applied to anything: it goes to KaTeX as text, which looks the
# same (upright, script size) and is one ``mtext``.
_NAMED_OPERATORS = (
    "arcsin arccos arctan arctg arcctg arg ch cos cosec cosh cot cotg coth csc ctg cth deg dim exp hom ker lg ln "
    "log sec sin sinh sh tan tanh tg th det gcd inf lim max min Pr sup"
).split()
_SCRIPT_OPERATOR = re.compile(
    r"(?<=[_^])\{\s*(?:\\(" + "|".join(_NAMED_OPERATORS) + r")|\\operatorname\*?\s*\{([^{}]*)\})\s*\}"
)


_ANNOTATION = re.compile(r'(<annotation encoding="application/x-tex">)[^<]*(</annotation>)')


class KatexError(RuntimeError):
    """The KaTeX process could not run at all (Node or node_modules missing, or it crashed)."""


@dataclass(frozen=True)
class Typeset:
    """KaTeX's HTML for every formula that rendered, the error for every one that did not, and how
    many formulas each source shows."""

    html: Mapping[Key, str] = field(default_factory=dict)
    failed: Mapping[Key, str] = field(default_factory=dict)
    per_source: Mapping[str, Mapping[str, int]] = field(default_factory=dict)


def _texts(p: Parsed) -> Iterator[tuple[int, str]]:
    for item in p.items:
        yield item.line, item.answer
    for sup in p.supplements:
        yield sup.line, sup.markdown
    yield 1, p.preamble


def formulas_in(text: str) -> Iterator[tuple[int, Key]]:
    """Every math span of a Markdown text outside code, with its 0-based line."""
    line_no = 0
    for is_code, chunk in split_code(text):
        if not is_code:
            for span in find_spans(chunk):
                yield line_no + chunk.count("\n", 0, span.start), (page_tex(span.tex), span.display)
        line_no += chunk.count("\n") + 1


def page_tex(tex: str) -> str:
    """A formula's TeX as written, the key of KaTeX's result for it: the renderer escapes "<" in
    prose before the math is found (x_{<t} reaches the page as x_{&lt;t})."""
    return tex.replace("&lt;", "<").strip()


def katex_input(tex: str) -> str:
    """A formula as KaTeX is given it: a sub- or superscript that is only a named operator as text."""
    if "\\" not in tex:
        return tex
    return _SCRIPT_OPERATOR.sub(lambda m: "{\\text{" + (m.group(1) or m.group(2).strip()) + "}}", tex)


def render_formulas(keys: Sequence[Key], node: str | None = None) -> list[dict[str, str]]:
    """KaTeX over the whole batch in one Node process; one ``{html}`` or ``{error}`` per formula."""
    node = node or find_node()
    if not node:
        raise KatexError(NOT_INSTALLED)
    if not (KATEX_DIST.parent / "package.json").exists():
        raise KatexError(f"{KATEX_DIST.parent} is missing: run `make node_modules/.installed`")
    inputs = [katex_input(tex) for tex, _ in keys]
    payload = json.dumps([{"tex": given, "display": display} for given, (_, display) in zip(inputs, keys)])
    try:
        proc = run_node(node, RENDER_SCRIPT, payload)
    except (OSError, subprocess.TimeoutExpired) as err:
        raise KatexError(f"KaTeX could not run: {err}") from err
    if proc.returncode != 0:
        raise KatexError(f"KaTeX exited with {proc.returncode}: {proc.stderr.strip()[-500:]}")
    results = json.loads(proc.stdout)
    if len(results) != len(keys):
        raise KatexError(f"KaTeX returned {len(results)} results for {len(keys)} formulas")
    # The MathML's TeX annotation keeps the formula as written, not as KaTeX was given it.
    for (tex, _), given, result in zip(keys, inputs, results):
        if "html" in result and given != tex:
            result["html"] = _ANNOTATION.sub(lambda m: m.group(1) + html.escape(tex) + m.group(2), result["html"], count=1)
    return results


def typeset(
    parsed: Sequence[Parsed], own: Sequence[tuple[str, int, str]] = (), node: str | None = None
) -> tuple[Typeset, list[Problem]]:
    """Render every distinct formula once, of the sources and of the handbook's ``own`` texts
    (file, line, Markdown); report each occurrence of one KaTeX rejects."""
    occurrences: list[tuple[str, int, Key]] = []
    for p in parsed:
        for line, text in _texts(p):
            occurrences += [(p.source.name, line + offset, key) for offset, key in formulas_in(text)]
    for file, line, text in own:
        occurrences += [(file, line, key) for _, key in formulas_in(text)]
    keys = sorted({key for _, _, key in occurrences})
    try:
        results = render_formulas(keys, node) if keys else []
    except KatexError as err:
        # every formula then shows as readable text, and the error makes the build exit non-zero
        results = [{"error": "KaTeX did not run"}] * len(keys)
        setup_problem = [Problem(RENDER_SCRIPT.name, 1, f"math not rendered: {err}")]
    else:
        setup_problem = []
    html = {k: r["html"] for k, r in zip(keys, results) if "html" in r}
    failed = {k: r.get("error", "no output") for k, r in zip(keys, results) if "html" not in r}
    problems = setup_problem + [
        Problem(source, line, f"formula KaTeX cannot render, shown as text: {tex_to_text(key[0])} ({failed[key]})", "warning")
        for source, line, key in occurrences
        if key in failed
    ]
    per_source: dict[str, Counter[str]] = {p.source.name: Counter() for p in parsed}
    for source, _, key in occurrences:
        if source in per_source:
            per_source[source]["left as text" if key in failed else "display" if key[1] else "inline"] += 1
    log.info("typeset %d distinct formulas (%d failed)", len(keys), len(failed))
    return Typeset(html, failed, {k: dict(sorted(v.items())) for k, v in per_source.items()}), problems


def formula_html(key: Key, result: Typeset) -> str:
    """A formula as HTML where no Markdown reads it (the builder's own HTML): KaTeX's, on one line (its
    SVG paths carry newlines), or readable text when KaTeX rejected it."""
    rendered = result.html.get(key)
    if rendered is None:
        return html.escape(tex_to_text(key[0]), quote=False)
    css = "hb-math hb-math--display" if key[1] else "hb-math"
    one_line = rendered.replace("\n", " ")
    return f'<span class="{css}">{one_line}</span>'


def _markdown_safe(html: str) -> str:
    # "#" goes first: the references the later replacements write contain "#", which must stay as written.
    for ch in _ACTIVE_ORDER:
        html = html.replace(ch, _MARKDOWN_ACTIVE[ch])
    return html


def _as_text(tex: str) -> str:
    # A formula KaTeX rejected is shown as readable text; it is the source's text, so it is escaped.
    return re.sub(r"([*_\[\]`\\])", r"\\\1", html.escape(tex_to_text(tex), quote=False))


def _span_html(span: Span, result: Typeset, shown: dict[Key, str]) -> str:
    """A formula's HTML in a page's Markdown (``formula_html`` made inert to Markdown, or readable
    text escaped for it); ``shown`` remembers each formula's."""
    key = (page_tex(span.tex), span.display)
    piece = shown.get(key)
    if piece is None:
        piece = _markdown_safe(formula_html(key, result)) if key in result.html else _as_text(key[0])
        shown[key] = piece
    return piece


def _prose_math(chunk: str, result: Typeset, shown: dict[Key, str]) -> str:
    """A stretch of prose with every math span replaced."""
    return around_formulas(chunk, lambda span: _span_html(span, result, shown))


def math_to_html(markdown: str, result: Typeset, shown: dict[Key, str] | None = None) -> str:
    """Every math span of a page's Markdown replaced by KaTeX's HTML (or readable text). ``shown``, shared
    by the pages of a build, keeps each formula's page HTML so it is made once, not once per page."""
    shown = {} if shown is None else shown
    return on_prose(lambda chunk: _prose_math(chunk, result, shown), markdown)


def apply_math(pages: Sequence[Page], result: Typeset) -> tuple[Page, ...]:
    shown: dict[Key, str] = {}
    return tuple(dataclasses.replace(p, markdown=math_to_html(p.markdown, result, shown)) if "$" in p.markdown else p for p in pages)


def katex_assets() -> dict[str, bytes]:
    """KaTeX's stylesheet and fonts, by path under ``docs/``, so the site serves them itself."""
    files = {f"{ASSET_DIR}/katex.min.css": (KATEX_DIST / "katex.min.css").read_bytes()}
    for font in sorted((KATEX_DIST / "fonts").glob("*.woff2")):
        files[f"{ASSET_DIR}/fonts/{font.name}"] = font.read_bytes()
    return files


