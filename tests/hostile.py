"""Bad source files, one per way people break a document when they paste from chats and web pages.

Each case is the file's name, its bytes, and what a reader must find in the built handbook. The
questions carry marker words (``Zebrafinch`` …) so a test can find them among the 874 real ones.
"""

from __future__ import annotations

import codecs
import zlib
from dataclasses import dataclass, field


@dataclass(frozen=True)
class Case:
    name: str
    data: bytes
    # (line, words) of every warning or error the build must print for this file
    messages: tuple[tuple[int, str], ...] = ()
    # questions that must be built, as the reader sees them
    questions: tuple[str, ...] = ()
    # text that must be shown, word for word, on the page of the first question
    shown: tuple[str, ...] = ()


def _png() -> bytes:
    def chunk(kind: bytes, body: bytes) -> bytes:
        return len(body).to_bytes(4, "big") + kind + body + zlib.crc32(kind + body).to_bytes(4, "big")

    header = (1).to_bytes(4, "big") * 2 + bytes([8, 0, 0, 0, 0])
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(b"\x00\x00")) + chunk(b"IEND", b"")


def _five_megabytes() -> bytes:
    head = (
        "# A pasted chat log\n\n"
        "Q1 [Easy] What does the Zebrafinch log show about batch size?\n\n"
        "That the batch size was raised twice during the run.\n\n"
        "Q2 [Medium] Why did the Zebrafinch run slow down?\n\n"
        "The log below was pasted whole:\n\n"
    )
    row = "step {:07d} loss 2.{:04d} tokens/s 41{:03d} lr 3.0e-4 grad-norm 0.{:03d}\n"
    body = "".join(row.format(i, i % 9973, i % 997, i % 991) for i in range(80_000))
    tail = "\nQ3 [Hard] What fixed the Zebrafinch slowdown?\n\nPinning the data loader workers.\n"
    data = (head + body + tail).encode("utf-8")
    assert len(data) >= 5_000_000, len(data)
    return data


