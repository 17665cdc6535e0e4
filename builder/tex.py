"""TeX and the Unicode math characters: the table between them, and TeX as readable text.

The repair stage writes Unicode math as TeX (``unicode_to_tex``); wherever a formula cannot be
rendered (TeX the repair cannot balance, a formula KaTeX rejects, the coverage report's quotes of the
sources), ``tex_to_text`` and ``math_as_text`` show it as text a reader can follow instead.
"""

from __future__ import annotations

import re

from builder.markdown_text import find_spans

GREEK = {
    "α": "\\alpha", "β": "\\beta", "γ": "\\gamma", "δ": "\\delta", "ε": "\\epsilon", "ζ": "\\zeta",
    "η": "\\eta", "θ": "\\theta", "λ": "\\lambda", "μ": "\\mu", "ν": "\\nu", "π": "\\pi", "ρ": "\\rho",
    "σ": "\\sigma", "τ": "\\tau", "φ": "\\phi", "ψ": "\\psi", "ω": "\\omega", "Φ": "\\Phi", "Ω": "\\Omega",
    "Δ": "\\Delta", "Σ": "\\sum", "∑": "\\sum", "∏": "\\prod", "Π": "\\prod",
}
SYMBOLS = {
    "·": "\\cdot", "×": "\\times", "≈": "\\approx", "≤": "\\leq", "≥": "\\geq", "≠": "\\neq", "→": "\\rightarrow",
    "∇": "\\nabla", "∝": "\\propto", "∈": "\\in", "∞": "\\infty", "−": "-", "ᵀ": "^{T}", "²": "^{2}", "‖": "\\|",
    **{chr(0x2080 + d): f"_{{{d}}}" for d in range(10)}, "ₕ": "_{h}", "ᵢ": "_{i}", "ₙ": "_{n}", "ₜ": "_{t}",
}

# Each character GREEK or SYMBOLS names (GREEK first) and its TeX, as one str.translate table.
_TO_TEX = str.maketrans({ch: tex + " " if tex[0] == "\\" else tex for ch, tex in {**SYMBOLS, **GREEK}.items()})

# What ``tex_to_text`` writes for each TeX command it knows.
_COMMAND_TEXT = {v.strip("\\"): k for k, v in {**GREEK, **SYMBOLS}.items() if v.startswith("\\") and k not in "ΣΠ"}
_COMMAND_TEXT.update({"dots": "…", "ldots": "…", "cdots": "⋯", "sum": "Σ", "prod": "∏", "sqrt": "√", "quad": " ", "left": "", "right": "", "parallel": "‖"})

_TEXT_COMMANDS = re.compile(r"\\(?:text|mathrm|operatorname|mathbf|textbf|mathit)\{([^{}]*)\}")
_FRAC = re.compile(r"\\frac\{([^{}]*)\}\{([^{}]*)\}")
_SQRT = re.compile(r"\\sqrt\{([^{}]*)\}")
_COMMAND = re.compile(r"\\([A-Za-z]+)")


def unicode_to_tex(text: str) -> str:
    """Greek letters and math symbols as TeX commands (a space after, so ``θ_i`` stays ``\\theta _i``)."""
    return text.translate(_TO_TEX)


def tex_to_text(tex: str) -> str:
    """TeX that cannot be rendered, as text a reader can follow: ``\\frac{a}{b}`` → ``(a)/(b)``,
    ``\\text{x}`` → ``x``, ``\\theta`` → ``θ``; no backslash, brace or ``$`` is left."""
    previous = None
    while previous != tex:
        previous = tex
        tex = _TEXT_COMMANDS.sub(r"\1", tex)
        tex = _FRAC.sub(r"(\1)/(\2)", tex)
        tex = _SQRT.sub(r"√(\1)", tex)
    tex = re.sub(r"\\(?:text|mathrm|operatorname)\{", "", tex)  # a command an excerpt cut off
    tex = _COMMAND.sub(lambda m: _COMMAND_TEXT.get(m.group(1), m.group(1)), tex)
    tex = tex.replace("\\", "").replace("{", "").replace("}", "").replace("$", "")
    return re.sub(r"\s{2,}", " ", tex).strip()


def math_as_text(text: str) -> str:
    """A line of source text with its math made readable (``$\\frac{a}{b}$`` → ``(a)/(b)``), for
    places that quote the source rather than render it, such as the coverage report's excerpts."""
    spans = find_spans(text)
    for span in reversed(spans):
        text = text[: span.start] + tex_to_text(span.tex) + text[span.end :]
    return tex_to_text(text) if _COMMAND.search(text) else text
