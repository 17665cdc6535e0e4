"""Progress, review, export and import in real headless Chromium: marks kept across reloads and counted
on the topic and home pages, two questions reviewed and their schedule moved (FSRS through ts-fsrs,
served by the site), the progress exported, cleared and imported back, a bad file refused with a
message, an old id mapped to its entry; and without JavaScript or on paper, no study controls."""

from __future__ import annotations

import json
import time

import pytest

from conftest import ROOT

pytestmark = pytest.mark.browser

TOPIC = "attention"
FORMAT = "llm-interview-handbook-progress"
AXE = ROOT / "node_modules" / "axe-core" / "axe.min.js"


def _section(built, slug: str):
    return next(s for s in built.sections if s.topic.slug == slug)


def _store(page) -> dict:
    return page.evaluate("() => JSON.parse(localStorage.getItem('hb.progress') || 'null')") or {"questions": {}}


def _mark(page, entry_id: str, status: str) -> None:
    page.click(f"[data-hb-mark='{entry_id}'] .hb-mark--{status}")


def _pressed(page, entry_id: str, status: str) -> bool:
    return page.get_attribute(f"[data-hb-mark='{entry_id}'] .hb-mark--{status}", "aria-pressed") == "true"


def _card_text(page, topic: str) -> str:
    card = page.locator(f"[data-hb-topic='{topic}'] .hb-progress__text")
    card.wait_for()
    return card.inner_text()


def test_a_question_marked_known_is_counted_on_its_topic_and_on_the_home_page(page, site_url, built, test_output):
    section = _section(built, TOPIC)
    entry = section.entries[1]
    page.goto(f"{site_url}topics/{TOPIC}/")
    group = page.locator(f"[data-hb-mark='{entry.id}'] [role='group']")
    assert group.get_attribute("aria-label") == "Your progress on this question"
    assert page.locator(".hb-tools__progress .hb-progress__text").inner_text() == f"0 of {len(section.entries)} known"

    page.focus(f"[data-hb-mark='{entry.id}'] .hb-mark--known")  # by keyboard: a toggle button
    page.keyboard.press("Enter")
    assert _pressed(page, entry.id, "known") and not _pressed(page, entry.id, "review")
    page.reload()
    assert _pressed(page, entry.id, "known")
    assert page.locator(".hb-tools__progress .hb-progress__text").inner_text() == f"1 of {len(section.entries)} known"
    assert _store(page)["questions"][entry.id]["status"] == "known"
    page.locator(".hb-tools").scroll_into_view_if_needed()
    page.screenshot(path=str(test_output / "study-progress-topic.png"))

    page.goto(site_url)
    assert _card_text(page, TOPIC) == f"1 of {len(section.entries)} known"
    other = next(s for s in built.sections if s.topic.slug != TOPIC)
    assert _card_text(page, other.topic.slug) == f"0 of {len(other.entries)} known"
    page.locator(f"[data-hb-topic='{TOPIC}']").scroll_into_view_if_needed()
    page.screenshot(path=str(test_output / "study-progress-home.png"))

    # A toggle: pressed again, the mark goes, and so does the count.
    page.goto(f"{site_url}topics/{TOPIC}/")
    _mark(page, entry.id, "known")
    assert not _pressed(page, entry.id, "known")
    assert page.locator(".hb-tools__progress .hb-progress__text").inner_text() == f"0 of {len(section.entries)} known"


def test_the_level_filter_can_hide_the_questions_i_know(page, site_url, built):
    section = _section(built, TOPIC)
    known = section.entries[0]
    page.goto(f"{site_url}topics/{TOPIC}/")
    _mark(page, known.id, "known")
    page.click(".hb-tools__hide-known")
    assert page.locator(f".hb-entry:has(h3[id='{known.id}'])").is_hidden()
    assert page.locator(".hb-tools__status").inner_text() == f"Showing {len(section.entries) - 1} of {len(section.entries)} questions. 1 question you know is hidden."
    page.reload()  # the choice is kept
    assert page.is_checked(".hb-hide-known-switch") and page.locator(f".hb-entry:has(h3[id='{known.id}'])").is_hidden()
    page.click(".hb-tools__hide-known")
    assert page.locator(f".hb-entry:has(h3[id='{known.id}'])").is_visible()


def _due(record: dict) -> float:
    return time.mktime(time.strptime(record["card"]["due"][:19], "%Y-%m-%dT%H:%M:%S")) - time.timezone


