// The search worker: Material for MkDocs' search box, answered from the builder's index.
//
// Material's page starts `new Worker(__config.search)` (builder/theme/main.html points it here),
// posts {type: SETUP} (with its own, empty, index: every page is left out of it) and, on every
// keyup, {type: QUERY, data: "what was typed"}; it renders the answer {type: RESULT, data: {items,
// suggest}}: one list item per group of items, the group's first item as its title, `tags` as chips.
// Each group here is one question (or glossary term): the question first, never a topic page listing
// it, with its topic and levels as chips. Material shows no teaser text for such an item.
//
// The builder writes this file after MiniSearch, query.js and engine.js, and sets
// HANDBOOK_SEARCH_INDEX to the index's URL (with its content hash, so a cached worker never reads
// a newer index it does not understand).

(function () {
  "use strict";
  const SETUP = 0, READY = 1, QUERY = 2, RESULT = 3;
  const LEVELS = { beginner: "Beginner", intermediate: "Intermediate", advanced: "Advanced" };

  const loading = fetch(new URL(self.HANDBOOK_SEARCH_INDEX, self.location.href))
    .then((response) => {
      if (!response.ok) throw new Error(`${response.status} ${response.url}`);
      return response.json();
    })
    .then((data) => ({
      index: MiniSearch.loadJS(data.index, HandbookEngine.options(data.rules)),
      query: HandbookQuery.reader(data.rules),
      rules: data.rules,
      topics: data.topics,
    }))
    .catch((err) => {
      console.warn("search: the index could not be loaded", err);
      return null;
    });

  function item(result, search) {
    const matched = new Set(result.terms);
    return {
      location: result.id,
      title: HandbookQuery.highlight(result.title, matched),
      text: "",
      tags: [search.topics[result.topic] || result.topic, ...result.levels.map((l) => LEVELS[l] || l)],
      score: result.score,
      terms: Object.fromEntries(result.terms.map((t) => [t, true])),
    };
  }

  // The completion of the word being typed, which Material shows in the box (search.suggest).
  function suggestion(query, results) {
    const last = query.terms.find((t) => t.prefix);
    const done = last && results.length ? results[0].terms.find((t) => t.startsWith(last.term) && t !== last.term) : null;
    return done ? [done] : undefined;
  }

  function answer(raw, search) {
    if (!search) return { items: [] };
    const query = search.query.analyze(raw);
    const results = HandbookEngine.search(search.index, query, search.rules, Object.keys(search.topics));
    return { items: results.map((r) => [item(r, search)]), suggest: suggestion(query, results) };
  }

  // Answers go out in the order the messages came in: a query that arrives while the index is still
  // loading waits for it, and Material shows whichever answer arrives last.
  let queue = Promise.resolve();
  addEventListener("message", (event) => {
    const message = event.data || {};
    queue = queue.then(async () => {
      const search = await loading;
      if (message.type === SETUP) {
        postMessage({ type: READY });
      } else if (message.type === QUERY) {
        let data = { items: [] };
        try {
          data = answer(message.data, search);
        } catch (err) {
          console.warn("search failed", err);
        }
        postMessage({ type: RESULT, data });
      }
    });
  });
})();
