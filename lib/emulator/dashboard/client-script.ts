// The dashboard page's script: plain browser JavaScript, no dependencies, inlined into the page so
// the package serves it and the page makes no request to any other origin. Kept free of
// template-literal syntax so it can live in this String.raw string unchanged.

/** The page script (vanilla JavaScript, run in the browser). */
export const DASHBOARD_SCRIPT = String.raw`
(function () {
  "use strict";
  var API = "/_dashboard/api";
  var PAGE_SIZE = 50;
  var token = document.querySelector('meta[name="dashboard-token"]').getAttribute("content");
  var config = JSON.parse(document.getElementById("dashboard-config").textContent);
  var state = { type: "", outcome: "", search: "", all: 0, before: null, cursors: [], page: [], hasMore: false, total: 0, selected: null, openAttempts: {} };
  var $ = function (id) { return document.getElementById(id); };

  function api(method, path, body) {
    var headers = { "x-cactus-dashboard-token": token };
    var init = { method: method, headers: headers };
    if (body !== undefined) {
      headers["content-type"] = "application/json";
      init.body = JSON.stringify(body);
    }
    return fetch(API + path, init).then(function (res) {
      return res.json().then(function (json) { return { status: res.status, body: json }; });
    });
  }

  // Builds an element; strings become text nodes, so no data is ever parsed as HTML.
  function el(tag, attrs, children) {
    var node = document.createElement(tag);
    Object.keys(attrs || {}).forEach(function (name) {
      var value = attrs[name];
      if (value === false || value === null || value === undefined) return;
      if (name === "text") node.textContent = value;
      else node.setAttribute(name, value === true ? "" : String(value));
    });
    (children || []).forEach(function (child) {
      if (child === null || child === undefined) return;
      node.appendChild(typeof child === "string" ? document.createTextNode(child) : child);
    });
    return node;
  }

  function time(iso) {
    return iso ? new Date(iso).toLocaleTimeString() : "";
  }

  function announce(text) {
    $("announce").textContent = text;
  }

  function outcomeBadge(outcome) {
    return el("span", { "class": "outcome outcome-" + outcome, text: outcome.replace("_", " ") });
  }

  function statusText(status) {
    return status === null || status === undefined ? "no answer" : String(status);
  }

  // ---- the list ----
  function loadPage() {
    var query = "?limit=" + PAGE_SIZE;
    if (state.type) query += "&type=" + encodeURIComponent(state.type);
    if (state.outcome) query += "&outcome=" + encodeURIComponent(state.outcome);
    if (state.search) query += "&search=" + encodeURIComponent(state.search);
    if (state.before !== null) query += "&before=" + state.before;
    return api("GET", "/events" + query).then(function (res) {
      if (res.status !== 200) return;
      state.page = res.body.data;
      state.hasMore = res.body.hasMore;
      state.total = res.body.total;
      state.all = res.body.all;
      renderTypeOptions(res.body.types);
      renderList();
    });
  }

  // The type filter lists the types of the events kept (unknown ones included), and the chosen one.
  function renderTypeOptions(types) {
    var select = $("filter-type");
    var wanted = types.slice();
    if (state.type && wanted.indexOf(state.type) < 0) wanted.push(state.type);
    var shown = Array.prototype.slice.call(select.options, 1).map(function (option) { return option.value; });
    if (shown.join("\n") === wanted.join("\n")) return;
    select.replaceChildren.apply(select, [el("option", { value: "", text: "all" })].concat(wanted.map(function (type) { return el("option", { value: type, text: type }); })));
    select.value = state.type;
  }

  function filtersText() {
    var parts = [];
    if (state.type) parts.push("type " + state.type);
    if (state.outcome) parts.push("outcome " + state.outcome.replace("_", " "));
    if (state.search) parts.push("id containing \u201c" + state.search + "\u201d");
    return parts.join(", ");
  }

  function renderList() {
    var list = $("events");
    var focusedId = document.activeElement && document.activeElement.getAttribute("data-id");
    list.replaceChildren();
    state.page.forEach(function (event) {
      var related = event.relatedObject ? event.relatedObject.type + " " + event.relatedObject.id : "no related object";
      var last = event.attemptCount === 0 ? "" : " \u00b7 " + statusText(event.lastStatus) + " \u00b7 " + event.attemptCount + " attempt(s)";
      var button = el("button", { type: "button", "data-id": event.id, "aria-current": event.id === state.selected ? "true" : false }, [
        el("span", { "class": "id", text: event.id }),
        outcomeBadge(event.outcome),
        el("span", { text: event.type }),
        el("span", { "class": "meta", text: time(event.created) }),
        el("span", { "class": "meta", text: related + last }),
      ]);
      list.appendChild(el("li", { "data-outcome": event.outcome }, [button]));
    });
    var first = state.cursors.length * PAGE_SIZE;
    var filtered = filtersText();
    $("count").textContent = state.total === 0
      ? (state.all === 0 ? "No events yet. Trigger one, or create one in code." : "No events match " + filtered + " (" + state.all + " event(s) in all).")
      : "Showing " + (first + 1) + "-" + (first + state.page.length) + " of " + state.total + " event(s)" + (filtered ? " matching " + filtered : "") + ", newest first";
    $("clear-filters").hidden = filtered === "";
    $("newer").disabled = state.cursors.length === 0;
    $("older").disabled = !state.hasMore;
    if (focusedId) {
      var again = list.querySelector('button[data-id="' + CSS.escape(focusedId) + '"]');
      if (again) again.focus();
    }
  }

  var reloadTimer = null;
  function reloadSoon() {
    if (reloadTimer !== null) return;
    reloadTimer = setTimeout(function () {
      reloadTimer = null;
      loadPage();
    }, 100);
  }

  // ---- the detail pane ----
  // An event's detail is built once when it is selected (its bodies, the pulled event, the editor,
  // the curl command); later updates only redraw its outcome and attempts, so an open editor,
  // a collapsed section or the focus survive a retry arriving.
  var detail = { id: null, editing: false };

  function loadDetail(id) {
    return api("GET", "/events/" + encodeURIComponent(id)).then(function (res) {
      if (res.status !== 200 || state.selected !== id) return;
      if (detail.id !== id) renderDetail(res.body);
      else renderLive(res.body);
    });
  }

  function headersText(headers) {
    return Object.keys(headers).map(function (name) { return name + ": " + headers[name]; }).join("\n");
  }

  // JSON, pretty-printed as a tree of collapsible objects and arrays. Each line is its own block
  // with a hanging indent; lines wrap at spaces between tokens, never inside a short token.
  function jsonNode(key, value, last) {
    var head = key === null ? [] : [el("span", { "class": "json-key", text: JSON.stringify(key) }), ": "];
    var comma = last ? "" : ",";
    if (value !== null && typeof value === "object") {
      var isArray = Array.isArray(value);
      var keys = isArray ? value.map(function (_item, index) { return index; }) : Object.keys(value);
      var open = isArray ? "[" : "{";
      var close = isArray ? "]" : "}";
      if (keys.length === 0) return el("div", { "class": "json-line" }, head.concat([open + close + comma]));
      var children = keys.map(function (child, index) { return jsonNode(isArray ? null : child, value[child], index === keys.length - 1); });
      return el("details", { "class": "json-node", open: true }, [
        el("summary", { "class": "json-line", "data-hidden": keys.length + (isArray ? " item(s) " : " key(s) ") + close + comma }, head.concat([open])),
        el("div", { "class": "json-children" }, children),
        el("div", { "class": "json-line" }, [close + comma]),
      ]);
    }
    var kind = value === null ? "null" : typeof value;
    return el("div", { "class": "json-line" }, head.concat([el("span", { "class": "json-" + kind, text: JSON.stringify(value) }), comma]));
  }

  // The text as a JSON tree when it is JSON, else as it is.
  function jsonBlock(text, className) {
    var value;
    try {
      value = JSON.parse(text);
    } catch (error) {
      return el("pre", { "class": className, text: text });
    }
    return el("div", { "class": className + " json" }, [jsonNode(null, value, true)]);
  }

  function section(id, title, content, open) {
    return el("details", { "class": "section", id: id, open: open !== false }, [el("summary", {}, [el("h3", { text: title })])].concat(content));
  }

  function renderAttempt(attempt, newest) {
    var status = attempt.response ? attempt.response.status : null;
    var summary = el("summary", {}, [
      "Attempt " + attempt.attempt + " (" + attempt.trigger + ") \u00b7 ",
      el("span", { "class": attempt.succeeded ? "status-ok" : "status-bad", "data-status": statusText(status), text: statusText(status) }),
      " \u00b7 " + attempt.latencyMs + " ms \u00b7 " + time(attempt.startedAt),
      attempt.edited ? el("span", { "class": "edited-badge", title: "Replay with edits: the body sent is not the event's own", text: "edited" }) : null,
      attempt.nextRetryAt ? el("span", { "class": "next-retry", text: " \u00b7 next retry at " + time(attempt.nextRetryAt) }) : null,
    ]);
    var response = attempt.response
      ? [
          el("h3", { text: "Response " + attempt.response.status }),
          el("pre", { "class": "response-headers", text: headersText(attempt.response.headers) }),
          attempt.response.bodyTruncated
            ? el("pre", { "class": "response-body", text: attempt.response.body + "\n[truncated]" })
            : jsonBlock(attempt.response.body, "response-body"),
        ]
      : [];
    var open = state.openAttempts[attempt.attempt] !== undefined ? state.openAttempts[attempt.attempt] : newest;
    var details = el("details", { "class": "attempt", "data-attempt": attempt.attempt, open: open }, [
      summary,
      attempt.detail ? el("p", { "class": "attempt-detail" }, [el("strong", { text: "Cause: " }), attempt.detail]) : null,
      attempt.error ? el("p", { "class": "status-bad", text: attempt.error }) : null,
      el("h3", { text: "Request " + attempt.request.method + " " + attempt.request.url + (attempt.edited ? " (edited body)" : "") }),
      el("pre", { "class": "request-headers", text: headersText(attempt.request.headers) }),
      jsonBlock(attempt.request.body, "request-body"),
    ].concat(response));
    details.addEventListener("toggle", function () { state.openAttempts[attempt.attempt] = details.open; });
    return details;
  }

  function renderLive(event) {
    $("detail-outcome").replaceChildren(outcomeBadge(event.outcome));
    if (event.nextRetryAt) $("detail-outcome").appendChild(el("span", { id: "detail-next-retry", text: " \u00b7 next retry at " + time(event.nextRetryAt) }));
    var attempts = event.attempts.slice().reverse().map(function (attempt, index) { return renderAttempt(attempt, index === 0); });
    $("attempts-title").textContent = event.attempts.length === 0 ? "No delivery attempts" : "Delivery attempts, newest first";
    $("attempts").replaceChildren.apply($("attempts"), attempts);
  }

  function pretty(text) {
    try {
      return JSON.stringify(JSON.parse(text), null, 2);
    } catch (error) {
      return text;
    }
  }

  function renderDetail(event) {
    detail.id = event.id;
    var forwarding = config.forwardingTo !== null;
    var replay = el("button", { type: "button", id: "replay", disabled: !forwarding }, ["Replay"]);
    var edit = el("button", { type: "button", id: "replay-edit", disabled: !forwarding, "aria-expanded": "false", "aria-controls": "replay-editor" }, ["Replay with edits"]);
    var copy = el("button", { type: "button", id: "copy-curl", disabled: !forwarding }, ["Copy as curl"]);
    var editor = el("div", { id: "replay-editor", hidden: true }, [
      el("label", { "for": "replay-body", text: "Body to send (signed afresh; the attempt is marked edited)" }),
      el("textarea", { id: "replay-body", spellcheck: "false" }),
      el("div", { "class": "actions" }, [
        el("button", { type: "button", id: "replay-edited-send" }, ["Send edited"]),
        el("button", { type: "button", id: "replay-edit-cancel" }, ["Cancel"]),
      ]),
    ]);
    var curlOut = el("div", { id: "curl" });
    replay.addEventListener("click", function () {
      replay.disabled = true;
      api("POST", "/events/" + encodeURIComponent(event.id) + "/replay", {}).then(function (res) {
        announce(res.status === 200 ? "Replayed: " + statusText(res.body.attempt.response && res.body.attempt.response.status) : res.body.error.message);
        replay.disabled = false;
        return loadDetail(event.id);
      });
    });
    edit.addEventListener("click", function () {
      var opening = editor.hidden;
      editor.hidden = !opening;
      edit.setAttribute("aria-expanded", opening ? "true" : "false");
      if (opening) {
        if ($("replay-body").value === "") $("replay-body").value = pretty(event.body);
        $("replay-body").focus();
      }
    });
    editor.querySelector("#replay-edit-cancel").addEventListener("click", function () {
      editor.hidden = true;
      edit.setAttribute("aria-expanded", "false");
      edit.focus();
    });
    editor.querySelector("#replay-edited-send").addEventListener("click", function () {
      var send = $("replay-edited-send");
      send.disabled = true;
      api("POST", "/events/" + encodeURIComponent(event.id) + "/replay", { body: $("replay-body").value }).then(function (res) {
        send.disabled = false;
        announce(res.status === 200 ? "Replayed with edits: " + statusText(res.body.attempt.response && res.body.attempt.response.status) : res.body.error.message);
        return loadDetail(event.id);
      });
    });
    copy.addEventListener("click", function () {
      api("POST", "/events/" + encodeURIComponent(event.id) + "/curl", {}).then(function (res) {
        if (res.status !== 200) {
          curlOut.replaceChildren(el("p", { "class": "status-bad", text: res.body.error.message }));
          return;
        }
        var note = el("p", { "class": "note", id: "curl-note", text: "Signed at " + time(new Date(res.body.timestamp * 1000).toISOString()) + ": the endpoint accepts it within its tolerance (5 minutes by default). The secret is only in the signature." });
        curlOut.replaceChildren(el("pre", { id: "curl-command", text: res.body.command }), note);
        var copied = function (ok) { note.textContent = (ok ? "Copied. " : "Select and copy it. ") + note.textContent; };
        if (navigator.clipboard && navigator.clipboard.writeText) navigator.clipboard.writeText(res.body.command).then(function () { copied(true); }, function () { copied(false); });
        else copied(false);
      });
    });
    var payloads = el("div", { "class": "payloads" }, [
      section("detail-thin", "Thin event (what is delivered)", [jsonBlock(event.body, "detail-body")]),
      section("detail-pulled", "Pulled event (pull())", [el("p", { "class": "note", text: "loading..." })]),
      section("detail-related", "Related object (fetchRelatedObject())", [el("p", { "class": "note", text: "loading..." })]),
    ]);
    $("detail").replaceChildren(
      el("h2", { id: "detail-title", tabindex: "-1", text: event.type + " " + event.id }),
      el("p", { id: "detail-outcome" }),
      el("div", { "class": "actions" }, [replay, edit, copy, forwarding ? null : el("span", { "class": "note", text: "Replay and Copy as curl need cactus listen --forward-to" })]),
      editor,
      curlOut,
      payloads,
      el("h3", { id: "attempts-title" }),
      el("div", { id: "attempts" })
    );
    renderLive(event);
    api("GET", "/events/" + encodeURIComponent(event.id) + "/context").then(function (res) {
      if (res.status !== 200 || detail.id !== event.id) return;
      var pulled = res.body.event;
      var related = res.body.relatedObject;
      $("detail-pulled").replaceChildren($("detail-pulled").firstChild,
        pulled ? el("div", { "class": "pulled-event json" }, [jsonNode(null, pulled, true)]) : el("p", { "class": "note", text: "The emulator has no such event: pull() would answer 404." }));
      $("detail-related").replaceChildren($("detail-related").firstChild,
        related ? el("div", { "class": "related-object json" }, [jsonNode(null, related, true)])
          : el("p", { "class": "note", text: pulled && pulled.related_object ? "The emulator has no " + pulled.related_object.type + " " + pulled.related_object.id + ": fetchRelatedObject() would answer 404." : "No related object." }));
    });
  }

  function select(id) {
    if (state.selected !== id) {
      state.openAttempts = {};
      detail.id = null;
    }
    dead.selected = null;
    state.selected = id;
    Array.prototype.forEach.call($("events").querySelectorAll("button"), function (button) {
      button.setAttribute("aria-current", button.getAttribute("data-id") === id ? "true" : "false");
    });
    return loadDetail(id);
  }

  // ---- wiring ----
  $("events").addEventListener("click", function (event) {
    var button = event.target.closest("button[data-id]");
    if (button) select(button.getAttribute("data-id"));
  });
  // Arrow keys, Home and End move the focus through a list's buttons.
  function arrowKeys(listId, selector) {
    $(listId).addEventListener("keydown", function (event) {
      var buttons = Array.prototype.slice.call($(listId).querySelectorAll(selector));
      var index = buttons.indexOf(document.activeElement);
      var next = { ArrowDown: index + 1, ArrowUp: index - 1, Home: 0, End: buttons.length - 1 }[event.key];
      if (next === undefined || buttons.length === 0) return;
      event.preventDefault();
      buttons[Math.max(0, Math.min(buttons.length - 1, next))].focus();
    });
  }
  arrowKeys("events", "button");
  $("filter-type").addEventListener("change", function (event) { state.type = event.target.value; resetPaging(); });
  $("filter-outcome").addEventListener("change", function (event) { state.outcome = event.target.value; resetPaging(); });
  var searchTimer = null;
  $("filter-search").addEventListener("input", function (event) {
    if (searchTimer !== null) clearTimeout(searchTimer);
    searchTimer = setTimeout(function () {
      searchTimer = null;
      state.search = event.target.value.trim();
      resetPaging();
    }, 150);
  });
  $("clear-filters").addEventListener("click", function () {
    state.type = "";
    state.outcome = "";
    state.search = "";
    $("filter-type").value = "";
    $("filter-outcome").value = "";
    $("filter-search").value = "";
    resetPaging();
  });
  $("older").addEventListener("click", function () {
    var last = state.page[state.page.length - 1];
    if (!last) return;
    state.cursors.push(state.before);
    state.before = last.seq;
    loadPage();
  });
  $("newer").addEventListener("click", function () {
    state.before = state.cursors.length > 0 ? state.cursors.pop() : null;
    loadPage();
  });

  function resetPaging() {
    state.before = null;
    state.cursors = [];
    loadPage();
  }

  function sampleFor(type) {
    var row = config.eventTypes.filter(function (candidate) { return candidate.type === type; })[0];
    return JSON.stringify(row ? row.sampleData : {}, null, 2);
  }
  $("trigger-type").addEventListener("change", function (event) { $("trigger-data").value = sampleFor(event.target.value); });
  $("trigger-data").value = sampleFor($("trigger-type").value);

  function showErrors(lines) {
    $("trigger-errors").replaceChildren.apply($("trigger-errors"), lines.map(function (line) { return el("li", { text: line }); }));
  }

  $("trigger-form").addEventListener("submit", function (event) {
    event.preventDefault();
    $("trigger-result").textContent = "";
    var data;
    try {
      data = JSON.parse($("trigger-data").value);
    } catch (error) {
      showErrors(["data: not valid JSON (" + error.message + ")"]);
      return;
    }
    api("POST", "/trigger", { type: $("trigger-type").value, data: data }).then(function (res) {
      if (res.status === 201) {
        showErrors([]);
        $("trigger-result").textContent = "Triggered " + res.body.event.id;
        select(res.body.event.id);
        return;
      }
      var issues = res.body.error.issues;
      showErrors(issues ? issues.map(function (issue) { return issue.path + ": " + issue.message; }) : [res.body.error.message]);
    });
  });

  $("fail-form").addEventListener("submit", function (event) {
    event.preventDefault();
    var body = {};
    if ($("fail-status").value !== "") body.status = Number($("fail-status").value);
    if ($("fail-times").value !== "") body.times = Number($("fail-times").value);
    if ($("fail-retry-after").value !== "") body.retryAfter = $("fail-retry-after").value;
    if ($("fail-latency").value !== "") body.latencyMs = Number($("fail-latency").value);
    api("POST", "/fail-next", body).then(function (res) {
      if (res.status !== 200) {
        $("fail-result").textContent = res.body.error.message;
        return;
      }
      var parts = [];
      if (res.body.failNext) parts.push("next " + res.body.failNext.times + " API request(s) answer " + res.body.failNext.status);
      if (res.body.latencyMs !== null) parts.push("latency " + res.body.latencyMs + " ms");
      $("fail-result").textContent = "Set: " + parts.join("; ");
    });
  });

  // ---- dead letters (only when a queue is attached: cactus listen --redis) ----
  var dead = { letters: [], selected: null, timer: null };

  function showTab(name) {
    var deadShown = name === "dead-letters";
    $("events-tab").setAttribute("aria-selected", deadShown ? "false" : "true");
    $("events-tab").tabIndex = deadShown ? -1 : 0;
    $("dead-letters-tab").setAttribute("aria-selected", deadShown ? "true" : "false");
    $("dead-letters-tab").tabIndex = deadShown ? 0 : -1;
    $("events-panel").hidden = deadShown;
    $("dead-letters-panel").hidden = !deadShown;
    if (dead.timer !== null) clearInterval(dead.timer);
    dead.timer = null;
    if (deadShown) {
      loadDeadLetters();
      dead.timer = setInterval(loadDeadLetters, 5000);
    }
  }

  function loadDeadLetters() {
    return api("GET", "/dead-letters?limit=200").then(function (res) {
      if (res.status !== 200) {
        $("dead-letters-count").textContent = res.body.error.message;
        return;
      }
      dead.letters = res.body.data;
      renderDeadLetters(res.body.hasMore);
    });
  }

  function renderDeadLetters(hasMore) {
    var list = $("dead-letters");
    var focused = document.activeElement;
    var focusedId = focused && (focused.getAttribute("data-dl-id") || focused.getAttribute("data-replay-id"));
    var focusedReplay = focused && focused.hasAttribute("data-replay-id");
    list.replaceChildren();
    dead.letters.forEach(function (letter) {
      var open = el("button", { type: "button", "class": "dead-letter", "data-dl-id": letter.id, "aria-current": letter.id === dead.selected ? "true" : false }, [
        el("span", { "class": "id", text: letter.id }),
        el("span", { "class": "meta", text: letter.attempts + " attempt(s)" }),
        el("span", { text: letter.type }),
        el("span", { "class": "meta", text: "failed " + time(letter.deadAt) }),
        el("span", { "class": "last-error", title: letter.lastError, text: letter.lastError }),
      ]);
      var replay = el("button", { type: "button", "class": "dead-letter-replay", "data-replay-id": letter.id, "aria-label": "Replay " + letter.id, text: "Replay" });
      list.appendChild(el("li", {}, [open, replay]));
    });
    $("dead-letters-count").textContent = dead.letters.length === 0
      ? "No dead letters."
      : dead.letters.length + (hasMore ? "+" : "") + " dead letter(s), newest first";
    $("dead-letters-replay-all").disabled = dead.letters.length === 0;
    if (focusedId) {
      var selector = focusedReplay ? 'button[data-replay-id="' : 'button[data-dl-id="';
      var again = list.querySelector(selector + CSS.escape(focusedId) + '"]');
      if (again) again.focus();
    }
  }

  function selectDeadLetter(id) {
    dead.selected = id;
    state.selected = null;
    detail.id = null;
    Array.prototype.forEach.call($("dead-letters").querySelectorAll("button[data-dl-id]"), function (button) {
      button.setAttribute("aria-current", button.getAttribute("data-dl-id") === id ? "true" : "false");
    });
    return api("GET", "/dead-letters/" + encodeURIComponent(id)).then(function (res) {
      if (dead.selected !== id) return;
      if (res.status !== 200) {
        $("detail").replaceChildren(el("p", { "class": "note", text: res.body.error.message }));
        return;
      }
      renderDeadLetter(res.body);
    });
  }

  function renderDeadLetter(letter) {
    var replay = el("button", { type: "button", id: "dead-letter-replay", text: "Replay" });
    replay.addEventListener("click", function () { replayDeadLetter(letter.id); });
    var attempts = letter.errors.slice().reverse().map(function (error) {
      return el("div", { "class": "dead-attempt", "data-attempt": error.attempt }, [
        el("h3", { text: "Attempt " + error.attempt + " \u00b7 " + time(error.at) + (error.code ? " \u00b7 " + error.code : "") }),
        el("pre", { "class": "attempt-error", text: error.message }),
        error.stack ? el("details", {}, [el("summary", { text: "Stack" }), el("pre", { text: error.stack })]) : null,
      ]);
    });
    $("detail").replaceChildren(
      el("h2", { id: "detail-title", tabindex: "-1", text: letter.type + " " + letter.id }),
      el("p", { "class": "note", text: "Dead letter: " + letter.attempts + " attempt(s) failed \u00b7 queued " + time(letter.receivedAt) + " \u00b7 dead since " + time(letter.deadAt) }),
      el("div", { "class": "actions" }, [replay, el("span", { id: "dead-letter-result", "class": "note", "aria-live": "polite" })]),
      el("h3", { text: letter.errors.length === 0 ? "No attempt errors recorded (reason: " + letter.failedReason + ")" : "Attempt errors, newest first" }),
      el("div", { id: "dead-attempts" }, attempts),
      el("h3", { text: "Event" }),
      el("pre", { id: "dead-letter-event", text: JSON.stringify(letter.event, null, 2) })
    );
  }

  function replayDeadLetter(id) {
    var all = id === null;
    return api("POST", all ? "/dead-letters/replay-all" : "/dead-letters/" + encodeURIComponent(id) + "/replay", {}).then(function (res) {
      var text = res.status === 200
        ? (all ? "Replayed " + res.body.replayed.length + " dead letter(s) into the queue" : "Replayed " + id + " into the queue")
        : res.body.error.message;
      announce(text);
      if (!all && $("dead-letter-result") && dead.selected === id) $("dead-letter-result").textContent = text;
      $("dead-letters-count").textContent = text;
      return loadDeadLetters().then(function () { $("dead-letters-count").textContent = text; });
    });
  }

  if (config.deadLetters) {
    $("events-tab").addEventListener("click", function () { showTab("events"); });
    $("dead-letters-tab").addEventListener("click", function () { showTab("dead-letters"); });
    $("events-tab").parentNode.addEventListener("keydown", function (event) {
      if (event.key !== "ArrowLeft" && event.key !== "ArrowRight" && event.key !== "Home" && event.key !== "End") return;
      event.preventDefault();
      var toDead = event.key === "ArrowRight" || event.key === "End";
      if (event.key === "ArrowLeft" || event.key === "ArrowRight") toDead = document.activeElement === $("events-tab");
      showTab(toDead ? "dead-letters" : "events");
      (toDead ? $("dead-letters-tab") : $("events-tab")).focus();
    });
    $("dead-letters").addEventListener("click", function (event) {
      var replay = event.target.closest("button[data-replay-id]");
      if (replay) {
        replay.disabled = true;
        replayDeadLetter(replay.getAttribute("data-replay-id"));
        return;
      }
      var button = event.target.closest("button[data-dl-id]");
      if (button) selectDeadLetter(button.getAttribute("data-dl-id"));
    });
    arrowKeys("dead-letters", "button[data-dl-id]");
    $("dead-letters-refresh").addEventListener("click", loadDeadLetters);
    $("dead-letters-replay-all").addEventListener("click", function () { replayDeadLetter(null); });
  }

  // ---- live updates ----
  var stream = new EventSource(API + "/stream?token=" + encodeURIComponent(token));
  stream.addEventListener("open", function () {
    $("live").setAttribute("data-state", "live");
    $("live").textContent = "live";
    reloadSoon(); // catch up on anything missed while disconnected
  });
  stream.addEventListener("error", function () {
    $("live").setAttribute("data-state", "down");
    // Closed for good: the server refused the stream (too many dashboard pages are open).
    $("live").textContent = stream.readyState === 2 ? "not live: too many dashboard tabs open; close one, then reload" : "reconnecting";
  });
  stream.addEventListener("event", function (message) {
    var event = JSON.parse(message.data);
    var onPage = state.page.some(function (shown) { return shown.id === event.id; });
    if (onPage || state.before === null) reloadSoon();
    if (event.id === state.selected) loadDetail(event.id);
  });

  loadPage();
})();
`;
