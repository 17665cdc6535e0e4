/*
 * The review page (builder/render/review.py): spaced review in the browser, and the backup of the
 * reader's progress.
 *
 *  - Review: the questions due today in the chosen topics and levels, one at a time, earliest due
 *    first; the answer (key points and every source's answer, taken from the question's topic page)
 *    stays hidden until asked for; then Again / Hard / Good / Easy, scheduled by FSRS through ts-fsrs
 *    (assets/ts-fsrs/, loaded by this script on this page only). Keys: Space shows the answer, 1 to 4
 *    rate it. A question is in the review once marked "Review again" (progress.js) or added here.
 *  - Export and import: the store of progress.js as one versioned JSON file; an import is checked
 *    whole before anything changes, then merged (for each question the newer record wins).
 *
 * Everything works offline: the topic pages, entries.json and ts-fsrs come from this site.
 */
(function () {
  "use strict";

  var P = window.HandbookProgress;
  var review = document.querySelector("[data-hb-review]");
  var backup = document.querySelector("[data-hb-backup]");
  if (!P || (!review && !backup)) return;

  var LEVELS = ["beginner", "intermediate", "advanced"];
  var SCOPE = "hb.review-scope"; // {topics: [...], levels: [...]}; an empty list is all of them
  var NEW_AT_ONCE = 10;
  var MAX_FILE = 5 * 1024 * 1024;
  var RATINGS = [[1, "Again"], [2, "Hard"], [3, "Good"], [4, "Easy"]];
  var pages = {};
  var scheduler = null;
  var current = null; // {entry, shown}
  var timer = 0;
  var quiet = false; // this script is changing the store itself: its own refresh follows

  // A change of the store made here, without the refresh its "hb-progress" event would start.
  function change(fn) {
    quiet = true;
    try { return fn(); } finally { quiet = false; }
  }

  var el = P.el;

  function loadScope() {
    try {
      var stored = JSON.parse(window.localStorage.getItem(SCOPE) || "{}");
      return { topics: Array.isArray(stored.topics) ? stored.topics : [], levels: Array.isArray(stored.levels) ? stored.levels : [] };
    } catch (err) {
      return { topics: [], levels: [] };
    }
  }

  function saveScope(scope) {
    try { window.localStorage.setItem(SCOPE, JSON.stringify(scope)); } catch (err) { /* this visit only */ }
  }

  function inScope(entry, scope) {
    if (scope.topics.length && scope.topics.indexOf(entry.topic) < 0) return false;
    if (!scope.levels.length) return true;
    return entry.levels.some(function (l) { return scope.levels.indexOf(l) >= 0; });
  }

  // ts-fsrs's browser build, from this site, once.
  function fsrs() {
    if (!scheduler) {
      scheduler = new Promise(function (resolve, reject) {
        if (window.FSRS) return resolve(window.FSRS);
        var script = el("script", { src: new URL("assets/ts-fsrs/ts-fsrs.umd.js", P.siteRoot()).href });
        script.onload = function () { return window.FSRS ? resolve(window.FSRS) : reject(new Error("ts-fsrs did not load")); };
        script.onerror = function () { reject(new Error("ts-fsrs could not be loaded")); };
        document.head.appendChild(script);
      }).then(function (FSRS) {
        return { lib: FSRS, engine: FSRS.fsrs(FSRS.generatorParameters({})) };
      });
      scheduler.catch(function () { scheduler = null; });
    }
    return scheduler;
  }

  // ---------------------------------------------------------------------------------------
  // A question's content, from its topic page

  function topicPage(url) {
    if (!pages[url]) {
      pages[url] = fetch(url).then(function (response) {
        if (!response.ok) throw new Error(url + ": HTTP " + response.status);
        return response.text();
      }).then(function (text) {
        return new DOMParser().parseFromString(text, "text/html");
      });
      pages[url].catch(function () { delete pages[url]; });
    }
    return pages[url];
  }

  // Relative links of a topic page, made absolute so they still lead where they did from here.
  function rebase(node, base) {
    node.querySelectorAll("[href], [src]").forEach(function (n) {
      ["href", "src"].forEach(function (attr) {
        var value = n.getAttribute(attr);
        if (value !== null) n.setAttribute(attr, new URL(value, base).href);
      });
    });
    return node;
  }

  function content(entry) {
    var url = new URL(entry.url, P.siteRoot()).href;
    return topicPage(url).then(function (doc) {
      var target = doc.getElementById(entry.id);
      var node = target ? target.closest(".hb-entry") : null;
      if (!node) throw new Error("question not found on its page");
      var heading = node.querySelector("h3").cloneNode(true);
      heading.querySelectorAll(".headerlink").forEach(function (a) { a.remove(); });
      var answer = node.querySelector(".hb-answer");
      var badge = node.querySelector(".hb-level");
      return {
        question: heading.innerHTML,
        badge: badge ? badge.cloneNode(true) : null,
        answer: answer ? rebase(answer.cloneNode(true), url) : el("p", {}, "No answer on the page."),
        url: url + "#" + encodeURIComponent(entry.id)
      };
    });
  }

  // ---------------------------------------------------------------------------------------
  // The review

  var ui = {};

  function dueNow(list, scope, store, now) {
    return list.entries.filter(function (e) {
      var record = store.questions[e.id];
      return inScope(e, scope) && P.isDue(record, now);
    }).sort(function (a, b) {
      return Date.parse(store.questions[a.id].card.due) - Date.parse(store.questions[b.id].card.due);
    });
  }

  function scheduleCounts(list, scope, store) {
    var now = Date.now();
    var today = P.endOfToday();
    var counts = { now: 0, today: 0, tomorrow: 0, week: 0, later: 0, next: null };
    list.entries.forEach(function (e) {
      var record = store.questions[e.id];
      if (!inScope(e, scope) || !record || record.status !== "review" || !record.card) return;
      var due = Date.parse(record.card.due);
      if (due <= now) counts.now += 1;
      else {
        if (due <= today) counts.today += 1;
        else if (due <= today + 86400000) counts.tomorrow += 1;
        else if (due <= today + 7 * 86400000) counts.week += 1;
        else counts.later += 1;
        if (counts.next === null || due < counts.next) counts.next = due;
      }
    });
    return counts;
  }

  function renderSchedule(counts) {
    ui.schedule.textContent = "";
    var rows = [["Due now", counts.now], ["Later today", counts.today], ["Tomorrow", counts.tomorrow], ["In the next 7 days", counts.week], ["Later", counts.later]];
    rows.forEach(function (row) {
      var item = el("li", {});
      item.appendChild(el("span", { class: "hb-schedule__count" }, String(row[1])));
      item.appendChild(document.createTextNode(" " + row[0].toLowerCase()));
      ui.schedule.appendChild(item);
    });
  }

  function chooser(list, scope, store) {
    var box = el("details", { class: "hb-review__choose" });
    var label = scope.topics.length ? scope.topics.length + (scope.topics.length === 1 ? " topic" : " topics") : "all topics";
    var levels = scope.levels.length ? scope.levels.join(", ") : "all levels";
    box.appendChild(el("summary", {}, "Reviewing " + label + ", " + levels + " (change)"));

    var topics = el("fieldset", { class: "hb-review__topics" });
    topics.appendChild(el("legend", {}, "Topics (none ticked: all)"));
    list.topics.forEach(function (t) {
      var due = P.summary(list.byTopic[t.slug] || [], store).due;
      var item = el("label", {});
      var input = el("input", { type: "checkbox", value: t.slug });
      input.checked = scope.topics.indexOf(t.slug) >= 0;
      input.addEventListener("change", function () {
        var s = loadScope();
        s.topics = input.checked ? s.topics.concat([t.slug]) : s.topics.filter(function (x) { return x !== t.slug; });
        saveScope(s);
        refresh(false);
      });
      item.appendChild(input);
      item.appendChild(document.createTextNode(" " + t.title + (due ? " (" + due + " due)" : "")));
      topics.appendChild(item);
    });
    box.appendChild(topics);

    var lv = el("fieldset", { class: "hb-review__levels" });
    lv.appendChild(el("legend", {}, "Levels (none ticked: all)"));
    LEVELS.forEach(function (l) {
      var item = el("label", {});
      var input = el("input", { type: "checkbox", value: l });
      input.checked = scope.levels.indexOf(l) >= 0;
      input.addEventListener("change", function () {
        var s = loadScope();
        s.levels = input.checked ? s.levels.concat([l]) : s.levels.filter(function (x) { return x !== l; });
        saveScope(s);
        refresh(false);
      });
      item.appendChild(input);
      item.appendChild(document.createTextNode(" " + l.charAt(0).toUpperCase() + l.slice(1)));
      lv.appendChild(item);
    });
    box.appendChild(lv);
    return box;
  }

  function shortInterval(due, now) {
    var minutes = Math.max(1, Math.round((due - now) / 60000));
    if (minutes < 60) return minutes + " min";
    var hours = Math.round(minutes / 60);
    if (hours < 24) return hours + " h";
    var days = Math.round(hours / 24);
    if (days < 60) return days + (days === 1 ? " day" : " days");
    var months = Math.round(days / 30);
    return months < 24 ? months + " months" : Math.round(days / 365) + " years";
  }

  function plain(value) {
    return JSON.parse(JSON.stringify(value)); // Dates become ISO strings, as the store keeps them
  }

  function rate(entry, grade) {
    var store = P.read();
    var record = store.questions[entry.id];
    if (!record || !record.card) return;
    fsrs().then(function (s) {
      var now = new Date();
      var result = s.engine.next(record.card, now, grade);
      var saved = change(function () { return P.saveReview(entry.id, plain(result.card), plain(result.log)); });
      ui.status.textContent = "Rated " + RATINGS[grade - 1][1] + ": this question comes back " + P.when(Date.parse(saved.card.due)) + ".";
      current = null;
      refresh(true);
    }).catch(function () {
      ui.status.textContent = "The scheduler (ts-fsrs) could not be loaded; reload the page to try again.";
    });
  }

  function showAnswer() {
    if (!current || current.shown) return;
    current.shown = true;
    ui.card.querySelector(".hb-review__reveal").hidden = true;
    var answer = ui.card.querySelector(".hb-review__answer");
    answer.hidden = false;
    ui.card.querySelector(".hb-review__rate").hidden = false;
    answer.focus();
  }

  function showCard(entry, list) {
    var record = P.read().questions[entry.id];
    current = { entry: entry, shown: false };
    ui.card.textContent = "";
    var topic = list.topics.filter(function (t) { return t.slug === entry.topic; })[0];
    var meta = el("p", { class: "hb-review__meta" }, topic ? topic.title : "");
    var question = el("h2", { class: "hb-review__question", tabindex: "-1" }, "Loading the question…");
    var reveal = el("button", { type: "button", class: "md-button md-button--primary hb-review__reveal", "aria-expanded": "false", "aria-controls": "hb-review-answer" }, "Show answer");
    reveal.addEventListener("click", function () { reveal.setAttribute("aria-expanded", "true"); showAnswer(); });
    var answer = el("div", { class: "hb-review__answer", id: "hb-review-answer", tabindex: "-1", role: "region", "aria-label": "Answer" });
    answer.hidden = true;
    var ratings = el("div", { class: "hb-review__rate", role: "group", "aria-label": "How well did you know it?" });
    ratings.hidden = true;
    ui.card.appendChild(meta);
    ui.card.appendChild(question);
    ui.card.appendChild(reveal);
    ui.card.appendChild(answer);
    ui.card.appendChild(ratings);
    ui.card.appendChild(el("p", { class: "hb-review__keys" }, "Keys: Space shows the answer; 1 Again, 2 Hard, 3 Good, 4 Easy."));

    fsrs().then(function (s) {
      var now = new Date();
      var preview = s.engine.repeat(record.card, now);
      RATINGS.forEach(function (spec) {
        var due = preview[spec[0]].card.due.getTime();
        var button = el("button", { type: "button", class: "hb-rate hb-rate--" + spec[1].toLowerCase(), "data-rating": String(spec[0]), "aria-keyshortcuts": String(spec[0]) });
        button.appendChild(el("span", { class: "hb-rate__label" }, spec[1]));
        button.appendChild(el("span", { class: "hb-rate__when" }, shortInterval(due, now.getTime())));
        button.addEventListener("click", function () { rate(entry, spec[0]); });
        ratings.appendChild(button);
      });
    }).catch(function () {
      ratings.appendChild(el("p", {}, "The scheduler (ts-fsrs) could not be loaded; reload the page to try again."));
    });

    content(entry).then(function (c) {
      if (!current || current.entry !== entry) return;
      question.innerHTML = c.question;
      if (c.badge) meta.appendChild(c.badge);
      answer.appendChild(c.answer);
      var open = el("p", { class: "hb-review__open" });
      open.appendChild(el("a", { href: c.url }, "Open this question on its topic page"));
      answer.appendChild(open);
      question.focus();
    }).catch(function () {
      question.textContent = "This question could not be loaded from its topic page.";
    });
  }

  function addNew(list, scope, store) {
    var picked = list.entries.filter(function (e) {
      return inScope(e, scope) && !store.questions[e.id];
    }).slice(0, NEW_AT_ONCE);
    change(function () { P.markAll(picked.map(function (e) { return e.id; }), "review"); });
    return picked.length;
  }

  function showEmpty(list, scope, store, counts) {
    current = null;
    ui.card.textContent = "";
    var text = "No question is due in the chosen topics and levels.";
    if (counts.next !== null) text += " The next comes back " + P.when(counts.next) + ".";
    ui.card.appendChild(el("p", { class: "hb-review__empty" }, text));
    var fresh = list.entries.filter(function (e) { return inScope(e, scope) && !store.questions[e.id]; }).length;
    if (fresh) {
      var add = el("button", { type: "button", class: "md-button hb-review__add" }, "Add " + Math.min(NEW_AT_ONCE, fresh) + " new questions to review");
      add.addEventListener("click", function () {
        var n = addNew(list, loadScope(), P.read());
        ui.status.textContent = n + " new questions added to your review.";
        refresh(true);
      });
      ui.card.appendChild(add);
      ui.card.appendChild(el("p", { class: "hb-review__hint" }, "Or press “Review again” under any question on its topic page. " + fresh + " questions of the chosen topics are not in your review yet."));
    } else {
      ui.card.appendChild(el("p", { class: "hb-review__hint" }, "Every question of the chosen topics is in your review or marked known."));
    }
    // A question in its learning steps comes back within minutes: show it when it does.
    window.clearTimeout(timer);
    if (counts.next !== null && counts.next - Date.now() < 30 * 60000) {
      timer = window.setTimeout(function () { refresh(true); }, Math.max(1000, counts.next - Date.now() + 500));
    }
  }

  function refresh(nextCard) {
    if (!review) return;
    P.entries().then(function (list) {
      var scope = loadScope();
      var store = P.read();
      var due = dueNow(list, scope, store, Date.now());
      var counts = scheduleCounts(list, scope, store);
      var open = ui.choose && ui.choose.open;
      var choose = chooser(list, scope, store);
      choose.open = !!open;
      ui.choose.replaceWith(choose);
      ui.choose = choose;
      ui.count.textContent = due.length
        ? due.length + (due.length === 1 ? " question" : " questions") + " due now in the chosen topics and levels."
        : "Nothing due now in the chosen topics and levels.";
      renderSchedule(counts);
      if (current && !nextCard && due.some(function (e) { return e.id === current.entry.id; })) return; // keep the open question
      if (due.length) showCard(due[0], list);
      else showEmpty(list, scope, store, counts);
    }).catch(function () {
      ui.card.textContent = "The list of questions (assets/entries.json) could not be loaded.";
    }).then(function () {
      // Shown once filled, into the space the stylesheet keeps for it: nothing on the page moves.
      if (!ui.box.isConnected) review.appendChild(ui.box);
    });
  }

  function buildReview() {
    var box = ui.box = el("section", { class: "hb-review", "aria-label": "Review" });
    ui.choose = el("details", { class: "hb-review__choose" });
    ui.count = el("p", { class: "hb-review__count" });
    ui.status = el("p", { class: "hb-review__status", role: "status", "aria-live": "polite" });
    ui.card = el("div", { class: "hb-review__card" });
    var aside = el("div", { class: "hb-review__schedule-box" });
    aside.appendChild(el("p", { class: "hb-review__schedule-title" }, "Your review schedule"));
    ui.schedule = el("ul", { class: "hb-schedule" });
    aside.appendChild(ui.schedule);
    [ui.choose, ui.count, ui.status, ui.card, aside].forEach(function (n) { box.appendChild(n); });
    document.addEventListener("keydown", function (event) {
      if (!current || event.altKey || event.ctrlKey || event.metaKey) return;
      var tag = event.target.tagName;
      if (["INPUT", "SELECT", "TEXTAREA", "BUTTON", "SUMMARY", "A"].indexOf(tag) >= 0) return;
      if (event.key === " " && !current.shown) {
        event.preventDefault();
        showAnswer();
      } else if (current.shown && /^[1-4]$/.test(event.key)) {
        event.preventDefault();
        rate(current.entry, Number(event.key));
      }
    });
    window.addEventListener("hb-progress", function () { if (!quiet) refresh(false); });
    refresh(true);
  }

  // ---------------------------------------------------------------------------------------
  // Export and import

  function exportProgress(message) {
    var data = P.exportData();
    var blob = new Blob([JSON.stringify(data, null, 1) + "\n"], { type: "application/json" });
    var link = el("a", { href: URL.createObjectURL(blob), download: "llm-interview-handbook-progress-" + data.exported.slice(0, 10) + ".json" });
    document.body.appendChild(link);
    link.click();
    link.remove();
    window.setTimeout(function () { URL.revokeObjectURL(link.href); }, 10000);
    var n = Object.keys(data.questions).length;
    message.className = "hb-backup__message";
    message.textContent = "Exported " + n + (n === 1 ? " question" : " questions") + " to " + link.getAttribute("download") + ".";
  }

  function importProgress(file, message) {
    function fail(text) {
      message.className = "hb-backup__message hb-backup__message--error";
      message.textContent = text + " Nothing was changed.";
    }
    if (file.size > MAX_FILE) return fail("“" + file.name + "” is too large to be a progress file.");
    file.text().then(function (text) {
      var data;
      try {
        data = JSON.parse(text);
      } catch (err) {
        return fail("“" + file.name + "” is not a JSON file (" + err.message + ").");
      }
      var checked = P.validate(data);
      if (checked.error) return fail("“" + file.name + "” cannot be imported: " + checked.error);
      return P.entries().then(function (list) { return list.aliases; }, function () { return {}; }).then(function (aliases) {
        var counts = P.merge(checked.store, aliases);
        if (!counts) return fail("This browser does not let the page keep data.");
        message.className = "hb-backup__message";
        message.textContent = "Imported “" + file.name + "”: " + counts.added + " new, " + counts.updated + " updated, " +
          counts.kept + " kept as they were here (newer or the same).";
      });
    }, function () {
      fail("“" + file.name + "” could not be read.");
    });
  }

  function buildBackup() {
    var box = el("div", { class: "hb-backup" });
    var message = el("p", { class: "hb-backup__message", role: "status", "aria-live": "polite" });
    var exportButton = el("button", { type: "button", class: "md-button md-button--primary hb-export" }, "Export progress");
    exportButton.addEventListener("click", function () { exportProgress(message); });
    var input = el("input", { type: "file", id: "hb-import-file", class: "hb-import__file", accept: ".json,application/json" });
    var label = el("label", { for: "hb-import-file", class: "md-button hb-import" }, "Import progress…");
    input.addEventListener("change", function () {
      if (input.files && input.files[0]) importProgress(input.files[0], message);
      input.value = "";
    });
    [exportButton, input, label, message].forEach(function (n) { box.appendChild(n); });
    backup.appendChild(box);
  }

  if (backup) buildBackup();
  if (review) buildReview();
})();