CASES: tuple[Case, ...] = (
    Case(
        "latin1.txt",
        "Q1 [Easy] What is a Zebrafinch café tokenizer?\n\nIt splits « naïve » words into pieces, ½ a word each.\n".encode("latin-1"),
        messages=((1, "not valid UTF-8; decoded as Windows-1252"),),
        questions=("What is a Zebrafinch café tokenizer?",),
        shown=("It splits « naïve » words into pieces",),
    ),
    Case(
        "utf16.txt",
        codecs.BOM_UTF16_LE + "Q1 [Medium] What does the Zebrafinch résumé model predict?\n\nThe next token — always.\n".encode("utf-16-le"),
        questions=("What does the Zebrafinch résumé model predict?",),
        shown=("The next token — always.",),
    ),
    Case(
        "windows.txt",
        b"### Q: Why does the Zebrafinch loader use CRLF?\r\n\r\n**Answer:** Because it was saved on Windows.\r\nSecond line of the answer.\r\n",
        questions=("Why does the Zebrafinch loader use CRLF?",),
        shown=("Because it was saved on Windows.", "Second line of the answer."),
    ),
    Case("empty.txt", b"", messages=((1, "error: empty file"),)),
    Case("picture.png", _png(), messages=((1, "error: binary file"),)),
    Case(
        "huge.txt",
        _five_megabytes(),
        messages=((616, "answer is 5,280,032 characters long"),),
        questions=(
            "What does the Zebrafinch log show about batch size?",
            "Why did the Zebrafinch run slow down?",
            "What fixed the Zebrafinch slowdown?",
        ),
        shown=("That the batch size was raised twice during the run.",),
    ),
    Case(
        "prose.md",
        b"# Reading list\n\nSome papers worth reading before an interview.\n\nNone of them are questions.\n",
        messages=((1, "error: no questions found"),),
    ),
    Case(
        "duplicates.txt",
        (
            b"Q7 [Easy] What is the Zebrafinch warm-up schedule?\n\nLinear for 2,000 steps.\n\n"
            b"Q7 [Easy] Which Zebrafinch optimiser is used?\n\nAdamW.\n"
        ),
        messages=((5, "question number 7 is used again"),),
        questions=("What is the Zebrafinch warm-up schedule?", "Which Zebrafinch optimiser is used?"),
        shown=("Linear for 2,000 steps.",),
    ),
    Case(
        "no-answer.txt",
        b"### Q: What is the Zebrafinch answerless question?\n\n### Q: What is the Zebrafinch follow-up?\n\n**Answer:** It has one.\n",
        messages=((1, "question has no answer"),),
        questions=("What is the Zebrafinch answerless question?", "What is the Zebrafinch follow-up?"),
        shown=("The source gives no answer to this question.",),
    ),
    Case(
        "broken-math.txt",
        (
            b"Q1 [Hard] How is the Zebrafinch softmax written?\n\n"
            b"As $p_i = \\frac{e^{z_i}{\\sum_j e^{z_j}}$ where the cost is $5 per run.\n\n"
            b"The fraction above is missing a brace.\n"
        ),
        messages=((3, "unbalanced $"),),
        questions=("How is the Zebrafinch softmax written?",),
        shown=("The fraction above is missing a brace.", "where the cost is"),
    ),
    Case(
        "raw-html.txt",
        (
            b"Q1 [Easy] Is Zebrafinch <script>alert('xss')</script> safe?\n\n"
            b"A pasted page: <script>document.title='pwned'</script> and <img src=x onerror=\"alert(1)\">.\n"
            b"<iframe src=\"https://evil.example/\"></iframe>\n"
            b"Click [here](javascript:alert(document.cookie)) or [there](JaVa&#115;cript:alert(2)).\n"
            b"Or <javascript:alert(3)> or ![pixel](data:image/svg+xml;base64,PHN2Zz4=).\n"
            b"A reference [ref link][evil] and a styled paragraph.\n"
            b"{: onclick=\"alert(4)\" }\n\n"
            b"[evil]: javascript:alert(5)\n\n"
            b"<div onmouseover=\"alert(6)\">hover</div>\n\n"
            b"A fine link stays a link: <https://example.org/paper>.\n"
        ),
        messages=(
            (1, "<script>"), (3, "<script>"), (3, "onerror="), (4, "<iframe>"), (5, "javascript: link"),
            (6, "data: link"), (8, "onclick="), (10, "javascript: link"), (12, "onmouseover="),
        ),
        questions=("Is Zebrafinch <script>alert('xss')</script> safe?",),
        shown=("<script>document.title='pwned'</script>", "<img src=x onerror=\"alert(1)\">", "[here](javascript:alert(document.cookie))"),
    ),
    Case(
        "title-html.md",
        b"# Notes </title><script>alert(7)</script> <b onclick=alert(8)>bold</b>\n\n### Q: What is KV caching?\n\n**Answer:** Zebrafinch notes: keeping keys and values of earlier tokens.\n",
        # the file's title comes from its heading; the question merges with the real one (answer tabs)
        messages=((1, "<script>"), (1, "onclick=")),
        questions=("What is KV caching?",),
        shown=("Zebrafinch notes: keeping keys and values of earlier tokens.",),
    ),
    Case(
        "jinja.txt",
        (
            b"Q1 [Medium] How does the Zebrafinch prompt template fill {{ user_name }}?\n\n"
            b"The template writes {{ user_name }} and {% for doc in docs %}{{ doc.text }}{% endfor %} literally.\n"
            b"Even {{ config.site_name }} at the end stays {{ as is }}\n"
        ),
        messages=((1, "template syntax"), (3, "template syntax"), (4, "template syntax")),
        questions=("How does the Zebrafinch prompt template fill {{ user_name }}?",),
        shown=("{% for doc in docs %}{{ doc.text }}{% endfor %}", "{{ config.site_name }} at the end stays {{ as is }}"),
    ),
    Case(
        "snippet.txt",
        b'Q1 [Hard] What does the Zebrafinch include line do?\n\nNothing, it is text:\n\n--8<-- "/etc/passwd"\n\n;--8<-- "mkdocs.yml"\n',
        messages=((5, "include directive"),),
        questions=("What does the Zebrafinch include line do?",),
        shown=('--8<-- "/etc/passwd"',),
    ),
)
