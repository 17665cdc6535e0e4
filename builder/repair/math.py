"""Math repair: every formula the sources give becomes one well-formed TeX span, or readable text.

The sources write math four ways (proper LaTeX, half-broken LaTeX, plain text with Unicode, code-like
``softmax(Q * K^T / sqrt(d_k))``) and the chat export adds copy artefacts of rendered math: a formula
followed by lines that repeat its pieces. This step, pure ``text -> text``:

* finds ``$…$`` / ``$$…$$`` spans with Pandoc's rules (``$5B`` and ``$195.23`` stay currency);
* drops lines after a formula that only repeat its pieces, and collapses repeated formulas;
* rejoins sentences a copy broke after a doubled symbol (``matrices AA`` / ``A and …``);
* keeps the fuller half of ``X \\quad X'`` spans that state one formula twice;
* wraps bare commands in prose (``softmax \\rightarrow gives``) in ``$…$``;
* turns standalone plain-text formula lines, and bare language-less code blocks holding only formula
  lines, into display math (``plainmath.to_tex``); formulas inside running text keep their words;
* leaves as readable text what it cannot balance (``builder.tex.tex_to_text``).

``repair_math_report`` also returns counts and the lines left as text, for the coverage report.
"""

from __future__ import annotations

import logging
import re
from collections import Counter
from dataclasses import dataclass, field

from builder.markdown_text import FENCE_OPEN, INLINE_CODE, Span, find_spans, next_nonblank, split_code
from builder.repair.plainmath import is_formula_line, to_tex
from builder.tex import tex_to_text, unicode_to_tex

log = logging.getLogger(__name__)

_LIST_MARKER = re.compile(r"^(\s*(?:[-*+]|\d+[.)])\s+)(.*)$")
_COMMAND = re.compile(r"\\[A-Za-z]+|\\.")
# Spacing and sizing commands say nothing about which formula a fragment belongs to.
_NEUTRAL = frozenset({"\\quad", "\\qquad", "\\,", "\\;", "\\!", "\\ ", "\\left", "\\right"})
# Commands that, written bare in prose, are math a copy lost its delimiters for.
_BARE_COMMANDS = re.compile(
    r"\\(?:rightarrow|leftarrow|Rightarrow|leftrightarrow|to|leq|geq|neq|approx|times|cdot|infty|sum|prod|"
    r"alpha|beta|gamma|delta|epsilon|theta|lambda|mu|sigma|pi|eta|odot|propto|sqrt\{[^{}]*\})(?![A-Za-z])"
)
_MAX_FRAGMENT = 60
_LABELLED = re.compile(r"^(?:([A-Z][\w-]*(?: [\w-]+){0,2}):\s+)?(.+)$")


@dataclass
class MathReport:
    """What the step did to one text: counts by kind, and the lines it could only leave as text."""

    counts: Counter[str] = field(default_factory=Counter)
    left_as_text: list[tuple[int, str]] = field(default_factory=list)  # (0-based line in the output, formula)


def _tokens(tex: str) -> tuple[set[str], set[str]]:
    """The commands and the plain characters of a formula (command names also count as letters, so a
    fragment ``exp(T`` matches ``\\exp(T``); white space, braces and spacing commands do not count."""
    tex = unicode_to_tex(tex)
    commands = {c for c in _COMMAND.findall(tex) if c not in _NEUTRAL}
    chars = set(re.sub(r"\s|[{}$]", "", _COMMAND.sub(lambda m: m.group(0)[1:], tex)))
    return commands, chars


def _covered_by(fragment: str, anchor: str) -> bool:
    f_cmd, f_chars = _tokens(fragment)
    a_cmd, a_chars = _tokens(anchor)
    return bool(f_cmd or f_chars) and f_cmd <= a_cmd and f_chars <= a_chars


def _lhs(tex: str) -> str:
    return re.sub(r"\s+", "", tex.split("=", 1)[0]) if "=" in tex else ""


def _balanced(tex: str) -> bool:
    depth = 0
    for ch in _COMMAND.sub("", tex):
        depth += {"{": 1, "}": -1}.get(ch, 0)
        if depth < 0:
            return False
    return depth == 0 and len(re.findall(r"\\left(?![A-Za-z])", tex)) == len(re.findall(r"\\right(?![A-Za-z])", tex))


def _parens_balanced(tex: str) -> bool:
    tex = _COMMAND.sub("", tex)
    return tex.count("(") == tex.count(")")


