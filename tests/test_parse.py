"""The parse stage on small inline documents: one test per convention and per structural rule."""

from __future__ import annotations

import random
import re
import textwrap

import pytest

from builder.model import Level, SourceDoc
from builder.parse import CONVENTIONS, parse_source
from builder.parse.document import question_starts
from builder.parse.rules import load_rules
from builder.parse.lines import split_lines


def doc(text: str, name: str = "t.txt"):
    return SourceDoc(name, "t", "T", "", textwrap.dedent(text).lstrip("\n"), "utf-8")


def parse(text: str):
    return parse_source(doc(text))


def test_bold_q_with_nested_answer_bullets():
    r = parse(
        """
        # Title

        1. **Q: What is GQA?**
           - **A:** It shares keys and values across query heads.

        2. **Q: Difference between encoders and decoders?**
           - **A:**
             - **Encoder-only** (BERT): understanding.
             - **Decoder-only** (GPT): generation.
        """
    )
    assert [(i.number, i.question, i.convention) for i in r.items] == [
        ("1", "What is GQA?", "bold-q"),
        ("2", "Difference between encoders and decoders?", "bold-q"),
    ]
    assert r.items[0].answer == "It shares keys and values across query heads."
    assert r.items[1].answer == "- **Encoder-only** (BERT): understanding.\n- **Decoder-only** (GPT): generation."
    assert r.items[0].line == 3


def test_chat_answer_on_its_own_line_and_inline():
    r = parse(
        """
        1. Q: What is a Transformer?

        A:

        An architecture built on attention.

        2. Q: What is self-attention? A: Every token looks at every other token.

        - **Why:** long-range context.
        """
    )
    assert [i.question for i in r.items] == ["What is a Transformer?", "What is self-attention?"]
    assert r.items[0].answer == "An architecture built on attention."
    assert r.items[1].answer.startswith("Every token looks at every other token.\n\n- **Why:**")


def test_tagged_level_questions_take_their_level():
    r = parse(
        """
        Section 1: Basics

        Q1 [Easy] What is a token?

        A subword unit.


        Q2 [Hard] Why scale by sqrt(d_k)?

        To keep the softmax in range.
        """
    )
    assert [(i.number, i.level) for i in r.items] == [("1", Level.BEGINNER), ("2", Level.ADVANCED)]
    assert r.items[1].answer == "To keep the softmax in range."


def test_unknown_level_word_is_a_warning_and_no_level():
    r = parse("Q1 [Tricky] What is a token?\n\nA subword unit.\n")
    assert r.items[0].level is None
    assert any("unknown level 'Tricky'" in p.message and p.severity == "warning" for p in r.problems)


def test_numbered_heading_and_plain_forms_with_section_levels():
    r = parse(
        """
        # 200 Questions

        ## Basic Level (1-50)

        ### 1. What is an LLM?
        **Answer:** A large language model.

        ## Intermediate Level (51-120)

        61. What is teacher forcing?
        Answer: Feeding the ground truth.

        1. a numbered list line that is not a question
        2. because no Answer: line follows it

        ### 62. What is exposure bias?
        **Answer:** Train/test mismatch.
        """
    )
    assert [(i.number, i.level) for i in r.items] == [
        ("1", Level.BEGINNER),
        ("61", Level.INTERMEDIATE),
        ("62", Level.INTERMEDIATE),
    ]
    assert "numbered list line" in r.items[1].answer
    assert r.items[0].section == "Basic Level (1-50)"


def test_heading_q_keeps_sub_headings_and_code_comments_inside_the_answer():
    r = parse(
        """
        # SECTION 1: CORE

        ## 1.1 Tokenization

        ### Q: What is tokenization?

        **Answer:**

        Splitting text.

        ### Byte Pair Encoding (BPE)

        ```python
        # Training
        Q: not a question either
        ### not a heading
        ```

        ### Q7: What is the KV cache?

        **Answer:** Cached keys and values.

        ## 1.2 Next
        """
    )
    assert [(i.number, i.question) for i in r.items] == [("", "What is tokenization?"), ("7", "What is the KV cache?")]
    answer = r.items[0].answer
    assert "### Byte Pair Encoding (BPE)" in answer and "# Training" in answer and "Q: not a question" in answer
    assert r.items[0].section == "1.1 Tokenization"


