"""Checks on the hand-written glossary and search-synonym data.

``builder/data/glossary.yml`` feeds the glossary page and the hover definitions;
``builder/data/synonyms.yml`` feeds the search index.  These tests keep both files
honest: every glossary term must really occur in ``sources/*.txt``, names must be
unambiguous (so the linker never has to choose between two entries), cross-references
must resolve, definitions must be short plain text, and no entry may turn an ordinary
English word into a link.  They also check that the concepts readers search for
(``tests/data/search_queries.tsv``) are known to the glossary or the synonym groups.
"""

from __future__ import annotations

import re
from collections import Counter
from pathlib import Path
from typing import Any

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[1]
GLOSSARY_PATH = ROOT / "builder" / "data" / "glossary.yml"
SYNONYMS_PATH = ROOT / "builder" / "data" / "synonyms.yml"
SOURCES_DIR = ROOT / "sources"
SEARCH_QUERIES_PATH = ROOT / "tests" / "data" / "search_queries.tsv"

MIN_TERMS = 170
MIN_SYNONYM_GROUPS = 60
MAX_DEFINITION_CHARS = 320
MIN_ABBR_CHARS = 2

REQUIRED_FIELDS = frozenset({"term", "slug", "aliases", "definition"})
KNOWN_FIELDS = REQUIRED_FIELDS | {"abbr", "related", "case_sensitive", "not_near"}

SLUG_RE = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*")
# Markdown links, inline code, emphasis markers, LaTeX and HTML have no place in a
# definition: it is shown verbatim in tooltips.
NOT_PLAIN_TEXT_RE = re.compile(r"\]\(|`|\*\*|\$|\\|<[a-zA-Z/]|https?://")

# Everyday English words that must never become a glossary name or alias, because the
# linker would then decorate ordinary prose.  An acronym that spells one of these
# (ZeRO, RAG, CoT, ANN...) is allowed only as an ``abbr`` of an entry marked
# ``case_sensitive: true``, so that only its exact capitalisation is matched.
ORDINARY_WORDS = frozenset(
    """
    a an and are as at be by for from in is it of on or the to with
    act agent agents alibi amp ann answer arena attention bank batch bias block cache
    chain chunk context cot cutoff data decoder em embed encoder expert experts feedback
    filter fusion gate gating head heads index judge kernel key keys layer layers learning
    loss map mask memory meteor model models norm pal pe policy pool prompt prompts query
    rag react reward rm rouge router routing sample sampling scale score search sink state
    step stream streaming tool tools tot train training value values vector window yarn
    zero
    """.split()
)


def normalize_name(name: str) -> str:
    """Compare names case-insensitively, treating hyphens and whitespace alike."""
    return re.sub(r"[\s\-]+", " ", name.casefold()).strip()


def phrase_pattern(phrase: str, *, case_sensitive: bool = False) -> re.Pattern[str]:
    """A regex for ``phrase`` on word boundaries; any run of whitespace matches a space."""
    body = r"\s+".join(re.escape(part) for part in phrase.split())
    return re.compile(rf"(?<!\w){body}(?!\w)", 0 if case_sensitive else re.IGNORECASE)


def _load_yaml(path: Path) -> Any:
    with path.open(encoding="utf-8") as handle:
        return yaml.safe_load(handle)


def _names(entry: dict[str, Any]) -> list[str]:
    """Every string that may identify ``entry`` in text: term, abbr and aliases."""
    names = [entry["term"]]
    if entry.get("abbr"):
        names.append(entry["abbr"])
    names.extend(entry.get("aliases") or [])
    return names


@pytest.fixture(scope="module")
def glossary() -> Any:
    return _load_yaml(GLOSSARY_PATH)


@pytest.fixture(scope="module")
def terms(glossary: Any) -> list[dict[str, Any]]:
    assert isinstance(glossary, dict) and isinstance(glossary.get("terms"), list)
    return glossary["terms"]


@pytest.fixture(scope="module")
def synonyms() -> Any:
    return _load_yaml(SYNONYMS_PATH)