def test_reviewing_two_questions_moves_their_schedule(page, site_url, built, test_output):
    section = _section(built, TOPIC)
    first, second = section.entries[2], section.entries[3]
    page.goto(f"{site_url}topics/{TOPIC}/")
    _mark(page, first.id, "review")
    _mark(page, second.id, "review")
    assert page.locator(f"[data-hb-mark='{first.id}'] .hb-marks__note").inner_text() == "Due for review now."
    page.goto(site_url)
    assert page.locator(f"[data-hb-topic='{TOPIC}'] .hb-progress__due").inner_text() == "2 due for review"

    page.goto(f"{site_url}review/")
    page.wait_for_selector(".hb-rate", state="attached")
    assert page.locator(".hb-review__count").inner_text() == "2 questions due now in the chosen topics and levels."
    assert page.locator(".hb-review__answer").is_hidden() and page.locator(".hb-review__rate").is_hidden()
    page.wait_for_function("() => document.activeElement.classList.contains('hb-review__question')")
    page.keyboard.press(" ")  # Space shows the answer
    assert page.locator(".hb-review__answer").is_visible() and page.locator(".hb-review__rate").is_visible()
    assert page.locator(".hb-review__answer .hb-keypoints").count() == 1  # the handbook's key points, then the answers
    shown = page.locator(".hb-review__open a").get_attribute("href").split("#")[1]
    assert page.locator(".hb-rate--good .hb-rate__when").inner_text() == "10 min"
    page.screenshot(path=str(test_output / "study-review.png"), full_page=True)
    page.click(".hb-rate--good")
    page.wait_for_function("() => document.querySelector('.hb-review__count').textContent.startsWith('1 question due')")
    assert "comes back in 10 minutes" in page.locator(".hb-review__status").inner_text()

    page.click(".hb-review__reveal")
    page.keyboard.press("4")  # Easy
    page.wait_for_function("() => document.querySelector('.hb-review__count').textContent.startsWith('Nothing due')")
    questions = _store(page)["questions"]
    other = second.id if shown == first.id else first.id
    now = time.time()
    assert [entry["rating"] for entry in questions[shown]["log"]] == [3] and [entry["rating"] for entry in questions[other]["log"]] == [4]
    assert 9 * 60 < _due(questions[shown]) - now < 11 * 60  # Good on a new question: its next learning step
    assert 6 * 86400 < _due(questions[other]) - now < 10 * 86400  # Easy: days away
    assert questions[shown]["card"]["reps"] == questions[other]["card"]["reps"] == 1
    schedule = page.locator(".hb-schedule").inner_text()
    assert "0 due now" in schedule and "1 later today" in schedule
    page.screenshot(path=str(test_output / "study-review-done.png"), full_page=True)


def test_review_is_limited_to_the_chosen_topics(page, site_url, built):
    elsewhere = next(s for s in built.sections if s.topic.slug != TOPIC)
    here, there = _section(built, TOPIC).entries[0], elsewhere.entries[0]
    page.goto(f"{site_url}topics/{TOPIC}/")
    _mark(page, here.id, "review")
    page.goto(f"{site_url}topics/{elsewhere.topic.slug}/")
    _mark(page, there.id, "review")
    page.goto(f"{site_url}review/")
    page.wait_for_selector(".hb-rate", state="attached")
    assert page.locator(".hb-review__count").inner_text().startswith("2 questions due")
    page.click(".hb-review__choose summary")
    page.check(f".hb-review__topics input[value='{TOPIC}']")
    page.wait_for_function("() => document.querySelector('.hb-review__count').textContent.startsWith('1 question due')")
    page.wait_for_selector(".hb-review__open a", state="attached")
    assert page.locator(".hb-review__open a").get_attribute("href").endswith(f"#{here.id}")


def test_export_then_clear_then_import_gives_the_same_state(page, site_url, built, tmp_path):
    section = _section(built, TOPIC)
    page.goto(f"{site_url}topics/{TOPIC}/")
    _mark(page, section.entries[0].id, "known")
    _mark(page, section.entries[1].id, "review")
    _mark(page, section.entries[2].id, "review")
    _mark(page, section.entries[2].id, "review")  # taken back: the record stays, without its mark
    page.goto(f"{site_url}review/")
    page.wait_for_selector(".hb-rate", state="attached")
    page.click(".hb-review__reveal")
    page.click(".hb-rate--hard")
    page.wait_for_function("() => document.querySelector('.hb-review__status').textContent.startsWith('Rated Hard')")
    before = _store(page)["questions"]
    assert len(before) == 3 and before[section.entries[1].id]["log"]

    with page.expect_download() as download:
        page.click(".hb-export")
    exported = tmp_path / download.value.suggested_filename
    download.value.save_as(exported)
    data = json.loads(exported.read_text(encoding="utf-8"))
    assert data["format"] == FORMAT and data["version"] == 1 and data["questions"] == before
    assert exported.name.startswith("llm-interview-handbook-progress-") and exported.suffix == ".json"

    page.evaluate("() => localStorage.clear()")
    page.reload()
    assert _store(page)["questions"] == {}
    page.set_input_files("#hb-import-file", str(exported))
    page.wait_for_function("() => document.querySelector('.hb-backup__message').textContent.startsWith('Imported')")
    assert _store(page)["questions"] == before
    assert page.locator(".hb-backup__message").inner_text().startswith(f"Imported “{exported.name}”: 3 new, 0 updated")
    page.goto(f"{site_url}topics/{TOPIC}/")
    assert _pressed(page, section.entries[0].id, "known") and _pressed(page, section.entries[1].id, "review")


