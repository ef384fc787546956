import { DELIVERY_OUTCOMES } from "../forwarder";
import type { DashboardConfig } from "./api-types";
import { DASHBOARD_SCRIPT } from "./client-script";
import { DASHBOARD_STYLES } from "./styles";

/**
 * The `Content-Security-Policy` of the page: nothing loads from anywhere but the page itself and
 * this server (the inline script and styles carry the per-response nonce).
 */
export function dashboardContentSecurityPolicy(nonce: string): string {
  return [
    "default-src 'none'",
    `script-src 'nonce-${nonce}'`,
    `style-src 'nonce-${nonce}'`,
    "connect-src 'self'",
    "img-src 'self' data:",
    "base-uri 'none'",
    "form-action 'none'",
    "frame-ancestors 'none'",
  ].join("; ");
}

/**
 * The dashboard page: server-rendered structure (filters, forms, type lists) and the small
 * inlined script that fills the event list and keeps it live.
 */
export function renderDashboardPage(config: DashboardConfig, token: string, nonce: string): string {
  const typeOptions = config.eventTypes.map(({ type }) => `<option value="${escapeHtml(type)}">${escapeHtml(type)}</option>`).join("");
  const outcomeOptions = DELIVERY_OUTCOMES.map((outcome) => `<option value="${outcome}">${outcome.replace("_", " ")}</option>`).join("");
  const forwarding = config.forwardingTo === null
    ? `<span class="muted">not forwarding (start <code>cactus listen --forward-to &lt;url&gt;</code> to deliver and replay)</span>`
    : `<span class="muted">forwarding to <code id="forward-url">${escapeHtml(config.forwardingTo)}</code></span>`;
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="referrer" content="no-referrer">
<meta name="dashboard-token" content="${escapeHtml(token)}">
<title>Cactus dashboard</title>
<link rel="icon" href="data:,">
<style nonce="${nonce}">${DASHBOARD_STYLES}</style>
</head>
<body>
<header>
  <h1>Cactus dashboard</h1>
  ${forwarding}
  <span id="live" role="status" data-state="down">connecting</span>
</header>
<main>
  <section id="list-pane" aria-label="${config.deadLetters ? "Events and dead letters" : "Events"}">
    ${config.deadLetters ? DEAD_LETTER_TABS : ""}
    <div id="events-panel"${config.deadLetters ? ' role="tabpanel" aria-labelledby="events-tab"' : ""}>
    <div class="filters">
      <label>Type <select id="filter-type"><option value="">all</option></select></label>
      <label>Outcome <select id="filter-outcome"><option value="">all</option>${outcomeOptions}</select></label>
      <label>Search <input type="search" id="filter-search" placeholder="event or object id" autocomplete="off" spellcheck="false"></label>
      <button type="button" id="clear-filters" hidden>Clear filters</button>
    </div>
    <p id="count" class="note">loading...</p>
    <ol id="events" aria-label="Events, newest first (arrow keys move, Enter opens)"></ol>
    <div class="pager">
      <button type="button" id="newer" disabled>&larr; Newer</button>
      <button type="button" id="older" disabled>Older &rarr;</button>
    </div>
    </div>
    ${config.deadLetters ? DEAD_LETTER_PANEL : ""}
  </section>
  <section id="detail-pane" aria-label="Details and actions">
    <div id="detail"><p class="note">Select an event to see its deliveries.</p></div>
  </section>
  <section id="actions-pane" aria-label="Actions">
    <form id="trigger-form" aria-labelledby="trigger-title">
      <h2 id="trigger-title">Trigger an event</h2>
      <label>Type <select id="trigger-type">${typeOptions}</select></label>
      <label for="trigger-data">Data (wire JSON)</label>
      <textarea id="trigger-data" spellcheck="false"></textarea>
      <ul id="trigger-errors" class="errors" aria-live="polite"></ul>
      <button type="submit">Trigger</button> <span id="trigger-result" class="note" aria-live="polite"></span>
    </form>
    <form id="fail-form" aria-labelledby="fail-title">
      <h2 id="fail-title">Fail next API request</h2>
      <p class="note">Rehearse an outage of the Cactus API: the next requests your handler makes (pull, fetchRelatedObject) fail.</p>
      <div class="actions">
        <label>Status <input type="number" id="fail-status" min="100" max="599" value="503"></label>
        <label>Times <input type="number" id="fail-times" min="1" value="1"></label>
        <label>Retry-After <input type="text" id="fail-retry-after" placeholder="seconds"></label>
        <label>Latency (ms) <input type="number" id="fail-latency" min="0" max="60000" placeholder="unchanged"></label>
      </div>
      <button type="submit">Fail next</button> <span id="fail-result" class="note" aria-live="polite"></span>
    </form>
  </section>
</main>
<p id="announce" class="visually-hidden" aria-live="polite"></p>
<script type="application/json" id="dashboard-config">${jsonForScript(config)}</script>
<script nonce="${nonce}">${DASHBOARD_SCRIPT}</script>
</body>
</html>
`;
}

// The Dead letters tab, rendered only when a queue's dead letters are attached (`--redis`).
const DEAD_LETTER_TABS = `<div role="tablist" aria-label="What to show" class="tabs">
      <button type="button" role="tab" id="events-tab" aria-controls="events-panel" aria-selected="true">Events</button>
      <button type="button" role="tab" id="dead-letters-tab" aria-controls="dead-letters-panel" aria-selected="false" tabindex="-1">Dead letters</button>
    </div>`;

const DEAD_LETTER_PANEL = `<div id="dead-letters-panel" role="tabpanel" aria-labelledby="dead-letters-tab" hidden>
      <p class="note">Events whose every attempt failed in the queue. Replay puts one back in the queue with fresh attempts.</p>
      <div class="actions">
        <button type="button" id="dead-letters-refresh">Refresh</button>
        <button type="button" id="dead-letters-replay-all">Replay all</button>
      </div>
      <p id="dead-letters-count" class="note" aria-live="polite">loading...</p>
      <ol id="dead-letters" aria-label="Dead letters, newest first (arrow keys move, Enter opens)"></ol>
    </div>`;

/** Escapes text for HTML content and attribute values. */
export function escapeHtml(text: string): string {
  return text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;").replace(/'/g, "&#39;");
}

// JSON inside <script>: `<` escaped so no string in it can close the element.
function jsonForScript(value: unknown): string {
  return JSON.stringify(value).replace(/</g, "\\u003c");
}
