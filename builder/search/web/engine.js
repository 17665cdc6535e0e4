// MiniSearch as the handbook uses it: the options the index is written with (build_index.js, in
// Node) and read back with (the worker), and one search. Changing the engine is changing this file,
// build_index.js and what the worker is made of (builder/search/index.py).
//
// A classic script: the worker loads it as the global `HandbookEngine` after MiniSearch and
// HandbookQuery; Node requires it.

(function (root, factory) {
  if (typeof module === "object" && module.exports) module.exports = factory(require("./query.js"));
  else root.HandbookEngine = factory(root.HandbookQuery);
})(typeof self !== "undefined" ? self : this, function (HandbookQuery) {
  "use strict";

  // A document's fields as the builder wrote them (builder/search/documents.py); the stored ones
  // are what a result shows. The id is the document's URL.
  const STORED = ["title", "topic", "levels", "weight"];

  /** MiniSearch's options for the rules of data/search.yml: the same when writing and when loading. */
  function options(rules) {
    const { indexed } = HandbookQuery.reader(rules);
    return {
      idField: "id",
      fields: Object.keys(rules.fields),
      storeFields: STORED,
      // The index side: the tokenizer the query step uses, stop words left out.
      tokenize: (text) => HandbookQuery.words(text),
      processTerm: (term) => (indexed(term) ? term : null),
      // The query side: the query step has already chosen the words, joined by single spaces.
      searchOptions: { tokenize: (text) => text.split(" "), processTerm: (term) => term },
    };
  }

  /**
   * The results of a query of the query step, best first: [{id, title, topic, levels, score, terms}].
   * @param {MiniSearch} index
   * @param {{terms: {term: string, prefix: boolean, fuzzy: number}[], comparison: string[][] | null,
   *          filters: {level?: string, topic?: string}}} query
   * @param {string[]} topics every topic's slug, for "topic:" narrowing by a slug's beginning
   */
  function search(index, query, rules, topics) {
    if (!query.terms.length) return [];
    const { level, topic } = query.filters;
    const inTopic = topic ? new Set(topics.filter((slug) => slug.startsWith(topic))) : null;
    const results = index.search(query.terms.map((t) => t.term).join(" "), {
      boost: rules.fields,
      boostDocument: (id, term, stored) => (stored && stored.weight) || 1,
      // Per word, as the query step decided: only the word being typed is a prefix; long words allow one typo.
      prefix: (term, i) => query.terms[i].prefix,
      fuzzy: (term, i) => query.terms[i].fuzzy || false,
      filter: level || inTopic
        ? (r) => (!level || r.levels.some((l) => l.startsWith(level))) && (!inTopic || inTopic.has(r.topic))
        : undefined,
    });
    if (!query.comparison) return results;
    // "X vs Y": among the first 30, the questions whose title names both sides come first.
    const head = results.slice(0, 30);
    const both = head.filter((r) => HandbookQuery.namesBothSides(r.title, query.comparison));
    return [...both, ...head.filter((r) => !both.includes(r)), ...results.slice(30)];
  }

  return { options, search };
});
