// Glossary term links on touch screens: there is no hover, so the first tap on a term shows its
// definition (Material's tooltip opens on focus) and a second tap on the same term follows the link.
// Term links are the links to a glossary entry (see builder/render/terms.py).
var TERM_LINK = 'a[href*="glossary/#"], a[href*="glossary.html#"]';

document.addEventListener("click", function (event) {
  var link = event.target instanceof Element ? event.target.closest(TERM_LINK) : null;
  if (!link || !window.matchMedia("(hover: none)").matches) return;
  if (link.dataset.hbArmed === "1") return;
  event.preventDefault();
  document.querySelectorAll("a[data-hb-armed]").forEach(function (other) {
    delete other.dataset.hbArmed;
  });
  link.dataset.hbArmed = "1";
  link.focus();
  link.addEventListener("blur", function () { delete link.dataset.hbArmed; }, { once: true });
});
