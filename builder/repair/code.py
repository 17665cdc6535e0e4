"""Code blocks as the sources break them: split one line per fence, language named on the line above."""

from __future__ import annotations

import json
import re

from builder.markdown_text import FENCE_OPEN, has_fence, next_nonblank, split_code

_LANGUAGE_LABEL = re.compile(r"^(python|bash|shell|sh|json|yaml|javascript|typescript|text|plaintext|sql|c\+\+|cpp)\s*$", re.IGNORECASE)


def attach_code_language(text: str) -> str:
    """``Python`` alone on the line before a bare fence becomes that fence's language."""
    if not has_fence(text):
        return text
    lines = text.split("\n")
    out: list[str] = []
    i = 0
    while i < len(lines):
        line = lines[i]
        j = next_nonblank(lines, i + 1)
        if _LANGUAGE_LABEL.match(line.strip()) and j < len(lines):
            m = FENCE_OPEN.match(lines[j])
            if m and not m.group(3):
                out.append(f"{m.group(1)}{m.group(2)}{line.strip().lower()}")
                i = j + 1
                continue
        out.append(line)
        i += 1
    return "\n".join(out)


def _fence_parts(chunk: str) -> tuple[str, str, list[str]] | None:
    lines = chunk.split("\n")
    m = FENCE_OPEN.match(lines[0])
    if not m or len(lines) < 2:
        return None
    return m.group(2), m.group(3), lines[1:-1]


def merge_split_fences(text: str) -> str:
    """Consecutive fenced blocks with nothing but blank lines between them, none naming a different
    language and at least one holding a single line, are one block that a copy split apart."""
    if not has_fence(text):
        return text
    chunks = list(split_code(text))
    out: list[tuple[bool, str]] = []
    for is_code, chunk in chunks:
        if is_code and out and len(out) >= 1:
            prev_index = len(out) - 1
            gap = ""
            if not out[prev_index][0] and not out[prev_index][1].strip() and prev_index >= 1 and out[prev_index - 1][0]:
                gap = out[prev_index][1]
                prev_index -= 1
            if out[prev_index][0] and (gap == "" or not gap.strip()):
                prev = _fence_parts(out[prev_index][1])
                cur = _fence_parts(chunk)
                if prev and cur and (not prev[1] or not cur[1] or prev[1] == cur[1]) and (len(prev[2]) <= 1 or len(cur[2]) <= 1):
                    fence, lang = prev[0], prev[1] or cur[1]
                    merged = "\n".join([f"{fence}{lang}", *prev[2], *cur[2], fence])
                    del out[prev_index:]
                    out.append((True, merged))
                    continue
        out.append((is_code, chunk))
    return "\n".join(chunk for _, chunk in out)


_PYTHON_LINE = re.compile(
    r"^\s*(?:import \w|from [\w.]+ import |def \w+\(|class \w+[(:]|return\b|for \w+(?:, \w+)* in .+:$|"
    r"if .+:$|elif .+:$|else:$|with .+:$|print\(|@\w+)"
)
_PYTHON_CALL = re.compile(r"\b[a-z_]\w*\.[a-z_]\w*\(")  # torch.save(, model.state_dict(
_PROSE_LABEL = re.compile(r"^\s*[A-Z][A-Za-z ]{0,30}:\s+\S")  # "Thought: …", "Step 1: …": an example, not code
_SHELL_COMMANDS = ("pip ", "pip3 ", "python ", "python3 ", "git ", "npm ", "curl ", "export ", "cd ", "docker ",
                   "sudo ", "apt ", "apt-get ", "huggingface-cli ", "conda ", "wget ", "make ", "torchrun ", "vllm ")


def guess_language(code: str) -> str:
    """The language of a fenced block's content: ``json``, ``python``, ``bash`` or ``text``.

    Deliberately conservative: a block is only called code when it reads unmistakably as code, so
    ASCII diagrams, worked examples and transcripts stay ``text`` (shown exactly, never coloured)."""
    lines = [l for l in code.split("\n") if l.strip()]
    if not lines:
        return "text"
    stripped = code.strip()
    if stripped[0] in "[{" and stripped[-1] in "]}":
        try:
            json.loads(stripped)
            return "json"
        except ValueError:
            pass
    if all(l.lstrip().startswith(("$ ", "# ")) or l.lstrip().startswith(_SHELL_COMMANDS) for l in lines) and any(
        l.lstrip().startswith(("$ ", *_SHELL_COMMANDS)) for l in lines
    ):
        return "bash"
    if any(_PROSE_LABEL.match(l) for l in lines):
        return "text"
    if any(_PYTHON_LINE.match(l) for l in lines) or any(_PYTHON_CALL.search(l) for l in lines):
        return "python"
    return "text"


def label_bare_fences(text: str) -> str:
    """Every fenced block without a language gets the one ``guess_language`` finds, so Pygments
    highlights what is code and shows the rest as plain text."""
    if not has_fence(text):
        return text
    out = []
    for is_code, chunk in split_code(text):
        lines = chunk.split("\n")
        m = FENCE_OPEN.match(lines[0])
        if is_code and m and not m.group(3) and len(lines) >= 2:
            body = "\n".join(lines[1:-1] if FENCE_OPEN.match(lines[-1]) else lines[1:])
            lines[0] = f"{m.group(1)}{m.group(2)}{guess_language(body)}"
            chunk = "\n".join(lines)
        out.append(chunk)
    return "\n".join(out)


def separate_fences(text: str) -> str:
    """A fenced block written straight under a line of text (``**Implementation:**`` then a fence), or
    with text straight after it, gets the blank lines Python-Markdown needs: without them the block
    ends up inside the paragraph around it (a ``<div>`` in a ``<p>``, so the browser closes the
    paragraph early and the page's ``</p>`` is stray) and a list straight after it stays plain text."""
    if not has_fence(text):
        return text
    out: list[str] = []
    previous_code = False
    for is_code, chunk in split_code(text):
        if out and (is_code or previous_code):
            before = out[-1].rsplit("\n", 1)[-1]
            after = chunk.split("\n", 1)[0]
            if before.strip() and after.strip():
                out.append("")
        out.append(chunk)
        previous_code = is_code
    return "\n".join(out)
