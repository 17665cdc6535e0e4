"""The time reproducible builds stamp instead of the clock's: ``SOURCE_DATE_EPOCH``."""

from __future__ import annotations

import os


def source_date_epoch() -> int | None:
    """``SOURCE_DATE_EPOCH`` in seconds (the reproducible-builds convention), None when unset."""
    value = os.environ.get("SOURCE_DATE_EPOCH", "").strip()
    return int(value) if value.isdigit() else None
