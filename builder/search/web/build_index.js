// Writes the search index in one Node process: reads {rules, topics, documents} (JSON, on stdin, from
// builder/search/index.py), indexes the documents with MiniSearch (the project's pinned node_modules)
// and the options the worker loads it with (engine.js), and writes on stdout what the worker fetches:
// {rules, topics, index}. The same input gives the same bytes: documents are added in the order given,
// and MiniSearch serialises its maps in insertion order.
"use strict";
// Resolved from the project's node_modules, as the script lives inside the project.
const MiniSearch = require("minisearch");
const HandbookEngine = require("./engine.js");

let input = "";
process.stdin.setEncoding("utf8");
process.stdin.on("data", (chunk) => { input += chunk; });
process.stdin.on("end", () => {
  const { rules, topics, documents } = JSON.parse(input);
  const index = new MiniSearch(HandbookEngine.options(rules));
  index.addAll(documents);
  process.stdout.write(JSON.stringify({ rules, topics, index }));
});
