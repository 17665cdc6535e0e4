"""Where pages live: their paths under docs/, their URLs and files in the built site, links between them."""

from __future__ import annotations

from builder.model import Topic
from builder.paths import BOOK_PATH, DOWNLOADS_PATH, HOME_PATH, relative, site_file, site_url, topic_of_url, topic_page, topic_path


def test_a_page_is_served_as_a_folder_of_its_name():
    assert site_url(topic_path(Topic("rag", "RAG", 1, ""))) == "topics/rag/"
    assert site_file(topic_page("rag")) == "topics/rag/index.html"
    assert (site_url(HOME_PATH), site_file(HOME_PATH)) == ("", "index.html")
    assert (site_url(DOWNLOADS_PATH), site_url(BOOK_PATH)) == ("pdf/", "print/handbook/")


def test_topic_of_url_knows_a_topic_page_by_its_url_or_file_and_nothing_else():
    assert [topic_of_url(u) for u in ("topics/rag/", "topics/rag", "topics/rag/index.html", "topics/a/../rag/")] == ["rag"] * 4
    assert [topic_of_url(u) for u in ("topics/", "topics/rag/x/", "../topics/rag/", "sources/rag/", "topics/rag/#x", "")] == [None] * 6


def test_relative_links_between_built_files():
    assert relative("topics/a/index.html", "pdf/a.pdf") == "../../pdf/a.pdf"
    assert relative("index.html", "pdf/handbook.pdf") == "pdf/handbook.pdf"

