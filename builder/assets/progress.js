/*
 * Progress per question, kept in this browser (no account, no server):
 *  - "I know this" and "Review again" under each question of a topic page (toggle buttons);
 *  - "N of M known", a bar and the questions due for review on each topic card of the home page;
 *  - the store the study toolbar (study.js: counts, "hide known") and the review page (review.js:
 *    FSRS scheduling, export and import) share, as window.HandbookProgress.
 *
 * The store is one localStorage value, "hb.progress", in the shape of an exported file:
 *   {"format": "llm-interview-handbook-progress", "version": 1,
 *    "questions": {"<entry id>": {"status": "known" | "review" (absent: neither),
 *                                 "updated": <milliseconds since 1970>,
 *                                 "card": <FSRS card, dates as ISO strings>, "log": [<FSRS review logs>]}}}
 * A record whose marks were taken back stays, without them, so that "newer wins" also carries the
 * taking back to another browser. Ids are the entries' stable ids. An entry merged into another (or
 * reworded) leaves its old id among the other's anchors (an <a id> inside the entry on its topic page;
 * "anchors" in assets/entries.json), so a record under an old id is moved to the entry's id as soon as
 * a page that knows the mapping opens; when both exist the newer record wins.
 *
 * Without JavaScript nothing here exists: the builder's slots stay empty and the pages are complete.
 */