def _fuller_half(tex: str) -> str:
    """``P(w) = … \\quad P(w) = …``: one formula written twice (the linear and the typeset copy); keep
    the fuller half. Halves that state different things (``m_t = … \\quad , \\quad v_t = …``) stay."""
    parts = [p.strip() for p in re.split(r"\\quad(?![A-Za-z])", tex)]
    if len(parts) != 2 or not all(parts) or not _lhs(parts[0]) or _lhs(parts[0]) != _lhs(parts[1]):
        return tex
    return max(parts, key=lambda p: (_balanced(p) and _parens_balanced(p), len(p)))


def _math_only(line: str) -> list[Span] | None:
    """The spans of a line that holds nothing but math (and a trailing full stop)."""
    stripped = line.strip()
    spans = find_spans(stripped)
    if not spans:
        return None
    rest = "".join(stripped[a.end : b.start] for a, b in zip(spans, spans[1:]))
    rest += stripped[: spans[0].start] + stripped[spans[-1].end :]
    return spans if not rest.strip(" .,;") else None


def _bare_fragment(line: str) -> bool:
    """A short line of math pieces without delimiters, as a copy of rendered math leaves them
    (``\\prod``, ``m_{t-1}``, ``η_t``, ``precision · recall``, ``)``)."""
    s = line.strip()
    if not s or len(s) > _MAX_FRAGMENT or s.endswith(":") or _LIST_MARKER.match(s) or s.startswith(("#", "|", ">", "**")):
        return False
    return len(re.findall(r"[A-Za-z]{3,}", _COMMAND.sub("", s))) <= 2


def _dedupe_fragments(lines: list[str], report: MathReport) -> list[str]:
    """Drop the lines after a formula that only repeat its pieces; keep the fuller of two versions."""
    out: list[str] = []
    anchor: str | None = None  # the formula the following lines are compared with
    anchor_index = -1  # its line in ``out`` when it is a display line that a fuller copy may replace
    blanks = 0
    for line in lines:
        if not line.strip():
            blanks += 1
            continue
        spans = _math_only(line)
        if anchor is not None:
            candidate = " ".join(s.tex for s in spans) if spans else (line if _bare_fragment(line) else None)
            if candidate is not None:
                # a lone full stop, or a math-only line with unbalanced parentheses, is a piece of a copy
                if not candidate.strip(" .,;") or (spans and not _parens_balanced(candidate)):
                    report.counts["fragments removed"] += 1
                    blanks = 0
                    continue
                if re.sub(r"\s+", "", candidate) == re.sub(r"\s+", "", anchor):
                    report.counts["duplicates collapsed"] += 1
                    blanks = 0
                    continue
                if _covered_by(candidate, anchor):
                    report.counts["fragments removed"] += 1
                    blanks = 0
                    continue
                # a fuller copy of the anchor (same left-hand side, every piece of it and more): keep that one
                if (
                    spans and len(spans) == 1 and spans[0].display and anchor_index >= 0
                    and _lhs(candidate) and _lhs(candidate) == _lhs(anchor) and _covered_by(anchor, candidate)
                    and _balanced(candidate) and _parens_balanced(candidate)
                ):
                    out[anchor_index] = line.strip()
                    anchor = candidate
                    report.counts["duplicates collapsed"] += 1
                    blanks = 0
                    continue
        out.extend([""] * blanks)
        blanks = 0
        out.append(line)
        all_spans = find_spans(line)
        if all_spans:
            anchor = " ".join(s.tex for s in all_spans)
            anchor_index = len(out) - 1 if spans and len(spans) == 1 and spans[0].display else -1
        else:
            anchor, anchor_index = None, -1
    out.extend([""] * blanks)
    return out


# A symbol a copy doubled at the end of a line (``matrices AA``): eight characters at most.
_DOUBLED_END = re.compile(r"(?<=\s)([A-Za-z]\w{0,3})\1$")
_LONGEST_DOUBLED = 8


def _rejoin_doubled(lines: list[str], report: MathReport) -> list[str]:
    """``matrices AA`` / ``A and BB`` / ``B to weight updates``: a copy of rendered math gives each
    symbol twice (the typeset glyph and its source) and breaks the sentence after it; one symbol,
    one sentence again."""
    out: list[str] = []
    i = 0
    while i < len(lines):
        line = lines[i].rstrip()
        if m := _DOUBLED_END.search(line, max(len(line) - _LONGEST_DOUBLED, 0)):
            j = next_nonblank(lines, i + 1)
            if j < len(lines) and re.match(re.escape(m.group(1)) + r"(?=[\s.,;:]|$)", lines[j].lstrip()):
                report.counts["repaired"] += 1
                lines[j] = line[: m.start()] + lines[j].lstrip()
                i = j
                continue
        out.append(lines[i])
        i += 1
    return out


