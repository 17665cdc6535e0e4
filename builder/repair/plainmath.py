"""Plain-text formulas: recognise a line that is a formula written in plain text
(``Attention(Q, K, V) = softmax(QK^T/√d_k)V``) and turn it into TeX (``\\sqrt{d_{k}}``, ``QK^{T}``,
``\\theta``).

No library does this for the notations the sources use (Unicode math mixed with code-like
``sqrt(d_k)``, ``K^T``, ``x_<t``), so it is a small hand-written tokeniser.
"""

from __future__ import annotations

import re

from builder.tex import unicode_to_tex

# Greek letters spelt out in code-like formulas (``^alpha``).
GREEK_NAMES = {
    "alpha", "beta", "gamma", "delta", "epsilon", "eta", "theta", "lambda", "mu", "sigma", "pi", "tau", "phi",
}
# Functions TeX knows as operators, and the names the sources use as functions.
TEX_OPERATORS = {"log", "exp", "sin", "cos", "tan", "min", "max", "arg", "det", "lim", "sup", "inf"}
_FUNCTION_WORDS = {
    "softmax", "attention", "clip", "sim", "sqrt", "concat", "multihead", "layernorm", "relu", "gelu", "kl",
    "score", "bleu", "pe", "rmsnorm", "mean", "var", "swish", "sigmoid", "tanh", "ppl",
}

_WORD = re.compile(r"[A-Za-z]{3,}")
_LHS = re.compile(r"^[A-Za-z∇ΣσπθLP][\w∇θπσ']*(?:\([^()=]*\))?$")
_MATH_MARK = re.compile(r"[()^_√∑Σ∏·×≈θεσπβλαγμη∇/*|\[\]]")
_TOKEN = re.compile(
    r"(?P<root>√)|(?P<word>[A-Za-z][A-Za-z0-9]*)|(?P<num>\d+(?:\.\d+)?)"
    r"|(?P<sub>_)|(?P<sup>\^)|(?P<norm>\|\|)|(?P<other>\S)|(?P<space>\s+)"
)


def _prose_words(text: str) -> list[str]:
    return [w for w in _WORD.findall(text) if w.lower() not in _FUNCTION_WORDS | TEX_OPERATORS | GREEK_NAMES]


def is_formula_line(line: str) -> bool:
    """``LHS = RHS`` where the left side is a name or a call, the right side has math in it, and
    neither has two words of prose in a row (``Where r(θ) = π_θ/π_old.`` is a sentence)."""
    line = line.strip()
    if "=" not in line or len(line) > 140 or line.endswith((".", ":")) or "==" in line or "`" in line:
        return False
    lhs, rhs = (part.strip() for part in line.split("=", 1))
    if not lhs or not rhs or " " in lhs.split("(")[0] or not _LHS.match(lhs.replace(" ", "")) or not _MATH_MARK.search(rhs):
        return False
    # code, not math: snake_case names, keyword arguments, method calls, slices, a call left open
    if re.search(r"[A-Za-z]{3,}_[A-Za-z]{3,}|\([^()]*\w=|\)\.\w|\[:|[(,]$", line):
        return False
    if re.fullmatch(r"[a-z]{3,}", lhs) and lhs not in _FUNCTION_WORDS:  # loss = …, model = …: an assignment
        return False
    if re.search(r"[A-Za-z]{3,}\s+[A-Za-z]{3,}", _strip_known(rhs)) or len(_prose_words(lhs)) > 1:
        return False
    return not re.search(r"[\"'{};]|\bdef\b|\breturn\b|\bimport\b|\w\.\w+\(", line)


def _strip_known(text: str) -> str:
    known = _FUNCTION_WORDS | TEX_OPERATORS | GREEK_NAMES
    return re.sub(r"[A-Za-z]+", lambda m: "" if m.group(0).lower() in known else m.group(0), text)


def _group(tokens: list[tuple[str, str]], i: int, indexed: frozenset[str]) -> tuple[str, int]:
    """The atom starting at ``tokens[i]`` as TeX (a parenthesised group loses its parentheses, as a
    superscript or root argument does), and the index after it."""
    kind, value = tokens[i]
    if value == "(":
        depth, j = 0, i
        while j < len(tokens):
            depth += {"(": 1, ")": -1}.get(tokens[j][1], 0)
            if depth == 0:
                break
            j += 1
        return _convert(tokens[i + 1 : j], indexed), j + 1
    if value == "<" and i + 1 < len(tokens):  # x_<t: the subscript is "<t"
        rest, j = _group(tokens, i + 1, indexed)
        return "<" + rest, j
    if kind == "word" and i + 2 < len(tokens) and tokens[i + 1][0] == "sub":
        inner, j = _group(tokens, i + 2, indexed)
        return f"{_word(value, False)}_{{{inner}}}", j
    return _word(value, False) if kind == "word" else unicode_to_tex(value).strip(), i + 1


