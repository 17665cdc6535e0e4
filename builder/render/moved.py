"""The old address of a topic that went into another (``moved`` in ``topics.yml``): a short page that
says where its questions are now, so bookmarks and links from outside do not end on "404". A link
to one of its old questions (``…/positional-encoding/#what-is-alibi…``) is sent on to the question by
``assets/study.js``, which finds the anchor in ``assets/entries.json``."""

from __future__ import annotations

from collections.abc import Sequence

from builder.model import MovedTopic, Page, Section
from builder.paths import relative, topic_page
from builder.render.markdown import inline


def render_moved(moved: MovedTopic, sections: Sequence[Section]) -> Page | None:
    """The page, or None when the topic it went to has no page in this build (no entry landed there)."""
    section = next((s for s in sections if s.topic.slug == moved.topic), None)
    if section is None:
        return None
    page = topic_page(moved.slug)
    part = next((p for p in section.parts if p.subtopic.slug == moved.subtopic), None)
    target = relative(page, topic_page(moved.topic), part.subtopic.slug if part else "")
    where = f"{inline(section.topic.title)} › {inline(part.subtopic.title)}" if part else inline(section.topic.title)
    count = f"its {len(part.entries)} questions" if part else "its questions"
    markdown = (
        f"# {inline(moved.title)}\n\n"
        f"This topic is now part of another page: {count} are under **[{where}]({target})**.\n"
    )
    return Page(page, markdown, {"title": moved.title, "description": f"{moved.title} moved to {section.topic.title}."})
