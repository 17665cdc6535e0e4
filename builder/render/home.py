"""The home page: what the handbook is, how to use it, topic cards with counts (and, from the browser,
the reader's progress and due reviews per topic), and the sources."""

from __future__ import annotations

from builder.model import Page
from builder.render.markdown import inline
from builder.paths import BOOK_DECK, DOWNLOADS_PATH, REVIEW_PATH, topic_deck
from builder.render.deck_links import deck_link
from builder.render.pdf_links import BOOK_PDF, pdf_link
from builder.render.site import SiteIndex, relative, source_path, topic_path


def render_home(index: SiteIndex) -> Page:
    page = "index.md"
    entries = index.entries
    items = sum(len(e.items) for e in entries)
    out = [
        "# The LLM Interview Handbook",
        "",
        f"{len(entries)} questions about large language models, each with every answer our "
        f"{len(index.parsed)} sources give ({items} answers in all), sorted into {len(index.sections)} topics. "
        "Built for engineers preparing for interviews and for teams that study together.",
        "",
        "## How to use it",
        "",
        "- **Browse** a topic below: questions run from beginner to advanced, and each shows its level and where its answer came from. "
        "Where no source gives a level, the handbook estimates one and the badge says so (*Intermediate · estimated*).",
        "- **Key points** open every question: what an interviewer expects to hear, in the handbook's own words. "
        "Where a source's answer states something wrong, a **Correction** stands right beside it, with the paper or "
        "documentation behind it; the source's text is left as it was. Both are marked *by the handbook*.",
        "- **Search** with the search box (press ++slash++ or ++s++): type a concept or a whole question; acronyms and their "
        "expansions find each other, and `level:beginner` or `topic:rag` narrows the results.",
        "- **Print** a topic (or the whole handbook) to read offline: every answer is expanded and every source's answer is shown.",
        "- **Practise**: pick the levels you want, switch on practice mode to hide every answer until you reveal it, or open a random question.",
        "- **Track what you know**: under each question, *I know this* counts it on its topic (the level filter can then hide it) "
        f"and *Review again* adds it to the [review]({relative(page, REVIEW_PATH)}), which brings each question back when you are about "
        "to forget it. Your progress stays in this browser: export it on the review page to keep a backup or move it to another device.",
        f"- **Download** {pdf_link(page, BOOK_PDF, 'the whole handbook as one PDF')} (a book with contents and page numbers) or "
        f"{deck_link(page, BOOK_DECK, 'as an Anki deck')}, or any topic's PDF and deck from its card below or on the "
        f"[downloads page]({relative(page, DOWNLOADS_PATH)}).",
        "",
        # Filled by assets/study.js (level filter, practice mode, random question); empty without JavaScript.
        '<div class="hb-tools-slot" data-hb-tools></div>',
        "",
        "## Topics",
        "",
        '<div class="grid cards" markdown>',
        "",
    ]
    for section in index.sections:
        topic = section.topic
        out += [
            f"-   **[{inline(topic.title)}]({relative(page, topic_path(topic))})**",
            "",
            "    ---",
            "",
            f"    {topic.summary}",
            "",
            f"    *{len(section.entries)} questions* · {deck_link(page, topic_deck(topic.slug), 'Anki deck')}",
            "",
            # Filled by assets/progress.js: "N of M known", a bar, and the questions due for review.
            f'    <span class="hb-card-progress" data-hb-topic="{topic.slug}"></span>',
            "",
        ]
    out += ["</div>", "", "## Sources", ""]
    for parsed in index.parsed:
        doc = parsed.source
        out.append(f"- [{inline(doc.title)}]({relative(page, source_path(doc))}): {len(parsed.items)} questions. {inline(doc.description)}")
    out += [
        "",
        f"What each source gave, what was merged and what was left out (chat chatter, tables of contents) is on the [coverage page]({relative(page, 'coverage.md')}).",
    ]
    return Page(page, "\n".join(out).rstrip() + "\n", {"title": "Home", "hide": ["toc"]})
