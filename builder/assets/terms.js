// Glossary term links show their definition in a tooltip: on hover (mouse or pen), on keyboard focus,
// and on touch screens, which have no hover, on a first tap (a second tap on the same term follows
// the link). Term links are the links to a glossary entry (builder/render/terms.py); they carry no
// definition: every definition is in assets/terms.json, written once by the builder and fetched the
// first time a reader points at, focuses or taps a term. Without JavaScript the link leads to the entry.
//
// Why not Material's `content.tooltips`: it sets up a tooltip (and measures it) for every element
// with a title when the page loads, ~170 term links on a large topic page, which was most of the
// page's blocking time. Here nothing runs until a reader points at, focuses or taps a term, and
// then one tooltip element, created on first use, serves every term.
var TERM_LINK = 'a[href*="glossary/#"], a[href*="glossary.html#"]';
var TOOLTIP_ID = "hb-term-tooltip";
var GAP = 8;           // px between the term and the tooltip
var EDGE = 16;         // px the tooltip keeps from the viewport's sides (Material: .8rem)
var HIDE_DELAY = 150;  // ms to move the pointer from the term onto the tooltip (WCAG 1.4.13 hoverable)
var DEFINITIONS_URL = new URL("terms.json", document.currentScript ? document.currentScript.src : document.baseURI);

// link: the term whose definition is shown; wanted: the term the reader points at or focuses, whose
// definition is shown as soon as the definitions have loaded (if the reader is still there).
var termTooltip = { element: null, link: null, wanted: null, hideTimer: 0, definitions: null };

function termLinkOf(target) {
  return target instanceof Element ? target.closest(TERM_LINK) : null;
}

function definitions() {
  if (!termTooltip.definitions) {
    termTooltip.definitions = fetch(DEFINITIONS_URL).then(function (response) {
      if (!response.ok) throw new Error(DEFINITIONS_URL + ": HTTP " + response.status);
      return response.json();
    }).catch(function (error) {
      termTooltip.definitions = null;  // tried again on the next term
      console.warn("term definitions:", error);
      return {};
    });
  }
  return termTooltip.definitions;
}

function slugOf(link) {
  return decodeURIComponent(link.hash.slice(1));
}

function tooltipElement() {
  if (!termTooltip.element) {
    var element = document.createElement("div");
    element.id = TOOLTIP_ID;
    element.className = "hb-tooltip";
    element.setAttribute("role", "tooltip");
    element.hidden = true;
    element.addEventListener("pointerenter", cancelHide);
    element.addEventListener("pointerleave", function () { scheduleHide(); });
    document.body.appendChild(element);
    termTooltip.element = element;
  }
  return termTooltip.element;
}

// The line box of the link to point at: the one under the pointer, else the first (a term can wrap).
function anchorBox(link, clientX, clientY) {
  var boxes = Array.prototype.slice.call(link.getClientRects());
  var under = boxes.filter(function (box) {
    return clientY >= box.top && clientY <= box.bottom && clientX >= box.left && clientX <= box.right;
  });
  return under[0] || boxes[0] || link.getBoundingClientRect();
}

// Below the term, or above it when it does not fit below and fits better above; centred on the term,
// kept inside the viewport. Coordinates are the document's, so the tooltip scrolls with the text.
function placement(box, width, height, viewportWidth, viewportHeight) {
  var below = viewportHeight - box.bottom - GAP;
  var above = box.top - GAP;
  var side = height <= below || below >= above ? "bottom" : "top";
  var centre = box.left + box.width / 2;
  var left = Math.max(EDGE, Math.min(centre - width / 2, viewportWidth - EDGE - width));
  var top = side === "bottom" ? box.bottom + GAP : box.top - GAP - height;
  return { side: side, left: left, top: top, tail: centre - left };
}

function show(link, clientX, clientY) {
  cancelHide();
  termTooltip.wanted = link;
  definitions().then(function (all) {
    if (termTooltip.wanted === link) draw(link, all[slugOf(link)], clientX, clientY);
  });
}

function draw(link, definition, clientX, clientY) {
  if (!definition) { hide(); return; } // a term without a definition leaves no other term's tooltip up
  if (termTooltip.link && termTooltip.link !== link) termTooltip.link.removeAttribute("aria-describedby");
  var element = tooltipElement();
  element.textContent = definition;
  element.hidden = false;
  element.style.left = "0px";  // measured unconstrained: near the right edge it would shrink to fit
  var box = anchorBox(link, clientX, clientY);
  var root = document.documentElement;
  var place = placement(box, element.offsetWidth, element.offsetHeight, root.clientWidth, root.clientHeight);
  element.className = "hb-tooltip hb-tooltip--" + place.side;
  element.style.left = place.left + window.scrollX + "px";
  element.style.top = place.top + window.scrollY + "px";
  element.style.setProperty("--hb-tooltip-tail", place.tail + "px");
  link.setAttribute("aria-describedby", TOOLTIP_ID);
  termTooltip.link = link;
}

function hide() {
  cancelHide();
  if (termTooltip.link) termTooltip.link.removeAttribute("aria-describedby");
  termTooltip.link = null;
  termTooltip.wanted = null;
  if (termTooltip.element) termTooltip.element.hidden = true;
}

function scheduleHide() {
  cancelHide();
  termTooltip.hideTimer = window.setTimeout(function () {
    // Still focused (keyboard, or armed by a tap): the tooltip stays until blur or Escape.
    var current = termTooltip.link || termTooltip.wanted;
    if (current && current === document.activeElement) return;
    hide();
  }, HIDE_DELAY);
}

function cancelHide() {
  window.clearTimeout(termTooltip.hideTimer);
}

function isHoverPointer(event) {
  return event.pointerType === "mouse" || event.pointerType === "pen";
}

document.addEventListener("pointerover", function (event) {
  var link = termLinkOf(event.target);
  if (!link || !isHoverPointer(event)) return;
  show(link, event.clientX, event.clientY);
});

document.addEventListener("pointerout", function (event) {
  var link = termLinkOf(event.target);
  if (!link || !isHoverPointer(event) || link.contains(event.relatedTarget)) return;
  scheduleHide();
});

document.addEventListener("focusin", function (event) {
  var link = termLinkOf(event.target);
  if (link) show(link, -1, -1);
});

document.addEventListener("focusout", function (event) {
  var link = termLinkOf(event.target);
  if (link && (link === termTooltip.link || link === termTooltip.wanted)) hide();
});

// Escape dismisses the tooltip without moving focus (WCAG 1.4.13 dismissible).
document.addEventListener("keydown", function (event) {
  if (event.key === "Escape" && (termTooltip.link || termTooltip.wanted)) hide();
});

// Touch: the first tap on a term shows its definition (through focus) and stays; the second follows.
document.addEventListener("click", function (event) {
  var link = termLinkOf(event.target);
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
