import { request as httpRequest } from "node:http";
import { attachDashboard, checkDashboardAccess, type CactusEmulator, type Dashboard } from "../../lib/emulator";
import { runCli } from "../../lib/cli/main";
import { SECRET } from "../webhooks/helpers/fixtures";
import { eventually, startEmulator, startEndpoint } from "./helpers";

describe("checkDashboardAccess", () => {
  const expected = { token: "tok_right", port: 4000 };
  const fine = { remoteAddress: "127.0.0.1", host: "127.0.0.1:4000", origin: "http://127.0.0.1:4000", token: "tok_right" };

  it("lets the dashboard's own page (or a tool without Origin) with the token through", () => {
    expect(checkDashboardAccess(fine, expected)).toBeUndefined();
    expect(checkDashboardAccess({ ...fine, origin: undefined, host: "localhost:4000" }, expected)).toBeUndefined();
    expect(checkDashboardAccess({ ...fine, remoteAddress: "::ffff:127.0.0.1" }, expected)).toBeUndefined();
  });

  it.each([
    ["another machine", { remoteAddress: "192.168.1.9" }, 403, "dashboard_remote_refused"],
    ["a rebound host name", { host: "evil.example:4000" }, 403, "dashboard_host_refused"],
    ["another port's page", { origin: "http://127.0.0.1:4001" }, 403, "dashboard_origin_refused"],
    ["a foreign page", { origin: "https://evil.example" }, 403, "dashboard_origin_refused"],
    ["the opaque origin of a sandboxed page", { origin: "null" }, 403, "dashboard_origin_refused"],
    ["a cross-site browser request without Origin", { origin: undefined, fetchSite: "cross-site" }, 403, "dashboard_origin_refused"],
    ["no token", { token: undefined }, 401, "dashboard_token_invalid"],
    ["a wrong token", { token: "tok_wrong" }, 401, "dashboard_token_invalid"],
  ] as const)("refuses %s", (_what, change, status, type) => {
    const denial = checkDashboardAccess({ ...fine, ...change }, expected);
    expect(denial).toMatchObject({ status, type });
    expect(denial?.message).not.toContain("tok_right");
  });
});

