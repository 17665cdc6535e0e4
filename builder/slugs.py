"""Stable, URL-safe identifiers derived from text (never from position), shared by every stage."""

from __future__ import annotations

import hashlib
import re
import unicodedata

_NON_WORD = re.compile(r"[^a-z0-9]+")


def slugify(text: str, max_len: int = 72) -> str:
    """``"What is Grouped Query Attention (GQA)?"`` → ``"what-is-grouped-query-attention-gqa"``.

    Long slugs are cut at a word boundary so anchors stay readable.
    """
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")
    slug = _NON_WORD.sub("-", ascii_text.lower()).strip("-")
    if len(slug) > max_len:
        cut = slug.rfind("-", 0, max_len + 1)
        slug = slug[: cut if cut > max_len // 2 else max_len].strip("-")
    return slug or "untitled"


def short_hash(*parts: str, length: int = 6) -> str:
    """A short digest of ``parts``: the tie-breaker when two texts give the same slug."""
    digest = hashlib.sha1("\x1f".join(parts).encode("utf-8")).hexdigest()
    return digest[:length]
