// Render every formula of a build in one Node process: reads a JSON list of {tex, display} on stdin,
// writes a JSON list of {html} or {error} on stdout, in the same order. KaTeX comes from the
// project's pinned node_modules; nothing is fetched.
"use strict";
const path = require("path");
const katex = require(path.join(__dirname, "..", "node_modules", "katex"));

let input = "";
process.stdin.setEncoding("utf8");
process.stdin.on("data", (chunk) => { input += chunk; });
process.stdin.on("end", () => {
  const formulas = JSON.parse(input);
  const out = formulas.map(({ tex, display }) => {
    try {
      // throwOnError so a formula KaTeX cannot parse is reported, never shown as red TeX
      return { html: katex.renderToString(tex, { displayMode: !!display, throwOnError: true, output: "htmlAndMathml", strict: "ignore" }) };
    } catch (err) {
      return { error: String(err && err.message ? err.message : err) };
    }
  });
  process.stdout.write(JSON.stringify(out));
});
