"""Accessibility in real Chromium: axe-core (pinned in package.json) on the kinds of page readers use."""

from __future__ import annotations

import json

import pytest

from conftest import ROOT

pytestmark = pytest.mark.browser

AXE = ROOT / "node_modules" / "axe-core" / "axe.min.js"
PAGES = {
    "home": "",
    "topic": "topics/rag/",
    "source": "sources/qa-review-bank-webpage/",
    "coverage": "coverage/",
    "glossary": "glossary/",
    "review": "review/",
    "downloads": "pdf/",
}


@pytest.mark.parametrize("name", sorted(PAGES))
def test_no_serious_or_critical_axe_violations(name, page, site_url, test_output):
    page.goto(site_url + PAGES[name])
    page.wait_for_load_state("networkidle")
    page.add_script_tag(path=str(AXE))
    results = page.evaluate("async () => await axe.run(document, {resultTypes: ['violations']})")
    assert results["passes"] or results["violations"] or results["incomplete"] is not None
    serious = [
        {"id": v["id"], "impact": v["impact"], "help": v["help"], "nodes": [n["target"] for n in v["nodes"][:5]]}
        for v in results["violations"]
        if v["impact"] in ("serious", "critical")
    ]
    (test_output / f"axe-{name}.json").write_text(json.dumps(results["violations"], indent=1), encoding="utf-8")
    assert serious == [], json.dumps(serious, indent=1)
