"""The review page: spaced review of the questions a reader marked, in the browser, and the backup of
their progress (export and import).

The page is a frame: ``assets/review.js`` fills the review and the backup controls, scheduling with
FSRS through ts-fsrs (pinned in package.json; ``fsrs_assets`` is the one file of it the site serves,
loaded by review.js on this page only). Without JavaScript the page says what the review is and where
every question and answer is, and shows no controls.
"""

from __future__ import annotations


from builder.model import Page
from builder.node import NODE_MODULES, without_source_map
from builder.paths import DOWNLOADS_PATH, HOME_PATH, REVIEW_PATH, relative
from builder.render.site import SiteIndex

FSRS_DIST = NODE_MODULES / "ts-fsrs"
FSRS_ASSET = "assets/ts-fsrs/ts-fsrs.umd.js"


def fsrs_assets() -> dict[str, bytes]:
    """ts-fsrs's browser build (UMD: it defines ``window.FSRS``, needs no other file) and its licence,
    by path under ``docs/``. Its source map is not served, so its last line, which names it, goes."""
    script = without_source_map((FSRS_DIST / "dist" / "index.umd.js").read_text(encoding="utf-8")).encode("utf-8")
    return {FSRS_ASSET: script, "assets/ts-fsrs/LICENSE": (FSRS_DIST / "LICENSE").read_bytes()}


def render_review(index: SiteIndex) -> Page:
    page = REVIEW_PATH
    out = [
        "# Review",
        "",
        "Spaced review of the questions you are learning: one question at a time, the answer hidden until you ask "
        "for it, then you say how well you knew it (*Again*, *Hard*, *Good* or *Easy*) and the question comes back "
        "when you are about to forget it (scheduled by [FSRS](https://github.com/open-spaced-repetition/ts-fsrs), "
        "the scheduler Anki offers). A question joins the review when you press *Review again* under it on its topic "
        "page, or when you add new ones below; *I know this* takes it out.",
        "",
        '<p class="hb-needs-js">The review runs in your browser and needs JavaScript. Without it, every question and '
        f'answer is on the [topic pages]({relative(page, HOME_PATH, "topics")}), and the '
        f'[Anki decks]({relative(page, DOWNLOADS_PATH, "anki")}) give the same review in Anki.</p>',
        "",
        # Filled by assets/review.js: the chosen topics and levels, the due count, the question.
        '<div class="hb-review-slot" data-hb-review></div>',
        "",
        "## Your progress { #progress }",
        "",
        "What you mark and review is kept in this browser only: no account, no server. A browser may clear a site's "
        "data on its own (Safari does after 7 days without a visit; clearing history does too), so **export your "
        "progress now and then: the file is your backup**. Import it here or in another browser to carry on; "
        "importing merges the file into what this browser has, and for each question the newer state wins.",
        "",
        # Filled by assets/review.js: export and import.
        '<div class="hb-backup-slot" data-hb-backup></div>',
        "",
        f"To review in Anki instead, download a deck on the [downloads page]({relative(page, DOWNLOADS_PATH, 'anki')}).",
    ]
    front_matter = {
        "title": "Review",
        "description": "Spaced review of the handbook's questions in the browser, and the backup of your progress.",
        "hide": ["toc"],
    }
    return Page(page, "\n".join(out) + "\n", front_matter)
