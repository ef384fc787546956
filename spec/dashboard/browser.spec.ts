// The dashboard in a real headless Chromium (the system's /usr/bin/chromium, never a download).
// Without Chromium the suite is skipped with one line, unless CACTUS_TEST_BROWSER=required.
// CACTUS_SCREENSHOTS_DIR=docs/images also saves the screenshots the docs show (npm run screenshots).
import { existsSync } from "node:fs";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { BrowserContext, Page } from "playwright-core";
import { execFile } from "node:child_process";
import { promisify } from "node:util";
import { CactusApiError, CactusHandlerError } from "../../lib/errors";
import { verifyWebhook } from "../../lib/webhooks";
import { errorAnswer } from "../../lib/webhooks/status-table";
import { attachDashboard, deadLetterRoutes, forwardEmulatorEvents, WebhookForwarder, type CactusEmulator, type Dashboard, type DashboardDeadLetter } from "../../lib/emulator";
import { SECRET } from "../webhooks/helpers/fixtures";
import { listen, type TestServer } from "../webhooks/helpers/server";
import { startEmulator, startEndpoint, type Endpoint } from "./helpers";

const CHROMIUM = process.env.CACTUS_CHROMIUM_PATH ?? "/usr/bin/chromium";
const REQUIRED = process.env.CACTUS_TEST_BROWSER === "required";
const SCREENSHOTS = process.env.CACTUS_SCREENSHOTS_DIR;
const available = existsSync(CHROMIUM);

if (!available && !REQUIRED) {
  process.stderr.write(`Skipped the dashboard browser tests: no Chromium at ${CHROMIUM} (install it with \`apt-get install -y chromium\`, or set CACTUS_CHROMIUM_PATH).\n`);
}

const suite = available || REQUIRED ? describe : describe.skip;

