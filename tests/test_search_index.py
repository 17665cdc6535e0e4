"""The index writer (builder/search/index.py, Node and MiniSearch) and the worker, on documents written
here; then the index of the real build and what the built site loads."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from builder.model import Problem
from builder.search import INDEX_PATH, WORKER_PATH, SearchDocument, SearchRules, read_rules
from builder.search.index import index_json, search_files, worker_js
from search_js import run_js

RULES = SearchRules(
    fields={"title": 6, "alt": 3, "keys": 1.5, "where": 1},
    glossary_weight=0.5,
    stop_words=("a", "the", "how", "is", "what", "does", "of"),
    question_words=("explain",),
)
TOPICS = {"attention": "Attention Mechanisms", "decoding": "Decoding & Sampling", "glossary": "Glossary"}


def _doc(url: str, title: str, alt: str = "", keys: str = "", levels: tuple[str, ...] = ("beginner",), weight: float = 1.0) -> SearchDocument:
    topic = url.split("/")[1] if url.startswith("topics/") else "glossary"
    return SearchDocument(url=url, topic=topic, levels=levels, title=title, alt=alt, keys=keys,
                          where=f"{TOPICS[topic]} {' '.join(levels)}", text="", weight=weight)


DOCS = [
    _doc("topics/attention/#what-is-gqa", "What is GQA?", alt="Grouped-query attention", keys="Shares key and value heads across groups."),
    _doc("topics/attention/#what-is-self-attention", "What is self-attention?", keys="Every token attends to every other token.", levels=("intermediate",)),
    _doc("topics/decoding/#what-is-temperature", "What is temperature in sampling?", keys="Divides the logits before the softmax."),
    _doc("topics/decoding/#top-k-vs-top-p", "What is the difference between top-k and top-p?", keys="Top-k keeps k tokens; top-p a mass."),
    _doc("topics/decoding/#what-is-top-p", "What is top-p sampling?", alt="nucleus sampling", keys="Keeps the smallest set of tokens."),
    _doc("glossary/#temperature", "Temperature", keys="A number that divides the logits.", levels=(), weight=0.5),
]


def search(index_text: str, *queries: str) -> list[list[str]]:
    """The urls of the results of each query, best first, through the query step and engine.js."""
    return run_js("""
        const data = JSON.parse(input.index);
        const index = MiniSearch.loadJS(data.index, E.options(data.rules));
        const reader = Q.reader(data.rules);
        return input.queries.map((q) => E.search(index, reader.analyze(q), data.rules, Object.keys(data.topics)).map((r) => r.id));
    """, {"index": index_text, "queries": queries})


@pytest.fixture(scope="module")
def index_text() -> str:
    """The index of the sample documents, written once for the tests that only read it."""
    return index_json(DOCS, RULES, TOPICS)


def test_the_same_documents_give_the_same_bytes():
    first = index_json(DOCS, RULES, TOPICS)
    assert first == index_json(DOCS, RULES, TOPICS)
    data = json.loads(first)
    assert set(data) == {"rules", "topics", "index"} and data["topics"] == TOPICS
    assert data["rules"] == RULES.as_json() and data["index"]["documentCount"] == len(DOCS)


def test_stop_words_are_left_out_of_the_index(index_text):
    terms = {term for term, _ in json.loads(index_text)["index"]["index"]}
    assert {"gqa", "grouped", "query", "attention", "temperature", "nucleus"} <= terms
    assert not terms & {"what", "is", "the", "of"}


def test_a_question_is_found_by_its_words_other_names_key_points_and_a_typo(index_text):
    text = index_text
    gqa, nucleus, keys, typo, typing = search(text, "grouped query attention", "nucleus sampling", "logits softmax", "temprature", "what is g")
    assert gqa[0] == "topics/attention/#what-is-gqa"
    assert nucleus[0] == "topics/decoding/#what-is-top-p"
    assert keys[0] == "topics/decoding/#what-is-temperature"
    assert typo[0] == "topics/decoding/#what-is-temperature"
    assert typing == []  # one letter typed after the stop words: nothing to complete yet


def test_a_question_ranks_before_the_glossary_term_of_the_same_words(index_text):
    (results,) = search(index_text, "temperature")
    assert results.index("topics/decoding/#what-is-temperature") < results.index("glossary/#temperature")


def test_a_comparison_question_comes_first_for_x_vs_y():
    docs = [
        _doc("topics/attention/#what-is-an-encoder", "What is an encoder?", alt="encoder stack · encoder block",
             keys="An encoder reads the whole input; the encoder is bidirectional."),
        _doc("topics/attention/#what-is-a-decoder", "What is a decoder?", keys="Generates one token at a time."),
        _doc("topics/attention/#encoders-vs-decoders", "How do encoders differ from decoders?", keys="Bidirectional or causal."),
    ]
    query = "encoder vs decoder "  # typed whole: "decoders" is then matched with a typo, not as a prefix
    (plain,) = search(index_json(docs, RULES, TOPICS), query)
    assert plain[0] == "topics/attention/#what-is-an-encoder"  # without the comparison rules
    rules = SearchRules(fields=RULES.fields, stop_words=RULES.stop_words, comparison=read_rules()[0].comparison)
    (compared,) = search(index_json(docs, rules, TOPICS), query)
    assert compared[0] == "topics/attention/#encoders-vs-decoders"


def test_results_narrow_to_a_level_or_a_topic(index_text):
    text = index_text
    by_level, by_topic, by_prefix = search(text, "attention level:intermediate", "top topic:decoding", "attention topic:att")
    assert by_level == ["topics/attention/#what-is-self-attention"]
    assert by_topic and all(url.startswith("topics/decoding/") for url in by_topic)
    assert set(by_prefix) == {"topics/attention/#what-is-gqa", "topics/attention/#what-is-self-attention"}


def test_the_worker_is_one_script_told_the_index_and_its_version():
    worker = worker_js('{"index": 1}\n')
    assert worker.startswith('self.HANDBOOK_SEARCH_INDEX = "index.json?v=')
    assert "MiniSearch" in worker and "HandbookQuery" in worker and "HandbookEngine" in worker
    assert "sourceMappingURL" not in worker  # the map is not shipped
    assert worker != worker_js('{"index": 2}\n')  # a new index, a new URL: no cached index is read by a newer worker


def test_the_worker_answers_materials_search_protocol(index_text):
    """worker.js in a Node sandbox standing in for the browser: SETUP is answered READY once the index
    is loaded, each QUERY one RESULT, in order: one item per question, its topic and level as tags."""
    index = index_text
    sent = run_js("""
        const vm = require("vm");
        const sent = [], listeners = [];
        const sandbox = {
          URL, console, setTimeout,
          location: { href: "http://site/assets/search/worker.js" },
          fetch: async (url) => ({ ok: true, url: String(url), json: async () => (sandbox.fetched = String(url), JSON.parse(input.index)) }),
          addEventListener: (type, listener) => listeners.push(listener),
          postMessage: (message) => sent.push(message),
        };
        sandbox.self = sandbox;
        vm.createContext(sandbox);
        vm.runInContext(input.worker, sandbox);
        for (const data of input.messages) listeners.forEach((listener) => listener({ data }));
        return new Promise((resolve) => setTimeout(() => resolve({ sent, fetched: sandbox.fetched }), 300));
    """, {"index": index, "worker": worker_js(index), "messages": [
        {"type": 0, "data": {"config": {}, "docs": []}}, {"type": 2, "data": "gqa hea"}, {"type": 2, "data": "how does the"}]})
    assert re.fullmatch(r"http://site/assets/search/index\.json\?v=[0-9a-f]{12}", sent["fetched"])
    ready, first, stop_words_only = sent["sent"]
    assert ready == {"type": 1}
    assert first["type"] == 3 and stop_words_only == {"type": 3, "data": {"items": []}}
    top = first["data"]["items"][0]
    assert len(top) == 1  # a group of one: the question is the result item, not a page listing it
    assert top[0]["location"] == "topics/attention/#what-is-gqa"
    assert top[0]["title"] == "What is <mark>GQA</mark>?"  # the words the query matched, marked
    assert top[0]["tags"] == ["Attention Mechanisms", "Beginner"] and top[0]["text"] == ""
    assert first["data"]["suggest"] == ["heads"]  # the word being typed, completed


def test_without_node_the_build_reports_an_error_and_goes_on():
    files, problems = search_files(DOCS, RULES, TOPICS, node="/nonexistent/node")
    assert files == {}
    assert len(problems) == 1 and isinstance(problems[0], Problem) and problems[0].severity == "error"
    assert "no search" in problems[0].message


# --- the real build ------------------------------------------------------------------------------


def test_every_question_and_glossary_term_is_one_document_at_its_anchor(built, build_dir: Path):
    data = json.loads((build_dir / "docs" / INDEX_PATH).read_text(encoding="utf-8"))
    ids = set(data["index"]["documentIds"].values())
    questions = {f"topics/{s.topic.slug}/#{e.id}" for s in built.sections for e in s.entries}
    assert questions <= ids
    glossary = ids - questions
    assert glossary and all(re.fullmatch(r"glossary/#[a-z0-9-]+", url) for url in glossary)
    assert data["index"]["documentCount"] == len(ids)
    headings = "\n".join((build_dir / "docs" / f"topics/{s.topic.slug}.md").read_text(encoding="utf-8") for s in built.sections)
    assert all(f"{{ #{url.split('#')[1]} }}" in headings for url in questions)


def test_key_points_reach_the_index(built, build_dir: Path):
    data = json.loads((build_dir / "docs" / INDEX_PATH).read_text(encoding="utf-8"))
    keys_field = data["index"]["fieldIds"]["keys"]
    with_keys = sum(1 for lengths in data["index"]["fieldLength"].values() if lengths[keys_field])
    assert with_keys >= sum(1 for notes in built.editorial.values() if notes.key_points)


def test_the_index_and_the_worker_are_written_as_built(index_text):
    files, problems = search_files(DOCS, RULES, TOPICS)
    assert problems == [] and set(files) == {INDEX_PATH, WORKER_PATH}
    assert files[INDEX_PATH].decode("utf-8") == index_text
    assert files[WORKER_PATH].decode("utf-8") == worker_js(index_text)


def test_every_page_is_kept_out_of_materials_index_and_carries_no_search_markup(built, build_dir: Path):
    docs = build_dir / "docs"
    for page in built.pages:
        if page.path.endswith(".md"):
            assert page.front_matter.get("search") == {"exclude": True}, page.path
            text = (docs / page.path).read_text(encoding="utf-8")
            assert "data-search-exclude" not in text and "hb-search-terms" not in text, page.path
    assert (docs / WORKER_PATH).is_file()


def test_the_site_loads_the_builders_worker_and_material_indexes_nothing(site: Path):
    stub = json.loads((site / "search" / "search_index.json").read_text(encoding="utf-8"))
    assert stub["docs"] == []  # Material's plugin is on (the header shows the box) but parsed no page
    assert (site / INDEX_PATH).read_bytes() and (site / WORKER_PATH).read_bytes()
    for page, prefix in (("index.html", ""), ("topics/attention/index.html", "../../"), ("glossary/index.html", "../")):
        html = (site / page).read_text(encoding="utf-8")
        assert f'config.search = "{prefix}assets/search/worker.js";' in html, page
        assert 'class="md-search"' in html  # Material's own search box