@pytest.fixture(scope="module")
def groups(synonyms: Any) -> list[list[str]]:
    assert isinstance(synonyms, dict) and isinstance(synonyms.get("groups"), list)
    return synonyms["groups"]


@pytest.fixture(scope="module")
def source_text() -> str:
    paths = sorted(SOURCES_DIR.glob("*.txt"))
    assert paths, f"no source documents in {SOURCES_DIR}"
    return "\n".join(path.read_text(encoding="utf-8") for path in paths)


# --------------------------------------------------------------------------- glossary shape


def test_glossary_top_level_is_a_mapping_with_a_terms_list(glossary: Any) -> None:
    assert isinstance(glossary, dict), "glossary.yml must be a mapping"
    assert set(glossary) == {"terms"}, f"unexpected top-level keys: {sorted(glossary)}"
    assert isinstance(glossary["terms"], list)
    assert all(isinstance(entry, dict) for entry in glossary["terms"])


def test_glossary_has_enough_terms(terms: list[dict[str, Any]]) -> None:
    assert len(terms) >= MIN_TERMS, f"only {len(terms)} terms, want at least {MIN_TERMS}"


def test_every_term_has_the_required_fields(terms: list[dict[str, Any]]) -> None:
    missing = {
        entry.get("slug", repr(entry)): sorted(REQUIRED_FIELDS - set(entry))
        for entry in terms
        if not REQUIRED_FIELDS <= set(entry)
    }
    assert not missing, f"terms missing required fields: {missing}"


def test_no_term_has_unknown_fields(terms: list[dict[str, Any]]) -> None:
    unknown = {
        entry.get("slug"): sorted(set(entry) - KNOWN_FIELDS)
        for entry in terms
        if set(entry) - KNOWN_FIELDS
    }
    assert not unknown, f"unknown fields: {unknown}"


def test_term_fields_have_the_right_types(terms: list[dict[str, Any]]) -> None:
    def is_str_list(value: Any) -> bool:
        return isinstance(value, list) and all(isinstance(item, str) and item.strip() for item in value)

    bad = []
    for entry in terms:
        slug = entry.get("slug")
        for field in ("term", "slug", "definition"):
            if not isinstance(entry.get(field), str) or not entry[field].strip():
                bad.append((slug, field))
        if "abbr" in entry and not isinstance(entry["abbr"], str):
            bad.append((slug, "abbr"))
        for field in ("aliases", "related", "not_near"):
            if field in entry and not is_str_list(entry[field]):
                bad.append((slug, field))
        if "case_sensitive" in entry and not isinstance(entry["case_sensitive"], bool):
            bad.append((slug, "case_sensitive"))
    assert not bad, f"fields with the wrong type or empty: {bad}"


def test_names_have_no_stray_whitespace(terms: list[dict[str, Any]]) -> None:
    bad = [name for entry in terms for name in _names(entry) if name != " ".join(name.split())]
    assert not bad, f"names with leading, trailing or doubled whitespace: {bad}"


# --------------------------------------------------------------------------- slugs


def test_slugs_are_lowercase_ascii_with_hyphens(terms: list[dict[str, Any]]) -> None:
    bad = [entry["slug"] for entry in terms if not SLUG_RE.fullmatch(entry["slug"])]
    assert not bad, f"slugs must match {SLUG_RE.pattern}: {bad}"


def test_slugs_are_unique(terms: list[dict[str, Any]]) -> None:
    counts = Counter(entry["slug"] for entry in terms)
    duplicates = sorted(slug for slug, count in counts.items() if count > 1)
    assert not duplicates, f"duplicate slugs: {duplicates}"


# --------------------------------------------------------------------------- definitions


def test_definitions_are_at_most_320_characters(terms: list[dict[str, Any]]) -> None:
    too_long = {e["slug"]: len(e["definition"]) for e in terms if len(e["definition"]) > MAX_DEFINITION_CHARS}
    assert not too_long, f"definitions longer than {MAX_DEFINITION_CHARS} characters: {too_long}"