def _repair_line(line: str, index: int, report: MathReport) -> str:
    """A plain-text formula line converted to TeX; each span well formed, or readable text; bare
    commands outside spans wrapped (a line without a ``$`` or a backslash has neither)."""
    line = _convert_plain_line(line, report)
    return _repair_spans(line, index, report) if "$" in line or "\\" in line else line


def _repair_spans(line: str, index: int, report: MathReport) -> str:
    spans = find_spans(line)
    pieces: list[str] = []
    pos = 0
    for span in spans:
        pieces.append(_wrap_bare(line[pos : span.start], report))
        tex = span.tex.strip()
        fuller = _fuller_half(tex)
        if fuller != tex:
            report.counts["duplicates collapsed"] += 1
            tex = fuller
        if _balanced(tex):
            pieces.append(f"$${tex}$$" if span.display else f"${tex}$")
        else:
            log.debug("unbalanced TeX left as text: %r", tex)
            report.left_as_text.append((index, tex))
            pieces.append(tex_to_text(tex))
        pos = span.end
    pieces.append(_wrap_bare(line[pos:], report))
    return "".join(pieces)


def _wrap_bare(prose: str, report: MathReport) -> str:
    def wrap(m: re.Match[str]) -> str:
        report.counts["repaired"] += 1
        return f"${m.group(0)}$"

    out, pos = [], 0  # inline code is left alone
    for m in INLINE_CODE.finditer(prose):
        out.append(_BARE_COMMANDS.sub(wrap, prose[pos : m.start()]))
        out.append(m.group(0))
        pos = m.end()
    out.append(_BARE_COMMANDS.sub(wrap, prose[pos:]))
    return "".join(out)


def _convert_plain_line(line: str, report: MathReport) -> str:
    """A line that is a formula and nothing else becomes display math; a list item that is only a
    formula becomes inline math in its item. Lines with any other words stay as they are."""
    if "$" in line:
        return line
    m = _LIST_MARKER.match(line)
    marker, body = (m.group(1), m.group(2)) if m else ("", line.strip())
    if not is_formula_line(body):
        return line
    report.counts["converted"] += 1
    tex = to_tex(body)
    if marker:
        return f"{marker}${tex}$"
    return f"{line[: len(line) - len(line.lstrip())]}$${tex}$$"


def _formula_block(chunk: str, report: MathReport) -> str | None:
    """A bare, language-less code block whose every line is a formula is display math a writer put in
    a fence for want of a better way (the 200-question file does): it becomes ``$$…$$`` lines.
    A block with a language, or with any line of prose or code, stays code."""
    lines = chunk.split("\n")
    m = FENCE_OPEN.match(lines[0])
    if not m or m.group(3) or len(lines) < 3:
        return None
    body = [_LABELLED.match(l.strip()) for l in lines[1:-1] if l.strip()]
    if not body or not all(b and is_formula_line(b.group(2)) for b in body):
        return None
    report.counts["converted"] += len(body)
    # a labelled line ("Multi-Head: MultiHead(Q,K,V) = …") keeps its label, its formula inline
    return "\n\n".join(
        f"{m.group(1)}{b.group(1)}: ${to_tex(b.group(2))}$" if b.group(1) else f"{m.group(1)}$${to_tex(b.group(2))}$$"
        for b in body if b
    )


# A formula is written with a dollar, a backslash or an equals sign (every plain-text formula line has one).
_FORMULA_MARK = re.compile(r"[$\\=]")


def repair_math_report(text: str) -> tuple[str, MathReport]:
    report = MathReport()
    chunks: list[str] = []
    line_no = 0
    for is_code, chunk in split_code(text):
        if is_code:
            converted = _formula_block(chunk, report)
            chunk = converted if converted is not None else chunk
        else:
            lines = _rejoin_doubled(chunk.split("\n"), report)
            if "$" in chunk:  # fragments and duplicates follow a formula
                lines = _dedupe_fragments(lines, report)
            if _FORMULA_MARK.search(chunk):  # else there is no formula to repair
                lines = [_repair_line(line, line_no + i, report) for i, line in enumerate(lines)]
            chunk = "\n".join(lines)
        chunks.append(chunk)
        line_no += chunk.count("\n") + 1
    return "\n".join(chunks), report


def repair_math(text: str) -> str:
    """The repair step: see the module docstring."""
    return repair_math_report(text)[0]
