/*
 * Study tools of the handbook, offline and dependency-free:
 *  - a level filter on topic pages (Beginner / Intermediate / Advanced), kept across pages, which
 *    can also hide the questions the reader marked "I know this";
 *  - on a topic page, the reader's progress on it ("N of M known", a bar, the questions due for
 *    review), from the store of progress.js (window.HandbookProgress, loaded before this script);
 *  - practice mode, which hides every answer behind a "Show answer" button, kept across pages;
 *  - a "Random question" button that opens a random entry (whole handbook or this topic, at the
 *    chosen levels) from assets/entries.json, which the builder writes;
 *  - a link to a question whose anchor is not on its page goes to the page that now has it.
 *
 * Without JavaScript none of this exists and every question and answer is shown: the page is
 * complete as the builder wrote it, and this script only hides things.
 *
 * Markup it relies on (builder/render/topic.py): each entry is
 * <div class="hb-entry" data-levels="beginner intermediate"> with an h3 (the entry's anchor) and
 * a <div class="hb-answer">; its groups (levels, or a large topic's sub-sections) are h2.hb-group;
 * the home page and topic pages have an empty [data-hb-tools] slot for the toolbar ([data-topic] on
 * a topic page).
 */
(function () {
  "use strict";

  var LEVELS = ["beginner", "intermediate", "advanced"];
  var STORE = { levels: "hb.levels", practice: "hb.practice", scope: "hb.random-scope", hideKnown: "hb.hide-known" };
  // progress.js runs first (mkdocs.yml): its store, its copy of the entry list and its helpers are shared.
  var PROGRESS = window.HandbookProgress;
  var siteRoot = PROGRESS.siteRoot;
  var el = PROGRESS.el;

  function load(key, fallback) {
    try {
      var raw = window.localStorage.getItem(key);
      return raw === null ? fallback : JSON.parse(raw);
    } catch (err) {
      return fallback; // storage disabled or a value we did not write: use the default
    }
  }

  function save(key, value) {
    try {
      window.localStorage.setItem(key, JSON.stringify(value));
    } catch (err) {
      /* private mode without storage: the choice lasts for this page only */
    }
  }

  function chosenLevels() {
    var stored = load(STORE.levels, []);
    return Array.isArray(stored) ? stored.filter(function (l) { return LEVELS.indexOf(l) >= 0; }) : [];
  }

  function entryLevels(entry) {
    return (entry.getAttribute("data-levels") || "").split(/\s+/).filter(Boolean);
  }

  // The ids the reader marked "I know this", when they chose to hide them (else none).
  function hiddenKnown() {
    var hidden = {};
    if (load(STORE.hideKnown, false) !== true) return hidden;
    var questions = PROGRESS.read().questions;
    Object.keys(questions).forEach(function (id) {
      if (questions[id].status === "known") hidden[id] = true;
    });
    return hidden;
  }

  function matches(levels, chosen) {
    if (!chosen.length) return true;
    return levels.some(function (l) { return chosen.indexOf(l) >= 0; });
  }

  // The table-of-contents items of each anchor, gathered in one pass over the page (a query per
  // entry walked the whole document each time). Material renders the table of contents twice
  // (sidebar, and inside the mobile menu), so an anchor may have several items.
  function contentsItems() {
    var items = {};
    document.querySelectorAll('.md-nav--secondary a[href^="#"]').forEach(function (link) {
      var item = link.closest("li");
      var id = link.getAttribute("href").slice(1);
      if (item) (items[id] = items[id] || []).push(item);
    });
    return items;
  }

  function hideInContents(items, id, hidden) {
    (items[id] || []).forEach(function (item) { item.hidden = hidden; });
  }

  // The entry an address points at (its heading or an old per-wording anchor inside it).
  function targetedEntry() {
    var id = decodeURIComponent(window.location.hash.slice(1));
    var target = id ? document.getElementById(id) : null;
    return target ? target.closest(".hb-entry") : null;
  }

  // ---------------------------------------------------------------------------------------
  // Level filter

  function applyLevels() {
    var chosen = chosenLevels();
    var entries = Array.prototype.slice.call(document.querySelectorAll(".hb-entry"));
    var targeted = targetedEntry();
    var contents = contentsItems();
    var known = hiddenKnown();
    var shown = 0;
    var knownHidden = 0;
    entries.forEach(function (entry) {
      var heading = entry.querySelector("h3[id]");
      var isKnown = !!heading && known[heading.id] === true;
      // A link to a question always shows it, even at a level the reader filtered out.
      // So does the entry the reader is working in: marking it known does not pull it from under them.
      var visible = entry === targeted || entry.contains(document.activeElement) || (matches(entryLevels(entry), chosen) && !isKnown);
      entry.hidden = !visible;
      shown += visible ? 1 : 0;
      knownHidden += !visible && isKnown && matches(entryLevels(entry), chosen) ? 1 : 0;
      if (heading) hideInContents(contents, heading.id, !visible);
    });
    // A group heading with no visible entry under it goes too, in the page and its contents.
    document.querySelectorAll(".md-content h2.hb-group").forEach(function (h2) {
      var any = false;
      for (var node = h2.nextElementSibling; node && node.tagName !== "H2"; node = node.nextElementSibling) {
        if (node.classList.contains("hb-entry") && !node.hidden) any = true;
      }
      h2.hidden = !any;
      hideInContents(contents, h2.id, !any);
    });
    document.querySelectorAll(".hb-level-chip").forEach(function (chip) {
      var level = chip.getAttribute("data-level");
      var on = level ? chosen.indexOf(level) >= 0 : chosen.length === 0;
      chip.setAttribute("aria-pressed", on ? "true" : "false");
    });
    var knownNote = knownHidden ? " " + knownHidden + (knownHidden === 1 ? " question you know is" : " questions you know are") + " hidden." : "";
    document.querySelectorAll(".hb-tools__status").forEach(function (status) {
      if (!entries.length) {
        status.textContent = chosen.length ? "Random questions come from the chosen levels." : "";
      } else if (shown === entries.length) {
        status.textContent = "Showing all " + entries.length + " questions.";
      } else if (!shown) {
        status.textContent = "No question on this page at the chosen levels." + knownNote;
      } else {
        status.textContent = "Showing " + shown + " of " + entries.length + " questions." + knownNote;
      }
    });
    document.querySelectorAll(".hb-hide-known-switch").forEach(function (input) {
      input.checked = load(STORE.hideKnown, false) === true;
    });
  }

  function toggleLevel(level) {
    var chosen = chosenLevels();
    if (!level) {
      chosen = [];
    } else if (chosen.indexOf(level) >= 0) {
      chosen = chosen.filter(function (l) { return l !== level; });
    } else {
      chosen.push(level);
    }
    // Choosing every level is the same as choosing none; store one form.
    save(STORE.levels, chosen.length === LEVELS.length ? [] : LEVELS.filter(function (l) { return chosen.indexOf(l) >= 0; }));
    applyLevels();
  }

  // ---------------------------------------------------------------------------------------
  // Practice mode

  function ensureRevealButtons() {
    document.querySelectorAll(".hb-entry .hb-answer").forEach(function (answer, n) {
      if (answer.previousElementSibling && answer.previousElementSibling.classList.contains("hb-reveal")) return;
      if (!answer.id) answer.id = "hb-answer-" + (n + 1);
      var button = el("button", { type: "button", class: "hb-reveal", "aria-controls": answer.id, "aria-expanded": "false" }, "Show answer");
      button.addEventListener("click", function () {
        var entry = answer.closest(".hb-entry");
        var open = !entry.classList.contains("hb-revealed");
        entry.classList.toggle("hb-revealed", open);
        button.setAttribute("aria-expanded", open ? "true" : "false");
        button.textContent = open ? "Hide answer" : "Show answer";
      });
      answer.parentNode.insertBefore(button, answer);
    });
  }

  function applyPractice() {
    var on = load(STORE.practice, false) === true;
    document.documentElement.classList.toggle("hb-practice", on);
    if (on) ensureRevealButtons();
    document.querySelectorAll(".hb-practice-switch").forEach(function (input) { input.checked = on; });
  }

  // ---------------------------------------------------------------------------------------
  // Random question

  function fetchEntryList() {
    return PROGRESS.entries().then(function (list) { return list.entries; });
  }

  function currentTopic(entries) {
    var heading = document.querySelector(".hb-entry h3[id]");
    if (!heading) return "";
    for (var i = 0; i < entries.length; i++) {
      if (entries[i].id === heading.id) return entries[i].topic;
    }
    return "";
  }

  function openRandom(status) {
    var scope = load(STORE.scope, "all");
    return fetchEntryList().then(function (entries) {
      var chosen = chosenLevels();
      var topic = scope === "topic" ? currentTopic(entries) : "";
      var here = targetedEntry();
      var hereId = here && here.querySelector("h3[id]") ? here.querySelector("h3[id]").id : "";
      var known = hiddenKnown();
      var pool = entries.filter(function (e) {
        return (!topic || e.topic === topic) && matches(e.levels, chosen) && !known[e.id];
      });
      if (pool.length > 1) pool = pool.filter(function (e) { return e.id !== hereId; });
      if (!pool.length) {
        status.textContent = "No question matches the chosen levels" + (topic ? " in this topic." : ".");
        return;
      }
      var pick = pool[Math.floor(Math.random() * pool.length)];
      window.location.assign(new URL(pick.url + "#" + encodeURIComponent(pick.id), siteRoot()).href);
    }).catch(function () {
      status.textContent = "The list of questions could not be loaded.";
    });
  }

  // An address whose anchor is not on this page: the entry has moved (merged into another entry,
  // or classified into another topic). Its id or one of its old anchors is in the entry list.
  function followMovedAnchor() {
    var id = decodeURIComponent(window.location.hash.slice(1));
    if (!id || document.getElementById(id)) return;
    fetchEntryList().then(function (entries) {
      for (var i = 0; i < entries.length; i++) {
        var e = entries[i];
        if (e.id === id || (e.anchors || []).indexOf(id) >= 0) {
          var target = new URL(e.url + "#" + encodeURIComponent(id), siteRoot());
          if (target.pathname !== window.location.pathname) window.location.replace(target.href);
          return;
        }
      }
    }).catch(function () { /* no list: the page stays as it is */ });
  }

  // ---------------------------------------------------------------------------------------
  // Progress on this topic (the store is progress.js's)

  var pageIds = null; // the page's entries do not change: read once, where a progress line shows them

  function refreshProgress() {
    var slots = document.querySelectorAll(".hb-tools__progress");
    if (!slots.length) return;
    pageIds = pageIds || PROGRESS.pageEntries().entries.map(function (e) { return e.id; });
    slots.forEach(function (slot) {
      slot.textContent = "";
      slot.appendChild(PROGRESS.progressLine(PROGRESS.summary(pageIds), PROGRESS.reviewUrl()));
    });
  }

  function switchControl(className, inputClass, text, onChange) {
    var label = el("label", { class: "hb-tools__switch-label " + className });
    var input = el("input", { type: "checkbox", role: "switch", class: inputClass });
    input.addEventListener("change", function () { onChange(input.checked); });
    label.appendChild(input);
    label.appendChild(el("span", { class: "hb-tools__switch", "aria-hidden": "true" }));
    label.appendChild(document.createTextNode(text));
    return label;
  }

  // ---------------------------------------------------------------------------------------
  // The toolbar

  function toolbar(onTopicPage) {
    var bar = el("div", { class: "hb-tools", role: "region", "aria-label": "Study tools" });

    var levels = el("div", { class: "hb-tools__levels", role: "group", "aria-label": "Show questions of level" });
    levels.appendChild(el("span", { class: "hb-tools__label" }, "Level"));
    [["", "All"]].concat(LEVELS.map(function (l) { return [l, l.charAt(0).toUpperCase() + l.slice(1)]; }))
      .forEach(function (pair) {
        var chip = el("button", { type: "button", class: "hb-level-chip", "data-level": pair[0], "aria-pressed": "false" }, pair[1]);
        chip.addEventListener("click", function () { toggleLevel(pair[0]); });
        levels.appendChild(chip);
      });
    bar.appendChild(levels);

    bar.appendChild(switchControl("hb-tools__practice", "hb-practice-switch", "Practice mode: hide answers", function (on) {
      save(STORE.practice, on);
      document.querySelectorAll(".hb-entry.hb-revealed").forEach(function (e) { e.classList.remove("hb-revealed"); });
      document.querySelectorAll(".hb-reveal").forEach(function (b) {
        b.textContent = "Show answer";
        b.setAttribute("aria-expanded", "false");
      });
      applyPractice();
    }));
    bar.appendChild(switchControl("hb-tools__hide-known", "hb-hide-known-switch", "Hide questions I know", function (on) {
      save(STORE.hideKnown, on);
      applyLevels();
    }));

    var random = el("div", { class: "hb-tools__random" });
    var status = el("p", { class: "hb-tools__status", role: "status", "aria-live": "polite" });
    var go = el("button", { type: "button", class: "md-button md-button--primary hb-random" }, "Random question");
    go.addEventListener("click", function () { openRandom(status); });
    random.appendChild(go);
    if (onTopicPage) {
      var scope = el("select", { class: "hb-random-scope", "aria-label": "Pick the random question from" });
      [["all", "from the whole handbook"], ["topic", "from this topic"]].forEach(function (pair) {
        var option = el("option", { value: pair[0] }, pair[1]);
        option.selected = load(STORE.scope, "all") === pair[0];
        scope.appendChild(option);
      });
      scope.addEventListener("change", function () { save(STORE.scope, scope.value); });
      random.appendChild(scope);
    } else {
      random.appendChild(el("span", { class: "hb-tools__hint" }, "from the whole handbook, at the chosen levels"));
    }
    bar.appendChild(random);
    if (onTopicPage) bar.appendChild(el("div", { class: "hb-tools__progress" }));
    bar.appendChild(status);
    return bar;
  }

  function placeToolbar() {
    var slot = document.querySelector("[data-hb-tools]");
    var firstEntry = document.querySelector(".hb-entry");
    if (slot) {
      slot.appendChild(toolbar(slot.hasAttribute("data-topic")));
    } else if (firstEntry) {
      // After the topic's introduction, before its first group.
      var article = firstEntry.parentNode;
      var heading = article.querySelector(":scope > h2.hb-group");
      article.insertBefore(toolbar(true), heading || firstEntry);
    }
  }

  function start() {
    // Already set up? (A flag, not a class on the root: a class the root gains has the browser work
    // out the whole page's style again.)
    if (window.hbStudyStarted) return;
    window.hbStudyStarted = true;
    placeToolbar();
    applyLevels();
    applyPractice();
    refreshProgress();
    followMovedAnchor();
    window.addEventListener("hashchange", function () {
      // The browser scrolled to the address's target before this event, when a level filter may still
      // have hidden its entry (so it did not move): once shown, the target is scrolled to here.
      var entry = targetedEntry();
      var wasHidden = !!entry && entry.hidden;
      applyLevels();
      if (wasHidden) document.getElementById(decodeURIComponent(window.location.hash.slice(1))).scrollIntoView();
      followMovedAnchor();
    });
    // Another tab changed a choice: follow it.
    window.addEventListener("storage", function () { applyLevels(); applyPractice(); });
    // A question marked known or for review (here, or in another tab through progress.js).
    window.addEventListener("hb-progress", function () { applyLevels(); refreshProgress(); });
  }

  // A plain script at the end of the body (mkdocs.yml) runs when everything above it is parsed:
  // start at once, so the toolbar is in place before a paint shows the entries. Waiting for
  // DOMContentLoaded (after the deferred scripts) let the browser paint first and then shift the
  // entries down (Lighthouse CLS 0.13). Anywhere else, wait for the document.
  var SCRIPT = document.currentScript;
  if (document.readyState !== "loading" || (SCRIPT && SCRIPT.parentNode === document.body)) {
    start();
  } else {
    document.addEventListener("DOMContentLoaded", start);
  }
})();