def test_chat_turns_and_sign_offs_are_excluded_not_answers():
    r = parse(
        """
        You asked:

        Expanded Q&A (1–2)

        1. Q: What is A?

        A:

        A is a letter.

        ✅ That's 1–2 fully expanded.

        Would you like me to continue?

        You said:

        go go

        ChatGPT said:

        Great, here is the next set.

        2. Q: What is B?

        A:

        B follows A.
        """
    )
    assert [i.answer for i in r.items] == ["A is a letter.", "B follows A."]
    reasons = {e.reason for e in r.excluded}
    assert any(r.startswith("chat turn") for r in reasons) and any(r.startswith("chat sign-off") for r in reasons)
    excluded_text = " ".join(e.text for e in r.excluded)
    assert "go go" in excluded_text and "Would you like me" in excluded_text


def test_a_question_set_rendered_twice_keeps_the_richer_rendition():
    r = parse(
        """
        1. Q: What is A?

        A:

        Short.

        2. Q: What is B?

        A:

        B is the second letter of the Latin alphabet, after A.

        1. Q: What is A? A: A is the first letter of the alphabet and a vowel.

        2. Q: What is B? A: B.
        """
    )
    assert [(i.number, i.rendition) for i in r.items] == [("1", 2), ("2", 1)]
    assert r.items[0].answer == "A is the first letter of the alphabet and a vowel."
    assert r.items[0].other_renditions == (1,)
    assert sum(e.reason.startswith("another rendition") for e in r.excluded) == 2


def test_same_number_with_another_question_is_kept_and_warned():
    r = parse("1. Q: What is A? A: a.\n\n1. Q: What is Z? A: z.\n")
    assert [i.question for i in r.items] == ["What is A?", "What is Z?"]
    assert any("question number 1 is used again (first at line 1)" in p.message for p in r.problems)


def test_question_without_answer_is_kept_with_a_warning():
    r = parse("1. Q: What is A?\n\n2. Q: What is B? A: b.\n")
    assert r.items[0].answer == ""
    assert any(p.line == 1 and "has no answer" in p.message for p in r.problems)


def test_toc_title_noise_and_reference_sections():
    r = parse(
        """
        Skip to content

        # Handbook

        An introduction.

        ## Table of Contents
        1. [Basics](#basics)

        ## Basics

        ### 1. What is A?
        **Answer:** A.

        ## Quick Reference

        ### Formulas

        | a | b |
        |---|---|
        | 1 | 2 |
        """
    )
    assert [i.question for i in r.items] == ["What is A?"]
    assert r.preamble == "An introduction."
    assert [(s.title, s.depth) for s in r.supplements] == [("Quick Reference", 2), ("Formulas", 3)]
    reasons = {e.reason for e in r.excluded}
    assert {"web page navigation", "document title (the source page shows its title)"} <= reasons
    assert any(reason.startswith("table of contents") for reason in reasons)


def test_mixed_conventions_in_one_document_need_no_code_change():
    r = parse(
        """
        ### Q: What is A?

        **Answer:** A.

        Q2 [Medium] What is B?

        B.

        3. Q: What is C?

        A: C.
        """
    )
    assert [(i.question, i.convention) for i in r.items] == [
        ("What is A?", "heading-q"),
        ("What is B?", "tagged-level"),
        ("What is C?", "chat-qa"),
    ]


def test_empty_and_question_free_documents_are_errors_with_a_line():
    empty = parse("")
    assert empty.items == () and empty.problems[0].severity == "error" and empty.problems[0].line == 1
    prose = parse("Just some prose.\n\nNo questions here.\n")
    assert prose.items == () and "no questions found" in prose.problems[0].message
    assert prose.excluded and prose.excluded[0].text.startswith("Just some prose")


def detect(lines, conventions):
    """The conventions that recognise at least one question outside code in ``lines``."""
    return tuple(c for c in conventions if any(not line.code and c.match(lines, i) for i, line in enumerate(lines)))


def test_detection_is_by_content_not_name():
    lines = split_lines("Q1 [Easy] What?\n\nThat.\n")
    assert [c.name for c in detect(lines, CONVENTIONS)] == ["tagged-level"]


def test_question_starts_give_each_line_the_first_detected_convention_that_sees_it():
    text = "Q1 [Easy] What?\n\nThat.\n\n```\nQ2 [Hard] In code?\n```\n3. Q: Chat?\nA: yes\n"
    lines = split_lines(text)
    starts = question_starts(lines, CONVENTIONS)
    active = detect(lines, CONVENTIONS)
    assert [s[1] if s else None for s in starts] == [
        "tagged-level", None, None, None, None, None, None, "chat-qa", None, None
    ]
    for i, line in enumerate(lines):
        first = next(((c.match(lines, i), c.name) for c in active if not line.code and c.match(lines, i)), None)
        assert starts[i] == first
    assert {s[1] for s in starts if s} == {c.name for c in active}