def test_definitions_are_plain_text(terms: list[dict[str, Any]]) -> None:
    bad = {e["slug"]: m.group(0) for e in terms if (m := NOT_PLAIN_TEXT_RE.search(e["definition"]))}
    assert not bad, f"definitions with Markdown, LaTeX, HTML or URLs: {bad}"


def test_definitions_are_single_paragraphs(terms: list[dict[str, Any]]) -> None:
    bad = [e["slug"] for e in terms if "\n" in e["definition"].strip()]
    assert not bad, f"definitions spanning several lines: {bad}"


# --------------------------------------------------------------------------- names


def test_abbreviations_have_at_least_two_characters(terms: list[dict[str, Any]]) -> None:
    short = [e["abbr"] for e in terms if "abbr" in e and len(e["abbr"].strip()) < MIN_ABBR_CHARS]
    assert not short, f"abbreviations shorter than {MIN_ABBR_CHARS} characters: {short}"


def test_no_two_terms_share_a_name_abbr_or_alias(terms: list[dict[str, Any]]) -> None:
    owner: dict[str, str] = {}
    clashes = []
    for entry in terms:
        for key in {normalize_name(name) for name in _names(entry)}:
            if key in owner:
                clashes.append((key, owner[key], entry["slug"]))
            else:
                owner[key] = entry["slug"]
    assert not clashes, f"names claimed by two terms (name, first, second): {clashes}"


def test_aliases_do_not_repeat_the_terms_own_names(terms: list[dict[str, Any]]) -> None:
    repeats = {}
    for entry in terms:
        counts = Counter(normalize_name(name) for name in _names(entry))
        dupes = sorted(key for key, count in counts.items() if count > 1)
        if dupes:
            repeats[entry["slug"]] = dupes
    assert not repeats, f"aliases that repeat the term, abbr or another alias: {repeats}"


def test_no_name_or_alias_is_an_ordinary_word(terms: list[dict[str, Any]]) -> None:
    bad = [
        (entry["slug"], name)
        for entry in terms
        for name in [entry["term"], *(entry.get("aliases") or [])]
        if normalize_name(name) in ORDINARY_WORDS
    ]
    assert not bad, f"ordinary English words used as a term or alias: {bad}"


def test_abbreviations_that_are_ordinary_words_are_case_sensitive(terms: list[dict[str, Any]]) -> None:
    bad = [
        entry["abbr"]
        for entry in terms
        if entry.get("abbr") and normalize_name(entry["abbr"]) in ORDINARY_WORDS and not entry.get("case_sensitive")
    ]
    assert not bad, f"abbreviations that collide with ordinary words need case_sensitive: true: {bad}"


def test_case_sensitive_terms_have_a_distinctively_capitalised_abbr(terms: list[dict[str, Any]]) -> None:
    bad = [
        entry["slug"]
        for entry in terms
        if entry.get("case_sensitive") and (not entry.get("abbr") or entry["abbr"] == entry["abbr"].lower())
    ]
    assert not bad, f"case_sensitive needs an abbr with capital letters to match on: {bad}"


def test_every_term_occurs_in_the_sources(terms: list[dict[str, Any]], source_text: str) -> None:
    folded = source_text.casefold()

    def occurs(name: str, case_sensitive: bool) -> bool:
        if not case_sensitive and name.split()[0].casefold() not in folded:
            return False  # cheap pre-filter before the regex
        return phrase_pattern(name, case_sensitive=case_sensitive).search(source_text) is not None

    missing = []
    for entry in terms:
        candidates = [(entry["term"], False), *((alias, False) for alias in entry.get("aliases") or [])]
        if entry.get("abbr"):
            candidates.append((entry["abbr"], bool(entry.get("case_sensitive"))))
        if not any(occurs(name, case_sensitive) for name, case_sensitive in candidates):
            missing.append(entry["slug"])
    assert not missing, f"terms whose name, abbr and aliases never occur in sources/*.txt: {missing}"