def _word(word: str, call: bool) -> str:
    low = word.lower()
    if low in GREEK_NAMES:
        return f"\\{low}"
    if low in TEX_OPERATORS:
        return f"\\{low}"
    if m := re.fullmatch(r"([A-Za-z]{1,2})(\d+)", word):  # x1, W2, xW1: an index written inline
        return f"{m.group(1)}_{{{m.group(2)}}}"
    if len(word) == 1 or (len(word) == 2 and not call):
        return word
    if call or low in _FUNCTION_WORDS:
        return f"\\operatorname{{{word}}}"
    return f"\\text{{{word}}}"


# Letters an index is written with: "xn" beside "x1" is x with index n.
_INDEX_LETTERS = frozenset("ijkmnt")


def _symbolic_index(tokens: list[tuple[str, str]], i: int, indexed: frozenset[str]) -> tuple[str, int] | None:
    """``xn`` (or ``xn-1``) as ``x_{n}`` (``x_{n-1}``) in a formula that writes ``x1``, ``x2`` too:
    the same variable with a symbolic index, which the inline digits show it to be."""
    value = tokens[i][1]
    if len(value) != 2 or value[0] not in indexed or value[1] not in _INDEX_LETTERS:
        return None
    index, j = value[1], i + 1
    if [t[0] for t in tokens[j : j + 2]] == ["other", "num"] and tokens[j][1] in "+-":
        index += tokens[j][1] + tokens[j + 1][1]
        j += 2
    return f"{value[0]}_{{{index}}}", j


def _convert(tokens: list[tuple[str, str]], indexed: frozenset[str] = frozenset()) -> str:
    out: list[str] = []
    i = 0
    while i < len(tokens):
        kind, value = tokens[i]
        nxt = tokens[i + 1][1] if i + 1 < len(tokens) else ""
        if kind == "word" and (symbolic := _symbolic_index(tokens, i, indexed)):
            piece, i = symbolic
            out.append(piece)
        elif kind == "word" and value == "sqrt" and nxt == "(":
            inner, i = _group(tokens, i + 1, indexed)
            out.append(f"\\sqrt{{{inner}}}")
        elif kind == "root" and i + 1 < len(tokens):
            inner, i = _group(tokens, i + 1, indexed)
            out.append(f"\\sqrt{{{inner}}}")
        elif kind in ("sub", "sup") and i + 1 < len(tokens):
            inner, i = _group(tokens, i + 1, indexed)
            out.append(("_" if kind == "sub" else "^") + f"{{{inner}}}")
        elif kind == "norm":
            out.append("\\parallel ")
            i += 1
        elif kind == "word":
            out.append(_word(value, nxt == "("))
            i += 1
        elif value == "." and [t[1] for t in tokens[i : i + 3]] == [".", ".", "."]:
            out.append("\\ldots ")
            i += 3
        elif value == "*":
            out.append(" \\cdot ")
            i += 1
        else:
            out.append(" " if kind == "space" else unicode_to_tex(value))
            i += 1
    return re.sub(r" {2,}", " ", "".join(out)).strip()


def to_tex(formula: str) -> str:
    """A plain-text formula as TeX: ``softmax(QK^T/√d_k)V`` → ``\\operatorname{softmax}(QK^{T}/\\sqrt{d_{k}})V``."""
    tokens = [(m.lastgroup or "other", m.group(0)) for m in _TOKEN.finditer(formula.strip())]
    # variables the formula indexes with inline digits (x1, x2): their "xn" is indexed too
    indexed = frozenset(m.group(1) for m in re.finditer(r"(?<![A-Za-z])([A-Za-z])\d+\b", formula))
    tex = _convert(tokens, indexed)
    # a space a Greek letter brought along is not needed before a sub/superscript or a closing bracket
    return re.sub(r"(\\[A-Za-z]+) (?=[_^(){}\[\]|,])", r"\1", tex)