(function () {
  "use strict";

  var KEY = "hb.progress";
  var FORMAT = "llm-interview-handbook-progress";
  var VERSION = 1;
  var STATUSES = ["known", "review"];
  var SCRIPT_URL = document.currentScript ? document.currentScript.src : "";
  var entryList = null;
  var DAY = 24 * 60 * 60 * 1000;

  function siteRoot() {
    return new URL("../", SCRIPT_URL || document.baseURI);
  }

  function el(tag, attrs, text) {
    var node = document.createElement(tag);
    Object.keys(attrs || {}).forEach(function (k) { node.setAttribute(k, attrs[k]); });
    if (text) node.textContent = text;
    return node;
  }

  // ---------------------------------------------------------------------------------------
  // The format: what a stored value or an imported file must hold

  function isObject(v) { return v !== null && typeof v === "object" && !Array.isArray(v); }
  function isDate(v) { return typeof v === "string" && !isNaN(Date.parse(v)); }
  function isCount(v) { return typeof v === "number" && isFinite(v) && v >= 0; }

  function cardProblem(card) {
    if (!isObject(card)) return "its \"card\" is not an object";
    if (!isDate(card.due)) return "its card has no due date";
    var numbers = ["stability", "difficulty", "scheduled_days", "reps", "lapses", "state"];
    for (var i = 0; i < numbers.length; i++) {
      if (!isCount(card[numbers[i]])) return "its card's \"" + numbers[i] + "\" is not a number";
    }
    if (card.state > 3) return "its card's state is not one of FSRS's (0 to 3)";
    if (card.last_review != null && !isDate(card.last_review)) return "its card's last review is not a date";
    return "";
  }

  function recordProblem(record) {
    if (!isObject(record)) return "it is not an object";
    if (record.status !== undefined && STATUSES.indexOf(record.status) < 0) return "its status is neither \"known\" nor \"review\"";
    if (!isCount(record.updated)) return "it has no \"updated\" time";
    if (record.card !== undefined) {
      var problem = cardProblem(record.card);
      if (problem) return problem;
    }
    if (record.log !== undefined) {
      if (!Array.isArray(record.log)) return "its \"log\" is not a list";
      for (var i = 0; i < record.log.length; i++) {
        var entry = record.log[i];
        if (!isObject(entry) || [1, 2, 3, 4].indexOf(entry.rating) < 0 || !isDate(entry.review)) return "review " + (i + 1) + " of its log is not a rating with a date";
      }
    }
    return "";
  }

  // {store} for a valid value, {error} (a sentence for the reader) for anything else.
  function validate(data) {
    if (!isObject(data)) return { error: "The file does not hold a JSON object." };
    if (data.format !== FORMAT) return { error: "This is not a progress file of the LLM Interview Handbook: it has no \"format\": \"" + FORMAT + "\"." };
    if (typeof data.version !== "number" || data.version % 1 !== 0 || data.version < 1) return { error: "The file has no valid format version." };
    if (data.version > VERSION) {
      return { error: "The file has format version " + data.version + ", newer than this page reads (" + VERSION + "). Reload the page to get the newer handbook, then import again." };
    }
    if (!isObject(data.questions)) return { error: "The file has no \"questions\"." };
    var questions = {};
    var ids = Object.keys(data.questions);
    for (var i = 0; i < ids.length; i++) {
      var id = ids[i];
      if (!/^[^\s#]{1,300}$/.test(id)) return { error: "The question id \"" + id.slice(0, 60) + "\" is not an id of the handbook." };
      var problem = recordProblem(data.questions[id]);
      if (problem) return { error: "Question \"" + id + "\": " + problem + "." };
      questions[id] = data.questions[id];
    }
    return { store: { format: FORMAT, version: VERSION, questions: questions } };
  }

  // ---------------------------------------------------------------------------------------
  // The store

  function emptyStore() {
    return { format: FORMAT, version: VERSION, questions: {} };
  }

  function read() {
    var raw = null;
    try {
      raw = window.localStorage.getItem(KEY);
    } catch (err) {
      return emptyStore(); // storage disabled: nothing is kept
    }
    if (raw === null) return emptyStore();
    var parsed;
    try {
      parsed = validate(JSON.parse(raw));
    } catch (err) {
      parsed = { error: "not JSON" };
    }
    if (parsed.error) {
      // Never lose what was there: a value this page cannot read is set aside, not overwritten.
      try { window.localStorage.setItem(KEY + ".unreadable", raw); } catch (err) { /* nothing more to do */ }
      return emptyStore();
    }
    return parsed.store;
  }

  function write(store) {
    try {
      window.localStorage.setItem(KEY, JSON.stringify(store));
    } catch (err) {
      return false;
    }
    window.dispatchEvent(new CustomEvent("hb-progress"));
    return true;
  }

  // Records under an old id move to the entry's id; when both exist the newer stays.
  function migrate(store, aliases) {
    var changed = false;
    Object.keys(store.questions).forEach(function (id) {
      var to = aliases[id];
      if (!to || to === id) return;
      var record = store.questions[id];
      var have = store.questions[to];
      delete store.questions[id];
      if (!have || record.updated > have.updated) store.questions[to] = record;
      changed = true;
    });
    return changed;
  }

  function adopt(aliases) {
    var store = read();
    if (migrate(store, aliases)) write(store);
  }

  // A file's records merged into this browser's: for each question the newer record wins.
  function merge(incoming, aliases) {
    var store = read();
    migrate(store, aliases);
    migrate(incoming, aliases);
    var counts = { added: 0, updated: 0, kept: 0 };
    Object.keys(incoming.questions).forEach(function (id) {
      var record = incoming.questions[id];
      var have = store.questions[id];
      if (!have) counts.added += 1;
      else if (record.updated > have.updated) counts.updated += 1;
      else { counts.kept += 1; return; }
      store.questions[id] = record;
    });
    return write(store) ? counts : null;
  }

  function exportData() {
    var store = read();
    return { format: FORMAT, version: VERSION, exported: new Date().toISOString(), questions: store.questions };
  }

  function touch(record, now) {
    record.updated = Math.max(now, (record.updated || 0) + 1); // later than before, even within a millisecond
  }

  // A card FSRS has not seen yet, due at once (what ts-fsrs's createEmptyCard makes), so a topic page
  // can put a question into the review without loading the scheduler.
  function newCard(now) {
    return {
      due: new Date(now).toISOString(), stability: 0, difficulty: 0, elapsed_days: 0, scheduled_days: 0,
      learning_steps: 0, reps: 0, lapses: 0, state: 0
    };
  }

  // "known", "review" or null (neither). "Review again" puts the question into the review, due now;
  // "I know this" takes it out. A card never reviewed goes with the mark that made it; a reviewed one
  // keeps its history for when the question comes back.
  // Several questions at once are one read and one write of the store (one "hb-progress" event).
  function markAll(ids, status) {
    var store = read();
    var now = Date.now();
    var records = ids.map(function (id) {
      var record = store.questions[id] || {};
      if (status === "review") {
        if (!record.card) record.card = newCard(now);
        else if (Date.parse(record.card.due) > now) record.card.due = new Date(now).toISOString();
        record.status = "review";
      } else {
        if (record.card && !record.card.reps) delete record.card;
        if (status === "known") record.status = "known";
        else delete record.status;
      }
      touch(record, now);
      store.questions[id] = record;
      return record;
    });
    write(store);
    return records;
  }

  function mark(id, status) {
    return markAll([id], status)[0];
  }

  function saveReview(id, card, log) {
    var store = read();
    var record = store.questions[id] || {};
    record.status = "review";
    record.card = card;
    record.log = (record.log || []).concat([log]);
    touch(record, Date.now());
    store.questions[id] = record;
    write(store);
    return record;
  }

  function endOfToday() {
    var end = new Date();
    end.setHours(24, 0, 0, 0);
    return end.getTime();
  }

  function isDue(record, until) {
    return !!record && record.status === "review" && !!record.card && Date.parse(record.card.due) <= until;
  }

  function summary(ids, store) {
    store = store || read();
    var until = endOfToday();
    var out = { total: ids.length, known: 0, due: 0 };
    ids.forEach(function (id) {
      var record = store.questions[id];
      if (record && record.status === "known") out.known += 1;
      if (isDue(record, until)) out.due += 1;
    });
    return out;
  }

  // "in 3 days", "tomorrow", "in 10 minutes": when a question is due, for the reader.
  function when(time, now) {
    now = now || Date.now();
    var minutes = Math.round((time - now) / 60000);
    if (minutes <= 0) return "now";
    if (minutes < 60) return "in " + minutes + (minutes === 1 ? " minute" : " minutes");
    var hours = Math.round(minutes / 60);
    if (time < endOfToday()) return "in " + hours + (hours === 1 ? " hour" : " hours");
    var days = Math.max(1, Math.round((new Date(time).setHours(0, 0, 0, 0) - new Date(now).setHours(0, 0, 0, 0)) / DAY));
    return days === 1 ? "tomorrow" : "in " + days + " days";
  }

  // ---------------------------------------------------------------------------------------
  // The entry list (assets/entries.json): topics, and every id and old id of every entry

  function entries() {
    if (!entryList) {
      entryList = fetch(new URL("assets/entries.json", siteRoot())).then(function (response) {
        if (!response.ok) throw new Error("assets/entries.json: HTTP " + response.status);
        return response.json();
      }).then(function (data) {
        var aliases = {};
        var byTopic = {};
        data.entries.forEach(function (e) {
          (e.anchors || []).forEach(function (a) { aliases[a] = e.id; });
          (byTopic[e.topic] = byTopic[e.topic] || []).push(e.id);
        });
        adopt(aliases);
        return { topics: data.topics || [], entries: data.entries, aliases: aliases, byTopic: byTopic };
      });
      entryList.catch(function () { entryList = null; }); // let a later call try again
    }
    return entryList;
  }

  // On a topic page: each entry's id and old ids, from the page itself.
  function pageEntries() {
    var found = [];
    var aliases = {};
    document.querySelectorAll(".hb-entry").forEach(function (entry) {
      var heading = entry.querySelector("h3[id]");
      if (!heading) return;
      found.push({ id: heading.id, node: entry });
      entry.querySelectorAll("a[id]:empty").forEach(function (a) { aliases[a.id] = heading.id; });
    });
    return { entries: found, aliases: aliases };
  }

  // ---------------------------------------------------------------------------------------
  // Under each question of a topic page

  function markNote(record) {
    if (record && record.status === "known") return "Counted as known.";
    if (record && record.status === "review" && record.card) {
      var due = Date.parse(record.card.due);
      return due <= Date.now() ? "Due for review now." : "In your review, due " + when(due) + ".";
    }
    return "";
  }

  function fillMark(slot, id, store) {
    var record = store.questions[id];
    var status = record ? record.status : undefined;
    slot.querySelectorAll(".hb-mark").forEach(function (button) {
      button.setAttribute("aria-pressed", button.getAttribute("data-status") === status ? "true" : "false");
    });
    slot.querySelector(".hb-marks__note").textContent = markNote(record);
    var entry = slot.closest(".hb-entry");
    if (entry) entry.classList.toggle("hb-known", status === "known");
  }

  function buildMarks(slot, id) {
    var group = el("div", { class: "hb-marks", role: "group", "aria-label": "Your progress on this question" });
    [["known", "I know this", "\u2713"], ["review", "Review again", "\u21bb"]].forEach(function (spec) {
      var button = el("button", { type: "button", class: "hb-mark hb-mark--" + spec[0], "data-status": spec[0], "aria-pressed": "false" });
      button.appendChild(el("span", { class: "hb-mark__icon", "aria-hidden": "true" }, spec[2]));
      button.appendChild(document.createTextNode(spec[1]));
      button.addEventListener("click", function () {
        var pressed = button.getAttribute("aria-pressed") === "true";
        mark(id, pressed ? null : spec[0]);
      });
      group.appendChild(button);
    });
    group.appendChild(el("span", { class: "hb-marks__note" }));
    slot.appendChild(group);
  }

  function refreshMarks() {
    var store = read();
    document.querySelectorAll("[data-hb-mark]").forEach(function (slot) {
      if (slot.firstChild) fillMark(slot, slot.getAttribute("data-hb-mark"), store);
    });
  }

  // ---------------------------------------------------------------------------------------
  // A bar with "N of M known" (topic cards of the home page; the toolbar of a topic page)

  function progressLine(counts, reviewUrl) {
    var line = el("span", { class: "hb-progress" }); // a span: on the home page it sits in a card's paragraph
    var bar = el("span", { class: "hb-progress__bar", "aria-hidden": "true" });
    var fill = el("span", { class: "hb-progress__fill" });
    fill.style.width = (counts.total ? (100 * counts.known / counts.total) : 0).toFixed(1) + "%";
    bar.appendChild(fill);
    line.appendChild(bar);
    line.appendChild(el("span", { class: "hb-progress__text" }, counts.known + " of " + counts.total + " known"));
    if (counts.due) {
      var due = el("a", { class: "hb-progress__due", href: reviewUrl }, counts.due + " due for review");
      line.appendChild(due);
    }
    return line;
  }

  function reviewUrl() {
    return new URL("review/", siteRoot()).href;
  }

  function fillCards() {
    var cards = document.querySelectorAll("[data-hb-topic]");
    if (!cards.length) return;
    entries().then(function (list) {
      var store = read();
      cards.forEach(function (slot) {
        var ids = list.byTopic[slot.getAttribute("data-hb-topic")] || [];
        slot.textContent = "";
        slot.appendChild(progressLine(summary(ids, store), reviewUrl()));
      });
    }).catch(function () { /* no list: the cards keep their question counts only */ });
  }

  function start() {
    var onTopicPage = !!document.querySelector("[data-hb-tools][data-topic]");
    if (onTopicPage) {
      var page = pageEntries();
      adopt(page.aliases);
      document.querySelectorAll("[data-hb-mark]").forEach(function (slot) {
        if (!slot.firstChild) buildMarks(slot, slot.getAttribute("data-hb-mark"));
      });
      refreshMarks();
    }
    fillCards();
    window.addEventListener("hb-progress", function () { refreshMarks(); fillCards(); });
    window.addEventListener("storage", function (event) {
      if (event.key === KEY || event.key === null) window.dispatchEvent(new CustomEvent("hb-progress"));
    });
  }

  window.HandbookProgress = {
    FORMAT: FORMAT,
    VERSION: VERSION,
    read: read,
    validate: validate,
    merge: merge,
    exportData: exportData,
    mark: mark,
    markAll: markAll,
    saveReview: saveReview,
    isDue: isDue,
    endOfToday: endOfToday,
    summary: summary,
    when: when,
    entries: entries,
    pageEntries: pageEntries,
    progressLine: progressLine,
    reviewUrl: reviewUrl,
    siteRoot: siteRoot,
    el: el
  };

  // A plain script at the end of the body, like study.js: the buttons are in place before the first paint.
  var SCRIPT = document.currentScript;
  if (document.readyState !== "loading" || (SCRIPT && SCRIPT.parentNode === document.body)) {
    start();
  } else {
    document.addEventListener("DOMContentLoaded", start);
  }
})();