# --------------------------------------------------------------------------- related


def test_related_slugs_exist(terms: list[dict[str, Any]]) -> None:
    slugs = {entry["slug"] for entry in terms}
    dangling = [(e["slug"], r) for e in terms for r in e.get("related") or [] if r not in slugs]
    assert not dangling, f"related slugs with no glossary entry (term, related): {dangling}"


def test_related_never_points_to_the_term_itself(terms: list[dict[str, Any]]) -> None:
    selfish = [e["slug"] for e in terms if e["slug"] in (e.get("related") or [])]
    assert not selfish, f"terms listing themselves as related: {selfish}"


def test_related_lists_have_no_duplicates(terms: list[dict[str, Any]]) -> None:
    dupes = [e["slug"] for e in terms if any(n > 1 for n in Counter(e.get("related") or []).values())]
    assert not dupes, f"terms with repeated related slugs: {dupes}"


# --------------------------------------------------------------------------- synonyms


def test_synonyms_top_level_is_a_mapping_with_a_groups_list(synonyms: Any) -> None:
    assert isinstance(synonyms, dict), "synonyms.yml must be a mapping"
    assert set(synonyms) == {"groups"}, f"unexpected top-level keys: {sorted(synonyms)}"
    assert isinstance(synonyms["groups"], list)


def test_synonyms_have_enough_groups(groups: list[list[str]]) -> None:
    assert len(groups) >= MIN_SYNONYM_GROUPS, f"only {len(groups)} groups, want {MIN_SYNONYM_GROUPS}"


def test_every_synonym_group_has_at_least_two_phrases(groups: list[list[str]]) -> None:
    bad = [group for group in groups if not isinstance(group, list) or len(group) < 2]
    assert not bad, f"groups must be lists of two or more phrases: {bad}"


def test_synonym_phrases_are_trimmed_lowercase_strings(groups: list[list[str]]) -> None:
    bad = [
        phrase
        for group in groups
        for phrase in group
        if not isinstance(phrase, str) or not phrase or phrase != phrase.lower() or phrase != " ".join(phrase.split())
    ]
    assert not bad, f"phrases must be non-empty, lowercase and single-spaced: {bad}"


def test_no_phrase_appears_in_two_synonym_groups(groups: list[list[str]]) -> None:
    where: dict[str, int] = {}
    repeated = []
    for index, group in enumerate(groups):
        for phrase in group:
            if phrase in where:
                repeated.append((phrase, where[phrase], index))
            else:
                where[phrase] = index
    assert not repeated, f"phrases listed twice (phrase, group, group): {repeated}"


def test_synonym_groups_never_merge_two_glossary_terms(
    groups: list[list[str]], terms: list[dict[str, Any]]
) -> None:
    owner = {normalize_name(name): entry["slug"] for entry in terms for name in _names(entry)}
    merged = []
    for group in groups:
        slugs = {owner[key] for key in map(normalize_name, group) if key in owner}
        if len(slugs) > 1:
            merged.append((group, sorted(slugs)))
    assert not merged, f"synonym groups that would conflate distinct glossary terms: {merged}"


# --------------------------------------------------------------------------- reader queries


def test_reader_search_queries_are_known_concepts(
    groups: list[list[str]], terms: list[dict[str, Any]]
) -> None:
    if not SEARCH_QUERIES_PATH.exists():
        pytest.skip(f"{SEARCH_QUERIES_PATH} not present")
    known = {normalize_name(name) for entry in terms for name in _names(entry)}
    known |= {normalize_name(phrase) for group in groups for phrase in group}
    queries = [
        line.split("\t", 1)[0]
        for line in SEARCH_QUERIES_PATH.read_text(encoding="utf-8").splitlines()
        if line.strip() and not line.startswith("#")
    ]
    assert queries, "search_queries.tsv lists no queries"
    unknown = [query for query in queries if normalize_name(query) not in known]
    assert not unknown, f"reader queries with no glossary term or synonym group: {unknown}"
