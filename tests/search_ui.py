"""Types a query into the site's search box in headless Chromium and reads the results a reader sees.

Material's search page posts each query (on ``keyup``) to a web worker (the builder's, on the
handbook; Material's lunr worker on the naive baseline) and renders the worker's answer into
``.md-search-result__list``. An init script wraps the page's ``Worker`` to count
the queries sent and the answers rendered, so a caller knows exactly when the results shown are the
ones for what was typed (no sleeps), and when, to the millisecond, they appeared.

Used by the browser test (tests/test_search_browser.py) and the benchmark (bench/search_bench.py).
"""

from __future__ import annotations

import csv
import re
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urljoin, urlsplit

INIT_SCRIPT = r"""
(() => {
  const state = window.__hbSearch = {
    ready: false, readyAt: 0, sent: [], received: 0, rendered: 0, keyupAt: 0, sentAt: 0, answeredAt: 0, renderedAt: 0,
  };
  const Native = window.Worker;
  window.Worker = class extends Native {
    constructor(...args) {
      super(...args);
      // Added before Material's own listener, so it runs first.
      this.addEventListener("message", (event) => {
        const message = event.data || {};
        if (message.type === 1) { state.ready = true; state.readyAt = performance.now(); }
        if (message.type === 3) {
          state.received += 1; state.answeredAt = performance.now();
          // An empty answer renders nothing the observer below would see.
          if (!(message.data && message.data.items && message.data.items.length)) {
            state.rendered = state.received; state.renderedAt = performance.now();
          }
        }
      });
    }
    postMessage(message, ...rest) {
      if (message && message.type === 2) { state.sent.push(message.data); state.sentAt = performance.now(); }
      return super.postMessage(message, ...rest);
    }
  };
  // Capture phase on window: stamped before Material's keyup handler sends the query.
  window.addEventListener("keyup", () => { state.keyupAt = performance.now(); }, true);
  document.addEventListener("DOMContentLoaded", () => {
    const list = document.querySelector(".md-search-result__list");
    if (!list) return;
    // Mutation callbacks run after Material's synchronous render of the answer's first results.
    new MutationObserver(() => {
      if (state.received > state.rendered && list.children.length) {
        state.rendered = state.received; state.renderedAt = performance.now();
      }
    }).observe(list, { childList: true });
  });
})();
"""

_RESULTS_SHOWN = """() => {
  const s = window.__hbSearch, input = document.querySelector("input.md-search__input");
  return s.ready && s.sent.length > 0 && s.sent[s.sent.length - 1] === input.value
    && s.received === s.sent.length && s.rendered === s.received;
}"""

# Visible result items in order, with their tag chips (the handbook's show topic and levels); on
# Material's own search, sections folded away under "N more on this page" are not shown, so they
# do not count.
_READ_RESULTS = """() => [...document.querySelectorAll(".md-search-result__list > li > a.md-search-result__link")]
  .map(a => ({ title: (a.querySelector("h1, h2") || a).textContent.trim(),
               href: a.href, page: !!a.querySelector("h1"),
               tags: [...a.querySelectorAll(".md-tag")].map(t => t.textContent.trim().toLowerCase()) }))"""


@dataclass(frozen=True)
class Result:
    title: str
    link: str  # path and fragment relative to the site root, without the ?h= highlight parameter
    is_page: bool  # shown as a title (a page, or one question) rather than as a section under one
    tags: tuple[str, ...] = ()  # the chips under it, lower case: topic and levels on the handbook


@dataclass(frozen=True)
class Query:
    query: str
    pattern: re.Pattern[str]
    narrowed: str = ""  # "level=beginner" or "topic=rag": every item shown must be of it


def load_queries(path: Path) -> list[Query]:
    """``query<TAB>regex[<TAB>level=…|topic=…]`` lines; ``#`` lines are comments. Regexes match
    case-insensitively."""
    out: list[Query] = []
    with path.open(encoding="utf-8", newline="") as f:
        for row in csv.reader(f, delimiter="\t", quoting=csv.QUOTE_NONE):
            if not row or row[0].startswith("#"):
                continue
            out.append(Query(row[0], re.compile(row[1], re.IGNORECASE), row[2] if len(row) > 2 else ""))
    return out


def _narrowed(query: Query, result: Result) -> bool:
    key, _, value = query.narrowed.partition("=")
    return result.link.startswith(f"topics/{value}/") if key == "topic" else value in result.tags


def matches(query: Query, results: list[Result], top: int = 3) -> bool:
    """One of the first ``top`` items is the right one, and, for a narrowed query, every item is of its level or topic."""
    found = any(query.pattern.search(r.title) or query.pattern.search(r.link) for r in results[:top])
    return found and (not query.narrowed or all(_narrowed(query, r) for r in results))


def open_search(page, site_url: str) -> None:  # noqa: ANN001 - a Playwright Page
    """Load the home page with the instrumentation and wait until the search index is ready."""
    page.add_init_script(INIT_SCRIPT)
    page.goto(site_url)
    page.wait_for_function("() => window.__hbSearch && window.__hbSearch.ready", timeout=30_000)
    page.locator("input.md-search__input").click()


def _relative(site_url: str, href: str) -> str:
    parts = urlsplit(urljoin(site_url, href))
    root = urlsplit(site_url).path
    path = parts.path[len(root):] if parts.path.startswith(root) else parts.path
    return path + (f"#{parts.fragment}" if parts.fragment else "")


def read_results(page, site_url: str) -> list[Result]:  # noqa: ANN001
    return [Result(r["title"], _relative(site_url, r["href"]), r["page"], tuple(r["tags"])) for r in page.evaluate(_READ_RESULTS)]


def _wait_for_results(page) -> None:  # noqa: ANN001
    try:
        page.wait_for_function(_RESULTS_SHOWN, timeout=10_000)
    except Exception as err:
        state = page.evaluate("() => JSON.stringify(window.__hbSearch)")
        raise AssertionError(f"no search results shown: {state}") from err


def type_query(page, site_url: str, query: str) -> list[Result]:  # noqa: ANN001
    """Type ``query`` key by key, as a reader does, and return the results shown for all of it."""
    box = page.locator("input.md-search__input")
    box.fill("")
    box.press_sequentially(query)
    _wait_for_results(page)
    return read_results(page, site_url)


def timed_query(page, site_url: str, query: str) -> tuple[float, list[Result]]:  # noqa: ANN001
    """Put ``query`` in the box and release a key: milliseconds from that keyup to results on screen."""
    box = page.locator("input.md-search__input")
    box.fill(query)  # an input event only: Material searches on keyup
    box.press("End")
    _wait_for_results(page)
    elapsed = page.evaluate("() => window.__hbSearch.renderedAt - window.__hbSearch.keyupAt")
    return float(elapsed), read_results(page, site_url)