suite("the dashboard in a browser", () => {
  jest.setTimeout(30_000);
  let endpoint: Endpoint;
  let emulator: CactusEmulator;
  let forwarder: WebhookForwarder;
  let dashboard: Dashboard;
  let stopForwarding: () => void;
  let profile: string;
  let context: BrowserContext;
  let page: Page;
  const requested: string[] = [];
  const otherDashboards: string[] = []; // origins of the further dashboards a test opens

  beforeAll(async () => {
    if (!available) throw new Error(`CACTUS_TEST_BROWSER=required, but there is no Chromium at ${CHROMIUM}: install it with \`apt-get install -y chromium\``);
    endpoint = await startEndpoint();
    emulator = await startEmulator();
    // A long backoff keeps the scheduled retry on screen for the test that looks at it.
    forwarder = new WebhookForwarder({ url: `${endpoint.url}/webhooks`, secret: SECRET, backoffMs: 60_000 });
    stopForwarding = forwardEmulatorEvents(emulator, forwarder);
    dashboard = attachDashboard(emulator, { forwarder });
    profile = await mkdtemp(join(tmpdir(), "cactus-dashboard-chromium-"));
    const { chromium } = await import("playwright-core");
    context = await chromium.launchPersistentContext(profile, {
      executablePath: CHROMIUM,
      headless: true,
      args: ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync"],
      viewport: { width: 1280, height: 860 },
    });
    context.on("request", (request) => requested.push(request.url()));
    page = context.pages()[0] ?? (await context.newPage());
    await page.goto(dashboard.url);
    await page.locator('#live[data-state="live"]').waitFor();
  });

  afterAll(async () => {
    await context?.close();
    if (profile) await rm(profile, { recursive: true, force: true });
    stopForwarding?.();
    await forwarder?.close();
    await emulator?.close();
    await endpoint?.close();
  });

  const row = (id: string) => page.locator(`#events button[data-id="${id}"]`);
  const screenshot = async (name: string) => {
    if (SCREENSHOTS) await page.screenshot({ path: join(SCREENSHOTS, name) });
  };

  it("shows an event created by code as it happens (no reload), with its delivery, headers and answer", async () => {
    const created = emulator.createEvent("order.shipped");
    await row(created.id).locator(".outcome-delivered").waitFor();
    await row(created.id).click();
    await page.locator("#detail-title", { hasText: created.id }).waitFor();
    const attempt = page.locator('#attempts details[data-attempt="1"]');
    await attempt.locator('[data-status="200"]').waitFor();
    const requestHeaders = await attempt.locator(".request-headers").textContent();
    expect(requestHeaders).toContain(`webhook-id: ${created.id}`);
    expect(requestHeaders).toMatch(/webhook-signature: v1,[A-Za-z0-9+/=]+/);
    // Pretty-printed as a tree whose text is the JSON itself.
    expect(JSON.parse((await attempt.locator(".request-body").textContent()) ?? "")).toEqual(emulator.thinEventOf(created.id));
    expect(JSON.parse((await attempt.locator(".response-body").textContent()) ?? "")).toEqual({ received: true });
    expect(await page.content()).not.toContain(SECRET.slice("whsec_".length));
    await screenshot("dashboard-delivered.png");
  });

  it("shows a failing endpoint's 500 and the scheduled retry", async () => {
    endpoint.answer = () => ({ status: 500, body: '{"error":{"type":"handler_failed","message":"boom"}}' });
    const created = emulator.createEvent("movie.completed");
    await row(created.id).locator(".outcome-retrying").waitFor();
    await row(created.id).click();
    const attempt = page.locator('#attempts details[data-attempt="1"]');
    await attempt.locator('[data-status="500"]').waitFor();
    expect(await attempt.locator(".next-retry").textContent()).toContain("next retry at");
    expect(await page.locator("#detail-next-retry").textContent()).toContain("next retry at");
    expect(await attempt.locator(".response-body").textContent()).toContain("boom");
    await screenshot("dashboard-retrying.png");
  });

  it("Replay after fixing the endpoint makes a new, freshly signed attempt that gets a 200", async () => {
    endpoint.answer = () => ({ status: 200, body: "ok" });
    const before = endpoint.received.length;
    await page.locator("#replay").click();
    const replayed = page.locator('#attempts details[data-attempt="2"]');
    await replayed.locator('[data-status="200"]').waitFor();
    expect(await replayed.locator(":scope > summary").textContent()).toContain("(replay)");
    await page.locator("#detail .outcome-delivered").waitFor();
    expect(endpoint.received.length).toBe(before + 1);
    const { body, headers } = endpoint.received[before] ?? { body: "", headers: {} };
    expect(verifyWebhook(body, headers, SECRET, { toleranceSeconds: 5 }).id).toBe(JSON.parse(body).id);
  });

  it("refuses invalid Trigger data with the field path, then triggers valid data", async () => {
    await page.locator("#trigger-type").selectOption("order.delivery_attempted");
    expect(JSON.parse((await page.locator("#trigger-data").inputValue()) || "{}")).toMatchObject({ attempt_num: 1 });
    await page.locator("#trigger-data").fill(JSON.stringify({ success: true, attempt_num: 0, delivery_location: "porch" }));
    const received = endpoint.received.length;
    await page.locator('#trigger-form button[type="submit"]').click();
    const error = page.locator("#trigger-errors li");
    await error.first().waitFor();
    expect(await error.allTextContents()).toEqual([expect.stringMatching(/^data\.attempt_num: data\.attempt_num must not be less than 1/)]);
    await screenshot("dashboard-trigger-refused.png");
    expect(endpoint.received.length).toBe(received);

    await page.locator("#trigger-data").fill(JSON.stringify({ success: true, attempt_num: 2, delivery_location: "porch" }));
    await page.locator('#trigger-form button[type="submit"]').click();
    await page.locator("#trigger-result", { hasText: "Triggered evt_" }).waitFor();
    expect(await page.locator("#trigger-errors li").count()).toBe(0);
    const id = ((await page.locator("#trigger-result").textContent()) ?? "").replace("Triggered ", "");
    await row(id).locator(".outcome-delivered").waitFor();
    expect(JSON.parse(endpoint.received[received]?.body ?? "{}")).toMatchObject({ id, type: "order.delivery_attempted" });
  });

  it("works from the keyboard: arrows move through the events, Enter opens one, filters narrow the list", async () => {
    await page.locator("#events button").first().focus();
    await page.keyboard.press("ArrowDown");
    const second = await page.locator("#events button").nth(1).getAttribute("data-id");
    expect(await page.evaluate(() => document.activeElement?.getAttribute("data-id"))).toBe(second);
    await page.keyboard.press("Enter");
    await page.locator("#detail-title", { hasText: second ?? "" }).waitFor();
    await page.locator("#filter-type").focus();
    await page.locator("#filter-type").selectOption("movie.completed");
    await page.waitForFunction(() => Array.from(document.querySelectorAll("#events button")).every((b) => b.textContent?.includes("movie.completed")));
    expect(await page.locator("#events button").count()).toBe(1);
    await page.locator("#filter-type").selectOption("");
  });

  it("explains a failed attempt: the cause the SDK put in error.detail, beside the status", async () => {
    endpoint.answer = (request) => {
      const { id, type } = JSON.parse(request.body) as { id: string; type: string };
      const cause = new CactusApiError("Injected 500 (api_error) from the emulator", { status: 500, path: "/v1/movies/mov_789", errorType: "api_error" });
      const answer = errorAnswer(new CactusHandlerError(id, type, cause), true);
      return { status: answer.status, body: answer.body };
    };
    const created = emulator.createEvent("movie.completed");
    await row(created.id).locator(".outcome-retrying").waitFor();
    await row(created.id).click();
    const attempt = page.locator('#attempts details[data-attempt="1"]');
    await attempt.locator('[data-status="500"]').waitFor();
    expect(await attempt.locator(".attempt-detail").textContent()).toBe("Cause: Cactus API GET /v1/movies/mov_789 answered 500: Injected 500 (api_error) from the emulator");
    expect(forwarder.log.get(created.id)?.attempts[0]?.detail).toMatch(/^Cactus API GET \/v1\/movies\/mov_789 answered 500/);
    await screenshot("dashboard-failure-detail.png");
    endpoint.answer = () => ({ status: 200, body: '{"received":true}' });
  });

  it("shows the pulled event (the Trigger form's data) and the related object beside the thin one", async () => {
    await page.locator("#trigger-type").selectOption("order.delivery_attempted");
    await page.locator("#trigger-data").fill(JSON.stringify({ success: false, attempt_num: 3, delivery_location: "side door by the blue bins" }));
    await page.locator('#trigger-form button[type="submit"]').click();
    await page.locator("#trigger-result", { hasText: "Triggered evt_" }).waitFor();
    const id = ((await page.locator("#trigger-result").textContent()) ?? "").replace("Triggered ", "");
    await page.locator("#detail-title", { hasText: id }).waitFor();
    await page.locator("#detail-pulled .pulled-event").waitFor();
    await page.locator("#detail-outcome .outcome-delivered").waitFor();
    expect(await page.locator("#detail-outcome").textContent()).toBe("delivered");
    const pulled = JSON.parse((await page.locator("#detail-pulled .pulled-event").textContent()) ?? "");
    expect(pulled).toMatchObject({ id, type: "order.delivery_attempted", data: { success: false, attempt_num: 3, delivery_location: "side door by the blue bins" } });
    expect(JSON.parse((await page.locator("#detail-related .related-object").textContent()) ?? "")).toMatchObject({ id: "ord_456" });
    expect(JSON.parse((await page.locator("#detail-thin .detail-body").textContent()) ?? "")).toEqual(emulator.thinEventOf(id));
    // Beside each other: the thin and the pulled event start on the same line.
    const thinBox = await page.locator("#detail-thin").boundingBox();
    const pulledBox = await page.locator("#detail-pulled").boundingBox();
    expect(pulledBox?.y).toBeCloseTo(thinBox?.y ?? -1, 0);
    expect(pulledBox?.x ?? 0).toBeGreaterThan((thinBox?.x ?? 0) + (thinBox?.width ?? 0) - 1);
    await screenshot("dashboard-event-detail.png");
  });

  it("pretty-prints JSON wrapped between tokens (not break-all), with collapsible objects and sections", async () => {
    const words = Array.from({ length: 40 }, (_, n) => `word${n}`).join(" ");
    const created = emulator.createEvent("order.refunded", { data: { reason_explained_at_length: words, amount_cents: 1234567890, lines: [{ sku: "sku_1", quantity: 2 }] }, related_object: { id: "ord_456", type: "order" } });
    await row(created.id).click();
    await page.locator("#detail-title", { hasText: created.id }).waitFor();
    const tree = page.locator("#detail-pulled .pulled-event", { hasText: created.id });
    await tree.waitFor();
    const layout = await tree.evaluate((node) => {
      const style = getComputedStyle(node);
      const keys = Array.from(node.querySelectorAll(".json-key, .json-number"));
      const long = Array.from(node.querySelectorAll(".json-string")).find((span) => (span.textContent ?? "").includes("word39"));
      return {
        wordBreak: style.wordBreak, whiteSpace: style.whiteSpace, overflows: node.scrollWidth > node.clientWidth + 1,
        splitTokens: keys.filter((span) => span.getClientRects().length > 1).map((span) => span.textContent),
        longLines: long?.getClientRects().length ?? 0,
      };
    });
    expect(layout).toMatchObject({ wordBreak: "normal", whiteSpace: "pre-wrap", overflows: false, splitTokens: [] });
    expect(layout.longLines).toBeGreaterThan(1); // the long sentence wraps, at its spaces
    // Collapse `data`: its members hide and the summary says what is hidden; the text stays the JSON.
    const dataNode = tree.locator("details.json-node", { has: page.locator(':scope > summary .json-key:text-is("\\"data\\"")') });
    await dataNode.locator(":scope > summary").click();
    expect(await dataNode.locator(":scope > .json-children").isVisible()).toBe(false);
    expect(await dataNode.locator(":scope > summary").evaluate((summary) => getComputedStyle(summary, "::after").content)).toContain("3 key(s) }");
    await dataNode.locator(":scope > summary").click();
    expect(await dataNode.locator(":scope > .json-children").isVisible()).toBe(true);
    await page.locator("#detail-related > summary").click();
    expect(await page.locator("#detail-related .related-object").isVisible()).toBe(false);
    await page.locator("#detail-related > summary").click();
  });

  it("lists the types seen in the type filter, unknown ones included, and searches by event or object id", async () => {
    const odd = emulator.createEvent("order.refunded", { data: {}, related_object: { id: "ord_search_77", type: "order" } });
    await row(odd.id).waitFor();
    const options = await page.locator("#filter-type option").evaluateAll((nodes) => nodes.map((node) => (node as HTMLOptionElement).value));
    expect(options).toEqual(["", ...forwarder.log.typesSeen()]);
    expect(options).toContain("order.refunded");
    expect(options).not.toContain("movie.started"); // a known type never seen is not offered

    await page.locator("#filter-search").fill("ord_search_7");
    await page.waitForFunction(() => document.querySelectorAll("#events button").length === 1);
    expect(await page.locator("#events button").first().getAttribute("data-id")).toBe(odd.id);
    await page.locator("#filter-search").fill(odd.id.slice(4, 12));
    await page.locator("#count", { hasText: "Showing 1-1 of 1 event(s) matching id containing" }).waitFor();
    expect(await page.locator("#events button").first().getAttribute("data-id")).toBe(odd.id);

    // A filter that matches nothing says so, and how many events there are.
    await page.locator("#filter-search").fill("nothing-has-this-id");
    await page.locator("#count", { hasText: "No events match id containing \u201cnothing-has-this-id\u201d" }).waitFor();
    expect(await page.locator("#count").textContent()).toContain(`(${forwarder.log.size} event(s) in all)`);
    expect(await page.locator("#events button").count()).toBe(0);
    await screenshot("dashboard-no-match.png");
    await page.locator("#clear-filters").click();
    await page.locator("#count", { hasText: `of ${forwarder.log.size} event(s), newest first` }).waitFor();
    expect(await page.locator("#clear-filters").isHidden()).toBe(true);
  });

  it("Copy as curl gives a command signed now, without the secret, that the endpoint accepts", async () => {
    const created = emulator.createEvent("order.shipped");
    await row(created.id).locator(".outcome-delivered").waitFor();
    await row(created.id).click();
    await page.locator("#detail-title", { hasText: created.id }).waitFor();
    await context.grantPermissions(["clipboard-read", "clipboard-write"], { origin: new URL(dashboard.url).origin });
    await page.locator("#copy-curl").click();
    const command = (await page.locator("#curl-command").textContent()) ?? "";
    expect(command).toMatch(/^curl -sS -X POST 'http:\/\/127\.0\.0\.1:\d+\/webhooks' /);
    expect(command).not.toContain(SECRET.slice("whsec_".length));
    await page.locator("#curl-note", { hasText: "Copied." }).waitFor();
    expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(command);
    const before = endpoint.received.length;
    await promisify(execFile)("/bin/sh", ["-c", command]);
    const received = endpoint.received[before];
    const headers = Object.fromEntries(Object.entries(received?.headers ?? {}).map(([name, value]) => [name, String(value)]));
    expect(verifyWebhook(received?.body ?? "", headers, SECRET, { toleranceSeconds: 5 }).id).toBe(created.id);
  });

  it("Replay with edits sends the edited body, freshly signed, as a new attempt marked edited", async () => {
    const created = emulator.createEvent("order.shipped");
    await row(created.id).locator(".outcome-delivered").waitFor();
    await row(created.id).click();
    await page.locator("#detail-title", { hasText: created.id }).waitFor();
    await page.locator("#replay-edit").click();
    expect(JSON.parse(await page.locator("#replay-body").inputValue())).toEqual(emulator.thinEventOf(created.id));
    const edited = JSON.stringify({ ...emulator.thinEventOf(created.id), related_object: { id: "ord_edited", type: "order" } }, null, 2);
    await page.locator("#replay-body").fill(edited);
    const before = endpoint.received.length;
    await page.locator("#replay-edited-send").click();
    const attempt = page.locator('#attempts details[data-attempt="2"]');
    await attempt.locator(".edited-badge").waitFor();
    expect(await attempt.locator(":scope > summary").textContent()).toContain("(replay)");
    expect(JSON.parse((await attempt.locator(".request-body").textContent()) ?? "")).toMatchObject({ related_object: { id: "ord_edited" } });
    const received = endpoint.received[before];
    expect(received?.body).toBe(edited);
    const headers = Object.fromEntries(Object.entries(received?.headers ?? {}).map(([name, value]) => [name, String(value)]));
    expect(verifyWebhook(received?.body ?? "", headers, SECRET, { toleranceSeconds: 5 }).id).toBe(created.id);
    expect(forwarder.log.get(created.id)?.attempts.map((one) => one.edited ?? false)).toEqual([false, true]);
    await screenshot("dashboard-replay-edited.png");
  });

  it("refuses a wrong token, and a foreign page's requests, even with the right token", async () => {
    const url = new URL(dashboard.url);
    const wrong = await page.request.get(`${url.origin}/_dashboard/?token=wrong`);
    expect(wrong.status()).toBe(401);

    const foreign: TestServer = await listen((_req, res) => {
      res.writeHead(200, { "content-type": "text/html" });
      res.end("<!doctype html><title>another site</title><p>another site</p>");
    });
    const other = await context.newPage();
    try {
      await other.goto(foreign.url);
      const statuses: number[] = [];
      other.on("response", (response) => {
        if (response.url().includes("/_dashboard/")) statuses.push(response.status());
      });
      const token = url.searchParams.get("token") ?? "";
      const replayed = endpoint.received.length;
      const outcome = await other.evaluate(async ({ origin, token }) => {
        const results: string[] = [];
        const attempt = async (what: string, run: () => Promise<Response>) => {
          try {
            results.push(`${what}:${(await run()).status}`);
          } catch {
            results.push(`${what}:blocked`);
          }
        };
        await attempt("list", () => fetch(`${origin}/_dashboard/api/events?token=${token}`));
        await attempt("replay", () => fetch(`${origin}/_dashboard/api/trigger`, { method: "POST", headers: { "content-type": "application/json", "x-cactus-dashboard-token": token }, body: "{\"type\":\"order.lost\"}" }));
        await attempt("beacon", async () => new Response(null, { status: navigator.sendBeacon(`${origin}/_dashboard/api/trigger?token=${token}`, new Blob(["{\"type\":\"order.lost\"}"], { type: "text/plain" })) ? 299 : 598 }));
        return results;
      }, { origin: url.origin, token });
      expect(outcome.slice(0, 2)).toEqual(["list:blocked", "replay:blocked"]);
      await other.waitForTimeout(200); // let the beacon land
      expect(statuses.length).toBeGreaterThan(0);
      expect(statuses.every((status) => status === 403)).toBe(true);
      expect(endpoint.received.length).toBe(replayed);
    } finally {
      await other.close();
      await foreign.close();
    }
  });

  it("stays usable with 10,000 events: paged, and the server keeps a bounded history", async () => {
    for (let n = 0; n < 10_050; n++) forwarder.log.addEvent({ id: `evt_bulk_${n}`, type: n % 2 ? "order.lost" : "order.shipped" }, "delivered");
    expect(forwarder.log.size).toBe(10_000);
    await page.locator("#count", { hasText: "of 10000 event(s)" }).waitFor();
    expect(await page.locator("#events button").count()).toBe(50);
    await page.locator("#older").click();
    await page.locator("#count", { hasText: "Showing 51-100 of 10000" }).waitFor();
    expect(await page.locator("#events button").first().getAttribute("data-id")).toBe("evt_bulk_9999");
    await page.locator("#newer").click();
    await page.locator("#count", { hasText: "Showing 1-50 of 10000" }).waitFor();
  });

  it("shows no Dead letters tab without a queue; with one, lists them, shows every attempt's error, and replays from the keyboard", async () => {
    expect(await page.locator("#dead-letters-tab").count()).toBe(0);
    const letters = new Map<string, DashboardDeadLetter>();
    const dead = (id: string, deadAt: string, messages: string[]): DashboardDeadLetter => ({
      id, type: "order.shipped", event: { id, type: "order.shipped" }, attempts: messages.length, failedReason: messages.at(-1) ?? "",
      errors: messages.map((message, index) => ({ attempt: index + 1, at: deadAt, message, code: "handler_failed" })), receivedAt: deadAt, deadAt,
    });
    letters.set("evt_dl_old", dead("evt_dl_old", "2026-01-01T10:00:00.000Z", ["timeout"]));
    letters.set("evt_dl_new", dead("evt_dl_new", "2026-01-02T10:00:00.000Z", ["first <b>failure</b>", "database down"]));
    const replayed: string[] = [];
    const source = {
      list: async () => [...letters.values()],
      get: async (id: string) => letters.get(id),
      replay: async (target: string) => {
        const ids = letters.has(target) ? [target] : [];
        for (const id of ids) letters.delete(id);
        replayed.push(...ids);
        return ids;
      },
      replayAll: async () => {
        const ids = [...letters.keys()];
        for (const id of ids) letters.delete(id);
        replayed.push(...ids);
        return ids;
      },
    };
    const other = await startEmulator();
    const withQueue = attachDashboard(other, { routes: deadLetterRoutes(source) });
    otherDashboards.push(new URL(withQueue.url).origin);
    const tab = await context.newPage();
    try {
      await tab.goto(withQueue.url);
      await tab.locator("#dead-letters-tab").focus();
      await tab.keyboard.press("Enter");
      await tab.locator('#dead-letters-tab[aria-selected="true"]').waitFor();
      expect(await tab.locator("#events-panel").isHidden()).toBe(true);
      const rows = tab.locator("#dead-letters button[data-dl-id]");
      await rows.first().waitFor();
      expect(await rows.evaluateAll((buttons) => buttons.map((b) => b.getAttribute("data-dl-id")))).toEqual(["evt_dl_new", "evt_dl_old"]);
      expect(await rows.first().textContent()).toContain("database down");

      await rows.first().focus();
      await tab.keyboard.press("ArrowDown");
      expect(await tab.evaluate(() => document.activeElement?.getAttribute("data-dl-id"))).toBe("evt_dl_old");
      await tab.keyboard.press("ArrowUp");
      await tab.keyboard.press("Enter");
      await tab.locator("#detail-title", { hasText: "evt_dl_new" }).waitFor();
      // Newest attempt first; the error text is shown as text, never as HTML.
      expect(await tab.locator("#dead-attempts .attempt-error").allTextContents()).toEqual(["database down", "first <b>failure</b>"]);
      expect(await tab.locator("#dead-attempts b").count()).toBe(0);
      if (SCREENSHOTS) await tab.screenshot({ path: join(SCREENSHOTS, "dashboard-dead-letters.png") });

      await tab.locator("#dead-letter-replay").focus();
      await tab.keyboard.press("Enter");
      await tab.locator("#dead-letter-result", { hasText: "Replayed evt_dl_new into the queue" }).waitFor();
      await tab.waitForFunction(() => document.querySelectorAll("#dead-letters button[data-dl-id]").length === 1);
      await tab.locator('#dead-letters button[data-replay-id="evt_dl_old"]').click();
      await tab.locator("#dead-letters-count", { hasText: "Replayed evt_dl_old" }).waitFor();
      await tab.waitForFunction(() => document.querySelectorAll("#dead-letters button[data-dl-id]").length === 0);
      expect(replayed).toEqual(["evt_dl_new", "evt_dl_old"]);

      await tab.locator("#dead-letters-tab").focus();
      await tab.keyboard.press("ArrowLeft");
      await tab.locator('#events-tab[aria-selected="true"]').waitFor();
      expect(await tab.locator("#events-panel").isVisible()).toBe(true);
    } finally {
      await tab.close();
      await other.close();
    }
  });

  it("made no request to anything but the dashboard's own server (and the test's foreign page)", () => {
    const own = new URL(dashboard.url).origin;
    const elsewhere = requested.filter((url) => ![own, ...otherDashboards].some((origin) => url.startsWith(`${origin}/`)) && !/^http:\/\/127\.0\.0\.1:\d+\/$/.test(url));
    expect(elsewhere).toEqual([]);
    expect(requested.filter((url) => url.startsWith(own)).length).toBeGreaterThan(5);
  });
});
