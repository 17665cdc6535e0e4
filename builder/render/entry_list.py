"""The list of every entry and topic the browser needs: ``docs/assets/entries.json``.

The site's study script (``builder/assets/study.js``) picks a random entry from it, optionally of
one topic or of the levels the reader filters by, and opens its page at its anchor; and it sends a
link whose anchor is not on its page (the entry moved to another topic) to the entry's page. The
progress and review scripts (``progress.js``, ``review.js``) count known and due questions per topic
with it, and map progress stored under an entry's old id (``anchors``: the ids of the entries merged
into it, the anchors of its other wordings) to its id. The list is written at build time so the site
needs no server and no network: one small static file, fetched only when a page needs it.
"""

from __future__ import annotations

import json
import logging

from builder.model import Page
from builder.render.markdown import levels_attr
from builder.render.site import SiteIndex, levels_of

log = logging.getLogger(__name__)

ENTRY_LIST_PATH = "assets/entries.json"


def topic_url(topic_slug: str) -> str:
    """The topic page's URL relative to the site root (MkDocs ``use_directory_urls: true``)."""
    return f"topics/{topic_slug}/"


def render_entry_list(index: SiteIndex) -> Page:
    """One record per entry, in reading order: id (the anchor), topic, page URL, levels, and the
    old per-wording anchors (so a link to an anchor on a page the entry is no longer on still
    finds it)."""
    records = [
        {
            "id": entry.id,
            "topic": section.topic.slug,
            "url": topic_url(section.topic.slug),
            "levels": levels_attr(levels_of(index, entry)[0]).split(),
            "anchors": list(entry.anchors),
        }
        for section in index.sections
        for entry in section.entries
    ]
    topics = [
        {"slug": s.topic.slug, "title": s.topic.title, "url": topic_url(s.topic.slug), "count": len(s.entries)}
        for s in index.sections
    ]
    text = json.dumps({"topics": topics, "entries": records}, ensure_ascii=False, separators=(",", ":"))
    log.debug("entry list: %d entries", len(records))
    # Not Markdown, but a Page is what the write stage writes byte for byte; a page without front
    # matter is written exactly as given.
    return Page(ENTRY_LIST_PATH, text + "\n")
