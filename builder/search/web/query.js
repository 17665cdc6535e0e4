// The query step, and the tokenizer the index shares with it.
//
// Readers type questions ("how do you choose the temperature for generation"). An engine that
// matches every word, each as a prefix, lets "to" match "tool" and "a" match "activation", so the
// shortest words win. This step turns the raw text into content words, each with its match mode:
//
//   - stop words and question words (data/search.yml) are dropped: never matched, not even as prefixes;
//   - only the last word, the one being typed (no space after it yet), is a prefix;
//   - a word of typo_min_length letters or more also matches with one letter wrong;
//   - "X vs Y", "difference between X and Y", "compare X and Y" become the words of X and of Y, kept
//     as the comparison's two sides (the worker puts the questions naming both sides first);
//   - "level:beginner" and "topic:rag" narrow the results to a level or a topic.
//
// `words` splits documents when the index is written (build_index.js) and queries in the reader's
// browser alike, so a query word and an index word are cut in the same places.
//
// A classic script: the worker loads it as the global `HandbookQuery`; Node requires it.

(function (root, factory) {
  if (typeof module === "object" && module.exports) module.exports = factory();
  else root.HandbookQuery = factory();
})(typeof self !== "undefined" ? self : this, function () {
  "use strict";

  // Words split at anything but letters and digits, except a dot between digits ("1.58"); a
  // CamelCase join is two words ("FlashAttention": "flash", "attention"; "QLoRA" stays whole).
  const CAMEL_JOIN = /([a-z])(?=[A-Z][a-z]{2,})/g;
  const NON_WORD = /(?:[^\p{L}\p{N}.]|\.(?!\p{N}))+/u;
  const FILTER = /(?:^|\s)(level|topic):(\S*)/gi;

  /** The words of a text, lower case, in order (repeats kept); "'s" possessives dropped. */
  function words(text) {
    return String(text)
      .replace(CAMEL_JOIN, "$1 ")
      .replace(/['’]s\b/g, "")
      .toLowerCase()
      .split(NON_WORD)
      .map((w) => w.replace(/^\.+|\.+$/g, ""))
      .filter(Boolean);
  }

  /** Whether two words are at most one letter apart (one dropped, added or changed). */
  function oneEditApart(a, b) {
    if (a === b) return true;
    if (Math.abs(a.length - b.length) > 1) return false;
    const [short, long] = a.length <= b.length ? [a, b] : [b, a];
    let i = 0;
    while (i < short.length && short[i] === long[i]) i += 1;
    const rest = short.length === long.length ? i + 1 : i;
    return short.slice(rest) === long.slice(i + 1);
  }

  /**
   * The query step for a set of rules (data/search.yml, as the builder writes them into the index).
   * @returns {{analyze: function(string): {terms: {term: string, prefix: boolean, fuzzy: number}[],
   *   comparison: string[][] | null, filters: {level?: string, topic?: string}}, indexed: function(string): boolean}}
   */
  function reader(rules) {
    const dropped = new Set([...rules.stop_words, ...rules.question_words]);
    const announcing = new Set(rules.comparison.words);
    const patterns = rules.comparison.patterns.map((p) => new RegExp(p));
    const typoMin = rules.typo_min_length;
    const prefixMin = rules.prefix_min_length;

    // "diference" and "betwen" still announce a comparison: the typo rule of every other word.
    function readAsComparisonWord(w) {
      if (w.length < typoMin || announcing.has(w)) return w;
      for (const c of announcing) if (oneEditApart(w, c)) return c;
      return w;
    }

    function analyze(raw) {
      const filters = {};
      const typed = String(raw).replace(FILTER, (_, key, value) => {
        if (value) filters[key.toLowerCase()] = value.toLowerCase();
        return " ";
      });
      // The last word is still being typed unless a space or punctuation follows it.
      const open = /[\p{L}\p{N}]$/u.test(typed);
      const all = words(typed);
      const read = all.map(readAsComparisonWord);
      const line = read.join(" ");
      let comparison = null;
      for (const pattern of patterns) {
        const m = line.match(pattern);
        if (!m) continue;
        const sides = [m[1], m[2]].map((side) => side.split(" ").filter((w) => w && !dropped.has(w) && !announcing.has(w)));
        if (sides.every((side) => side.length)) comparison = sides;
        break;
      }
      const terms = [];
      const seen = new Set();
      all.forEach((term, i) => {
        if (dropped.has(term) || (comparison && announcing.has(read[i])) || seen.has(term)) return;
        seen.add(term);
        const prefix = open && i === all.length - 1 && term.length >= prefixMin;
        const fuzzy = term.length >= typoMin && !/\d/.test(term) ? 1 : 0;
        terms.push({ term, prefix, fuzzy });
      });
      return { terms, comparison, filters };
    }

    return { analyze, indexed: (term) => !dropped.has(term) };
  }

  /**
   * Does a title read like a comparison of the two sides? Each side must be named by a word of its
   * own (for "top k vs top p": "k" and "p", not "top"); a word of 3+ letters may be a prefix.
   */
  function namesBothSides(title, comparison) {
    const have = words(title);
    const named = (w) => have.includes(w) || (w.length >= 3 && have.some((t) => t.startsWith(w)));
    return comparison.every((side, i) => {
      const other = new Set(comparison[1 - i]);
      const own = side.filter((w) => !other.has(w));
      return (own.length ? own : side).some(named);
    });
  }

  const ESCAPES = { "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;" };
  const escapeHtml = (text) => String(text).replace(/[&<>"]/g, (c) => ESCAPES[c]);

  /** A plain-text title as HTML, its words that the search matched marked as Material marks them. */
  function highlight(title, matched) {
    return String(title)
      .split(/([\p{L}\p{N}]+)/u)
      .map((part, i) => (i % 2 && matched.has(part.toLowerCase()) ? `<mark>${escapeHtml(part)}</mark>` : escapeHtml(part)))
      .join("");
  }

  return { words, oneEditApart, reader, namesBothSides, highlight, escapeHtml };
});