def test_an_import_merges_and_the_newer_record_wins(page, site_url, built):
    a, b = _section(built, TOPIC).entries[:2]
    page.goto(f"{site_url}topics/{TOPIC}/")
    _mark(page, a.id, "known")
    _mark(page, b.id, "known")
    mine = _store(page)["questions"]
    incoming = {
        a.id: {"status": "review", "updated": mine[a.id]["updated"] - 1000, "card": _new_card()},  # older: ignored
        b.id: {"updated": mine[b.id]["updated"] + 1000},  # newer, mark taken back: wins
    }
    page.goto(f"{site_url}review/")
    _import(page, json.dumps({"format": FORMAT, "version": 1, "questions": incoming}))
    assert page.locator(".hb-backup__message").inner_text().endswith("0 new, 1 updated, 1 kept as they were here (newer or the same).")
    after = _store(page)["questions"]
    assert after[a.id] == mine[a.id] and after[b.id] == incoming[b.id]


def _new_card() -> dict:
    return {"due": "2026-01-01T00:00:00.000Z", "stability": 0, "difficulty": 0, "elapsed_days": 0, "scheduled_days": 0,
            "learning_steps": 0, "reps": 0, "lapses": 0, "state": 0}


def _import(page, text: str, name: str = "progress.json") -> None:
    page.wait_for_selector("#hb-import-file", state="attached")
    page.set_input_files("#hb-import-file", files=[{"name": name, "mimeType": "application/json", "buffer": text.encode("utf-8")}])
    page.wait_for_function("() => document.querySelector('.hb-backup__message').textContent !== ''")


BAD_FILES = {
    "not-json": ("{'questions': ", "is not a JSON file"),
    "another-format": (json.dumps({"format": "something-else", "version": 1, "questions": {}}), "is not a progress file of the LLM Interview Handbook"),
    "newer-version": (json.dumps({"format": FORMAT, "version": 2, "questions": {}}), "format version 2, newer than this page reads (1)"),
    "bad-status": (json.dumps({"format": FORMAT, "version": 1, "questions": {"x": {"status": "maybe", "updated": 5}}}), "Question \"x\": its status is neither"),
    "bad-card": (json.dumps({"format": FORMAT, "version": 1, "questions": {"x": {"status": "review", "updated": 5, "card": {"due": "soon"}}}}), "its card has no due date"),
    "a-list": ("[1, 2]", "does not hold a JSON object"),
}


@pytest.mark.parametrize("case", sorted(BAD_FILES))
def test_a_bad_import_file_gives_a_message_and_changes_nothing(page, site_url, built, case):
    entry = _section(built, TOPIC).entries[0]
    page.goto(f"{site_url}topics/{TOPIC}/")
    _mark(page, entry.id, "known")
    raw = page.evaluate("() => localStorage.getItem('hb.progress')")
    page.goto(f"{site_url}review/")
    text, reason = BAD_FILES[case]
    _import(page, text, f"{case}.json")
    message = page.locator(".hb-backup__message")
    assert reason in message.inner_text() and message.inner_text().endswith("Nothing was changed.")
    assert "hb-backup__message--error" in message.get_attribute("class")
    assert page.evaluate("() => localStorage.getItem('hb.progress')") == raw