describe("the dashboard over HTTP", () => {
  let emulator: CactusEmulator;
  let dashboard: Dashboard;
  let base: string;
  let token: string;

  beforeEach(async () => {
    emulator = await startEmulator();
    dashboard = attachDashboard(emulator);
    const url = new URL(dashboard.url);
    token = url.searchParams.get("token") ?? "";
    base = `${emulator.url}/_dashboard`;
  });
  afterEach(() => emulator.close());

  const post = (path: string, body: unknown, headers: Record<string, string> = {}) =>
    fetch(`${base}${path}`, { method: "POST", headers: { "content-type": "application/json", "x-cactus-dashboard-token": token, ...headers }, body: JSON.stringify(body) });

  it("prints a 127.0.0.1 URL with a random per-run token, and serves a page that loads nothing from elsewhere", async () => {
    expect(dashboard.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/_dashboard\/\?token=[A-Za-z0-9_-]{32}$/);
    const otherEmulator = await startEmulator();
    const other = attachDashboard(otherEmulator);
    await otherEmulator.close();
    expect(new URL(other.url).searchParams.get("token")).not.toBe(token);
    const page = await fetch(dashboard.url);
    expect(page.status).toBe(200);
    const csp = page.headers.get("content-security-policy") ?? "";
    expect(csp).toContain("default-src 'none'");
    expect(csp).toContain("connect-src 'self'");
    const html = await page.text();
    expect(html).not.toMatch(/(src|href)="(https?:)?\/\//);
    expect(html).toContain("<select id=\"trigger-type\"><option value=\"order.shipped\">");
  });

  it("refuses the page and the API without the token or with a wrong one, and never counts them as API requests", async () => {
    expect((await fetch(`${base}/`)).status).toBe(401);
    expect((await fetch(`${base}/api/events?token=wrong`)).status).toBe(401);
    expect((await fetch(`${base}/api/events`, { headers: { "x-cactus-dashboard-token": "wrong" } })).status).toBe(401);
    expect((await fetch(`${base}/api/events?token=${token}`)).status).toBe(200);
    expect(emulator.requests).toEqual([]);
  });

  it("refuses a foreign Origin on Replay, Trigger and the event stream, even with the token", async () => {
    const created = emulator.createEvent("order.lost");
    const foreign = { origin: "https://evil.example" };
    const replay = await post(`/api/events/${created.id}/replay`, {}, foreign);
    expect(replay.status).toBe(403);
    expect(await replay.json()).toMatchObject({ error: { type: "dashboard_origin_refused" } });
    expect((await post("/api/trigger", { type: "order.lost" }, foreign)).status).toBe(403);
    const stream = await fetch(`${base}/api/stream?token=${token}`, { headers: foreign });
    expect(stream.status).toBe(403);
    expect(dashboard.log.size).toBe(1);
  });

  it("refuses a Host that is not the loopback address (DNS rebinding)", async () => {
    const status = await new Promise<number | undefined>((resolve, reject) => {
      const url = new URL(`${base}/api/events?token=${token}`);
      const req = httpRequest({ host: "127.0.0.1", port: url.port, path: url.pathname + url.search, headers: { host: `attacker.example:${url.port}` } }, (res) => {
        res.resume();
        resolve(res.statusCode);
      });
      req.on("error", reject);
      req.end();
    });
    expect(status).toBe(403);
  });

  it("takes POST bodies only as JSON (a cross-site form cannot send that without a preflight)", async () => {
    const form = await fetch(`${base}/api/trigger`, { method: "POST", headers: { "content-type": "application/x-www-form-urlencoded", "x-cactus-dashboard-token": token }, body: "type=order.lost" });
    expect(form.status).toBe(415);
    const broken = await fetch(`${base}/api/trigger`, { method: "POST", headers: { "content-type": "application/json", "x-cactus-dashboard-token": token }, body: "{" });
    expect(broken.status).toBe(400);
    expect(dashboard.log.size).toBe(0);
  });

  it("streams every new event to open pages as server-sent events", async () => {
    const controller = new AbortController();
    const stream = await fetch(`${base}/api/stream?token=${token}`, { signal: controller.signal });
    expect(stream.headers.get("content-type")).toContain("text/event-stream");
    const reader = stream.body?.getReader();
    const created = (await (await post("/api/trigger", { type: "order.shipped", data: { shipping_service: "dhl" } })).json()) as { event: { id: string } };
    let text = "";
    while (!text.includes(created.event.id)) {
      const chunk = await reader?.read();
      if (!chunk || chunk.done) break;
      text += Buffer.from(chunk.value).toString("utf8");
    }
    expect(text).toContain("event: event\ndata: {");
    const data = text.split("\n").find((line) => line.startsWith("data: ") && line.includes(created.event.id)) ?? "";
    expect(JSON.parse(data.slice("data: ".length))).toMatchObject({ id: created.event.id, type: "order.shipped", outcome: "not_forwarded" });
    controller.abort();
  });

  it("leaves the API's failure injection to the API: Fail next does not break the dashboard itself", async () => {
    expect((await post("/api/fail-next", { status: 500, times: 3 })).status).toBe(200);
    expect((await fetch(`${base}/api/events?token=${token}`)).status).toBe(200);
    expect((await fetch(`${emulator.url}/v2/events/evt_order_lost`, { headers: { authorization: `Bearer ${emulator.apiKey}` } })).status).toBe(500);
  });
});

describe("cactus listen", () => {
  it("starts the emulator and dashboard, forwards events created there signed, prints a line per attempt, and stops on Ctrl-C", async () => {
    const endpoint = await startEndpoint();
    let failures = 1;
    endpoint.answer = () => (failures-- > 0 ? { status: 500 } : { status: 200 });
    const controller = new AbortController();
    const out: string[] = [];
    const running = runCli(["listen", "--forward-to", `${endpoint.url}/webhooks`, "--secret", SECRET, "--port", "0", "--backoff-ms", "1"], { out: (line) => out.push(line), err: (line) => out.push(line), signal: controller.signal });
    try {
      const dashboardUrl = await eventually("the dashboard line", () => out.find((line) => line.startsWith("Dashboard: "))?.slice("Dashboard: ".length));
      expect(out.join("\n")).not.toContain(SECRET);
      const url = new URL(dashboardUrl);
      const answer = await fetch(`${url.origin}/_dashboard/api/trigger`, { method: "POST", headers: { "content-type": "application/json", "x-cactus-dashboard-token": url.searchParams.get("token") ?? "" }, body: JSON.stringify({ type: "order.lost", data: { last_seen_city: "Tucson" } }) });
      const { event } = (await answer.json()) as { event: { id: string } };
      await eventually("two attempts", () => out.some((line) => line.startsWith(`${event.id} order.lost -> 200`)));
      expect(out).toEqual(expect.arrayContaining([
        expect.stringMatching(new RegExp(`^${event.id} order.lost -> 500 in \\d+ ms \\(attempt 1, delivery\\); retry at `)),
        expect.stringMatching(new RegExp(`^${event.id} order.lost -> 200 in \\d+ ms \\(attempt 2, retry\\)$`)),
      ]));
      expect(endpoint.received.map((request) => request.path)).toEqual(["/webhooks", "/webhooks"]);
    } finally {
      controller.abort();
      expect(await running).toBe(0);
      await endpoint.close();
    }
    expect(out).toContain("listen stopped");
  });

  it("forwards what `cactus trigger --api-url <its emulator>` creates there (no --url): the listen + trigger flow", async () => {
    const endpoint = await startEndpoint();
    endpoint.answer = () => ({ status: 200 });
    const controller = new AbortController();
    const out: string[] = [];
    const running = runCli(["listen", "--forward-to", `${endpoint.url}/webhooks`, "--secret", SECRET, "--port", "0"], { out: (line) => out.push(line), err: (line) => out.push(line), signal: controller.signal });
    try {
      const dashboardUrl = await eventually("the dashboard line", () => out.find((line) => line.startsWith("Dashboard: "))?.slice("Dashboard: ".length));
      const apiUrl = new URL(dashboardUrl).origin;
      const triggered: string[] = [];
      expect(await runCli(["trigger", "movie.completed", "--api-url", apiUrl], { out: (line) => triggered.push(line), err: (line) => triggered.push(line) })).toBe(0);
      const id = /created movie\.completed (evt_\w+) in /.exec(triggered.join("\n"))?.[1];
      expect(id).toBeDefined();
      await eventually("the forwarded delivery", () => out.some((line) => line.startsWith(`${id ?? "?"} movie.completed -> 200`)));
      expect(endpoint.received).toHaveLength(1);
    } finally {
      controller.abort();
      expect(await running).toBe(0);
      await endpoint.close();
    }
  });

  it("cactus trigger needs --url or --api-url", async () => {
    const lines: string[] = [];
    expect(await runCli(["trigger", "order.lost", "--secret", SECRET], { out: (line) => lines.push(line), err: (line) => lines.push(line) })).toBe(2);
    expect(lines.join("\n")).toContain("needs --url <endpoint>, or --api-url <emulator>");
  });

  it("needs --forward-to and a secret (usage errors, status 2)", async () => {
    const err: string[] = [];
    const io = { out: () => undefined, err: (line: string) => err.push(line) };
    expect(await runCli(["listen", "--secret", SECRET], io)).toBe(2);
    expect(err[0]).toContain("--forward-to");
    const saved = process.env.CACTUS_WEBHOOK_SECRET;
    delete process.env.CACTUS_WEBHOOK_SECRET;
    try {
      expect(await runCli(["listen", "--forward-to", "http://127.0.0.1:1/webhooks"], io)).toBe(2);
      expect(err.join("\n")).toContain("--secret");
    } finally {
      if (saved !== undefined) process.env.CACTUS_WEBHOOK_SECRET = saved;
    }
  });
});
