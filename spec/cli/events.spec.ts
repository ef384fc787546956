import type { IncomingHttpHeaders } from "node:http";
import { runCli } from "../../lib/cli/main";
import { CactusEmulator } from "../../lib/emulator";
import { listen, type TestServer } from "../webhooks/helpers/server";
import { capture } from "./capture";

const API_KEY = "sk_test_stub_key_7f3a";

/** A stub of `GET /v2/events` that records each request and answers `answer(url)`. */
async function eventsApi(answer: (url: URL) => { status: number; body: unknown }): Promise<{ server: TestServer; requests: { url: URL; headers: IncomingHttpHeaders }[] }> {
  const requests: { url: URL; headers: IncomingHttpHeaders }[] = [];
  const server = await listen((req, res) => {
    const url = new URL(req.url ?? "/", "http://stub");
    requests.push({ url, headers: req.headers });
    req.resume();
    const { status, body } = url.pathname === "/v2/events" ? answer(url) : { status: 404, body: { error: { type: "not_found", message: "no such route" } } };
    res.writeHead(status, { "content-type": "application/json" }).end(JSON.stringify(body));
  });
  return { server, requests };
}

const PAGE = {
  data: [
    { id: "evt_3", type: "movie.completed", related_object: { id: "mov_789", type: "movie" } },
    { id: "evt_2", type: "order.lost" },
  ],
  has_more: true,
};

describe("cactus events list", () => {
  it("asks GET /v2/events with the filters and the key, and prints one line per event and how to page", async () => {
    const { server, requests } = await eventsApi(() => ({ status: 200, body: PAGE }));
    try {
      const { out, io } = capture();
      expect(await runCli(["events", "list", "--type", "movie.completed", "--limit", "2", "--starting-after", "evt_4", "--base-url", server.url, "--api-key", API_KEY], io)).toBe(0);
      expect(requests).toHaveLength(1);
      const [request] = requests;
      expect(request?.headers.authorization).toBe(`Bearer ${API_KEY}`);
      expect(Object.fromEntries(request?.url.searchParams ?? [])).toEqual({ type: "movie.completed", limit: "2", starting_after: "evt_4" });
      expect(out).toEqual([
        "evt_3  movie.completed  movie mov_789",
        "evt_2  order.lost  (no related object)",
        "more: cactus events list --starting-after evt_2",
      ]);
      expect(out.join("\n")).not.toContain(API_KEY);
    } finally {
      await server.close();
    }
  });

  it("prints the page as JSON with --json, and sends no filters it was not given", async () => {
    const { server, requests } = await eventsApi(() => ({ status: 200, body: { ...PAGE, has_more: false } }));
    try {
      const { out, io } = capture();
      expect(await runCli(["events", "list", "--json", "--base-url", server.url, "--api-key", API_KEY], io)).toBe(0);
      expect(JSON.parse(out.join("\n"))).toEqual({ ...PAGE, has_more: false });
      expect(requests[0]?.url.search).toBe("");
    } finally {
      await server.close();
    }
  });

  it("exits 1 with the API's error, never printing the key, and 1 on a malformed page", async () => {
    const { server } = await eventsApi((url) =>
      url.searchParams.get("type") === "broken"
        ? { status: 200, body: { events: [] } }
        : { status: 401, body: { error: { type: "authentication_failed", message: `Invalid API key ${API_KEY}` } } },
    );
    try {
      const denied = capture();
      expect(await runCli(["events", "list", "--base-url", server.url, "--api-key", API_KEY], denied.io)).toBe(1);
      expect(denied.err.join("\n")).toContain("401");
      expect(denied.err.join("\n")).toContain("authentication_failed");
      expect([...denied.out, ...denied.err].join("\n")).not.toContain(API_KEY);

      const broken = capture();
      expect(await runCli(["events", "list", "--type", "broken", "--base-url", server.url, "--api-key", API_KEY], broken.io)).toBe(1);
      expect(broken.err.join("\n")).toContain("invalid_response");
    } finally {
      await server.close();
    }
  });

  it("takes the key and base URL from CACTUS_API_KEY and CACTUS_API_BASE_URL, and exits 2 without a key", async () => {
    const { server, requests } = await eventsApi(() => ({ status: 200, body: PAGE }));
    const saved = { key: process.env.CACTUS_API_KEY, url: process.env.CACTUS_API_BASE_URL };
    try {
      delete process.env.CACTUS_API_KEY;
      const missing = capture();
      expect(await runCli(["events", "list", "--base-url", server.url], missing.io)).toBe(2);
      expect(missing.err.join("\n")).toContain("CACTUS_API_KEY");
      const tooMany = capture();
      expect(await runCli(["events", "list", "--limit", "101", "--base-url", server.url, "--api-key", API_KEY], tooMany.io)).toBe(2);
      expect(requests).toHaveLength(0);

      process.env.CACTUS_API_KEY = API_KEY;
      process.env.CACTUS_API_BASE_URL = server.url;
      const fromEnv = capture();
      expect(await runCli(["events", "list"], fromEnv.io)).toBe(0);
      expect(requests[0]?.headers.authorization).toBe(`Bearer ${API_KEY}`);
    } finally {
      for (const [name, value] of [["CACTUS_API_KEY", saved.key], ["CACTUS_API_BASE_URL", saved.url]] as const) {
        if (value === undefined) delete process.env[name];
        else process.env[name] = value;
      }
      await server.close();
    }
  });
});

describe("cactus events show", () => {
  it("shows a full event from the emulator with its data, in wire names", async () => {
    const emulator = await CactusEmulator.start();
    try {
      const text = capture();
      expect(await runCli(["events", "show", "evt_order_shipped", "--base-url", emulator.url, "--api-key", emulator.apiKey], text.io)).toBe(0);
      expect(text.out[0]).toBe("evt_order_shipped  order.shipped  order ord_456");
      expect(JSON.parse(text.out.slice(1).join("\n"))).toEqual({ shipping_service: "usps" });

      const json = capture();
      expect(await runCli(["events", "show", "evt_order_refunded", "--json", "--base-url", emulator.url, "--api-key", emulator.apiKey], json.io)).toBe(0);
      expect(JSON.parse(json.out.join("\n"))).toMatchObject({ id: "evt_order_refunded", type: "order.refunded" });

      const missing = capture();
      expect(await runCli(["events", "show", "evt_nope", "--base-url", emulator.url, "--api-key", emulator.apiKey], missing.io)).toBe(1);
      expect(missing.err.join("\n")).toContain("not_found");
    } finally {
      await emulator.close();
    }
  });
});