def test_progress_under_an_old_id_maps_to_its_entry(page, site_url, built):
    """An entry that absorbed another (or was renamed) keeps the old id among its anchors: progress
    stored under it, or imported with it, lands on the entry."""
    section, entry = next((s, e) for s in built.sections for e in s.entries if e.anchors)
    old = entry.anchors[0]
    page.goto(f"{site_url}review/")
    page.evaluate("""([old]) => localStorage.setItem('hb.progress', JSON.stringify({format: 'llm-interview-handbook-progress',
        version: 1, questions: {[old]: {status: 'known', updated: 1000}}}))""", [old])
    page.goto(site_url)
    assert _card_text(page, section.topic.slug) == f"1 of {len(section.entries)} known"
    questions = _store(page)["questions"]
    assert old not in questions and questions[entry.id]["status"] == "known"

    page.evaluate("() => localStorage.clear()")
    page.goto(f"{site_url}review/")
    _import(page, json.dumps({"format": FORMAT, "version": 1, "questions": {old: {"status": "known", "updated": 2000}}}))
    assert list(_store(page)["questions"]) == [entry.id]
    page.goto(f"{site_url}topics/{section.topic.slug}/")
    assert _pressed(page, entry.id, "known")

    # Straight on the topic page too, whose entries carry their old ids as anchors.
    page.evaluate("""([old]) => localStorage.setItem('hb.progress', JSON.stringify({format: 'llm-interview-handbook-progress',
        version: 1, questions: {[old]: {status: 'review', updated: 99999999999999, card: {due: '2026-01-01T00:00:00.000Z',
        stability: 0, difficulty: 0, scheduled_days: 0, reps: 0, lapses: 0, state: 0}}}}))""", [old])
    page.reload()
    assert _pressed(page, entry.id, "review") and list(_store(page)["questions"]) == [entry.id]


def test_no_study_controls_without_javascript_or_on_paper(chromium, page, site_url, built):
    context = chromium.new_context(java_script_enabled=False)
    bare = context.new_page()
    try:
        bare.goto(f"{site_url}topics/{TOPIC}/")
        assert bare.locator(".hb-marks, .hb-mark, .hb-progress, .hb-tools").count() == 0
        bare.goto(site_url)
        assert bare.locator(".hb-progress").count() == 0 and bare.locator("a[href$='anki/handbook.apkg']").count() == 1
        bare.goto(f"{site_url}review/")
        assert bare.locator(".hb-needs-js").is_visible() and bare.locator(".hb-review, .hb-export").count() == 0
    finally:
        context.close()
    page.goto(f"{site_url}topics/{TOPIC}/")
    _mark(page, _section(built, TOPIC).entries[0].id, "known")
    page.emulate_media(media="print")
    assert page.locator(".hb-marks").first.is_hidden() and page.locator(".hb-tools").is_hidden()
    page.goto(f"{site_url}review/")
    page.wait_for_selector(".hb-export", state="attached")
    assert page.locator(".hb-review").is_hidden() and page.locator(".hb-export").is_hidden()


def test_ts_fsrs_is_served_by_the_site_and_nothing_comes_from_elsewhere(page, site_url, built):
    requests = []
    page.on("request", lambda r: requests.append(r.url))
    page.goto(f"{site_url}topics/{TOPIC}/")
    _mark(page, _section(built, TOPIC).entries[0].id, "review")
    page.goto(f"{site_url}review/")
    page.wait_for_selector(".hb-rate", state="attached")
    assert f"{site_url}assets/ts-fsrs/ts-fsrs.umd.js" in requests
    assert [u for u in requests if not u.startswith(site_url) and not u.startswith("data:")] == []
    assert page.evaluate("() => typeof FSRS.fsrs") == "function"


def test_the_review_with_a_question_open_has_no_serious_axe_violation(page, site_url, built, test_output):
    page.goto(f"{site_url}topics/{TOPIC}/")
    _mark(page, _section(built, TOPIC).entries[0].id, "review")
    page.goto(f"{site_url}review/")
    page.wait_for_selector(".hb-rate", state="attached")
    page.click(".hb-review__reveal")
    page.click(".hb-review__choose summary")
    page.add_script_tag(path=str(AXE))
    results = page.evaluate("async () => await axe.run(document, {resultTypes: ['violations']})")
    serious = [{"id": v["id"], "nodes": [n["target"] for n in v["nodes"][:5]]} for v in results["violations"] if v["impact"] in ("serious", "critical")]
    (test_output / "axe-review-open.json").write_text(json.dumps(results["violations"], indent=1), encoding="utf-8")
    assert serious == [], json.dumps(serious, indent=1)


@pytest.mark.parametrize("width", [360, 412, 1280])
def test_the_review_page_does_not_move_when_the_review_appears(chromium, site_url, width):
    """A first visit: the review is drawn once the entry list has come, into space kept for it, so no
    part of the page shifts (Lighthouse's layout shift; it was 0.12 when the card filled in late)."""
    context = chromium.new_context(viewport={"width": width, "height": 823})
    page = context.new_page()
    page.add_init_script(
        "window.__shifts = []; new PerformanceObserver(l => l.getEntries().forEach(e => window.__shifts.push(e.value)))"
        ".observe({type: 'layout-shift', buffered: true});"
    )
    try:
        page.goto(site_url + "review/")
        page.wait_for_selector(".hb-review .hb-review__empty")
        page.wait_for_timeout(300)
        assert page.evaluate("window.__shifts") == []
    finally:
        context.close()