def test_lexer_marks_fenced_lines_as_code():
    lines = split_lines("text\n```\n# comment\n```\n# heading\n")
    assert [l.code for l in lines] == [False, True, True, True, False, False]
    assert lines[4].heading() == (1, "heading") and lines[2].heading() is None



# Pieces of lines in the order the conventions read them: leading space, a number or marker, its
# punctuation, a label, the question; each piece also drawn from look-alikes (Unicode digits and spaces).
_PIECES = [
    ["", "", " ", "  ", "\t", "\u00a0", "\u2003", "\x1c", "x"],
    ["", "1", "12", "\u0663", "Q", "Q7", "q3", "#", "##", "###", "#######", "- ", "**", "```", "### Q", "## Q3", "4. **Q"],
    ["", ". ", ") ", ".", " ", "[Easy] ", "(Hard): ", " [x] ", ": "],
    ["", "Q: ", "**Q: ", "Q : ", "**", "A: ", "Answer: "],
    ["", "What is GQA?", "Why?** ", "What? A: It is.", "x", "Hard]"],
    ["", "**", " ##", "  "],
]
_NEXT = ["", "", "Answer: yes", "**Answer:** yes", "A: yes", "- **A:** yes", "text"]


def _question_like_text(rnd) -> str:
    lines = []
    for _ in range(rnd.randint(1, 12)):
        lines.append("".join(rnd.choice(piece) for piece in _PIECES))
        lines.append(rnd.choice(_NEXT))
    return "\n".join(lines)


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_a_convention_matches_only_lines_its_first_character_test_lets_through(seed):
    rnd = random.Random(seed)
    matched = dict.fromkeys((c.name for c in CONVENTIONS), 0)
    for _ in range(1500):
        lines = split_lines(_question_like_text(rnd))
        plain = [
            None if line.code else next(((s, c.name) for c in CONVENTIONS for s in [c.match(lines, i)] if s is not None), None)
            for i, line in enumerate(lines)
        ]
        assert question_starts(lines, CONVENTIONS) == plain
        for i, line in enumerate(lines):
            for c in CONVENTIONS:
                if c.match(lines, i) is not None:
                    matched[c.name] += 1
                    assert c.opens(line.text.lstrip()[:1]), (c.name, line.text)
    assert min(matched.values()) > 20, matched  # every convention is reached


def test_copy_fragments_are_formula_debris_lines_not_formulas_or_markup():
    from builder.parse.renditions import copy_fragments

    debris = "Scaling factor $1/d_k$\n\n$$1/dk$$\n\nstabilizes gradients when d_{kd_k}\n\nd_k\n\nis large."
    assert copy_fragments(debris) == 2  # "$$1/dk$$" and "d_k": no word once the formula is out
    clean = "- **Scaling factor** $1/\\sqrt{d_k}$ stabilizes gradients when d_k is large.\n-\n\n```\nx = 1\n```"
    assert copy_fragments(clean) == 0


def test_the_chat_export_keeps_the_clean_rendition_of_a_formula_answer():
    """The chat export renders its questions twice: first as copied from the chat (maths split over
    lines: "d_{kd_k}", "$F_i F_i$"), then as Markdown. The clean copy is kept."""
    from builder.read import read_sources
    from conftest import SOURCES

    doc = next(d for d in read_sources(SOURCES)[0] if d.name == "expanded-qa-chat-export.txt")
    items = {i.number: i for i in parse_source(doc).items}
    scaled = items["150"].answer
    assert "$1/\\sqrt{d_k}$ stabilizes gradients when d_k is large" in scaled and "d_{kd_k}" not in scaled
    ewc = items["171"].answer
    assert "where F_i = Fisher Information" in ewc and "F_i F_i" not in ewc
    assert items["150"].other_renditions and items["150"].line > items["150"].other_renditions[0]


def test_a_sign_off_that_counts_the_next_batch_is_not_part_of_the_answer():
    rules = load_rules()
    assert rules.is_sign_off("✅ That's the next 20 expanded Qs (21–40).")  # the real line, chat export line 725
    assert rules.is_sign_off("✅ That's 41–60 expanded.") and not rules.is_sign_off("That's the next token, expanded.")
