import { connect, type Socket } from "node:net";
import { attachDashboard, DEFAULT_DASHBOARD_MAX_STREAMS, type Dashboard } from "../../lib/emulator";
import type { CactusEmulator } from "../../lib/emulator";
import { eventually, startEmulator } from "./helpers";

// The dashboard's event stream wrote to every page whatever it read: a page that stopped reading
// grew the process by about 18 MB per 60,000 events, and 1,000 streams were accepted.

function streamUrl(dashboard: Dashboard): URL {
  const page = new URL(dashboard.url);
  const url = new URL("/_dashboard/api/stream", page);
  url.searchParams.set("token", page.searchParams.get("token") ?? "");
  return url;
}

/** A page that asks for the stream, then never reads a byte of it. */
async function stalledReader(url: URL): Promise<Socket> {
  const socket = connect(Number(url.port), "127.0.0.1");
  await new Promise<void>((resolve, reject) => socket.once("connect", resolve).once("error", reject));
  socket.pause();
  socket.write(`GET ${url.pathname}${url.search} HTTP/1.1\r\nHost: ${url.host}\r\nAccept: text/event-stream\r\n\r\n`);
  return socket;
}

describe("the dashboard's event stream is bounded", () => {
  let emulator: CactusEmulator;
  afterEach(async () => {
    await emulator.close();
  });

  it("disconnects a page that stops reading once 1 MiB waits for it; a page that reads keeps every event", async () => {
    emulator = await startEmulator();
    const dashboard = attachDashboard(emulator);
    const url = streamUrl(dashboard);
    const stalled = await stalledReader(url);
    const controller = new AbortController();
    const healthy = await fetch(url, { signal: controller.signal });
    expect(healthy.status).toBe(200);
    const reader = healthy.body?.getReader();
    let text = "";
    const decoder = new TextDecoder();
    const reading = (async () => {
      for (;;) {
        const chunk = await reader?.read();
        if (!chunk || chunk.done) return;
        text = (text + decoder.decode(chunk.value, { stream: true })).slice(-4096);
      }
    })().catch(() => undefined);
    try {
      await eventually("two streams", () => dashboard.streams.open === 2 || undefined);
      // 60,000 changes of about 300 bytes each: 18 MB for a page that reads nothing.
      for (let i = 0; i < 60_000; i += 1) {
        dashboard.log.addEvent({ id: `evt_stream_${i}`, type: "order.shipped", related_object: { id: `ord_${i}`, type: "order" } }, "not_forwarded");
        if (i % 500 === 499) await new Promise((resolve) => setTimeout(resolve, 1));
      }
      await eventually("the last event on the reading page", () => text.includes('"id":"evt_stream_59999"') || undefined, 20_000);
      expect(dashboard.streams).toMatchObject({ open: 1, disconnectedSlowReaders: 1 });
    } finally {
      controller.abort();
      await reading;
      stalled.destroy();
    }
  }, 60_000);

  it("answers 503 too_many_streams past maxStreams, and takes a new page once one leaves", async () => {
    expect(DEFAULT_DASHBOARD_MAX_STREAMS).toBe(32);
    emulator = await startEmulator();
    const dashboard = attachDashboard(emulator, { maxStreams: 3 });
    expect(dashboard.streams.maxStreams).toBe(3);
    const url = streamUrl(dashboard);
    const controllers = [new AbortController(), new AbortController(), new AbortController()];
    try {
      for (const controller of controllers) expect((await fetch(url, { signal: controller.signal })).status).toBe(200);
      await eventually("three streams", () => dashboard.streams.open === 3 || undefined);
      const refused = await fetch(url);
      expect(refused.status).toBe(503);
      expect(refused.headers.get("retry-after")).toBe("5");
      expect(await refused.json()).toEqual({ error: { type: "too_many_streams", message: expect.stringContaining("already streams to 3 pages: close a dashboard tab") } });
      controllers[0]?.abort();
      await eventually("a stream closed", () => dashboard.streams.open === 2 || undefined);
      const again = new AbortController();
      controllers.push(again);
      expect((await fetch(url, { signal: again.signal })).status).toBe(200);
    } finally {
      for (const controller of controllers) controller.abort();
    }
  });

  it("the default cap is 32 streams: the 33rd is refused", async () => {
    emulator = await startEmulator();
    const dashboard = attachDashboard(emulator);
    const url = streamUrl(dashboard);
    const sockets: Socket[] = [];
    try {
      for (let i = 0; i < DEFAULT_DASHBOARD_MAX_STREAMS; i += 1) sockets.push(await stalledReader(url));
      await eventually("32 streams", () => dashboard.streams.open === DEFAULT_DASHBOARD_MAX_STREAMS || undefined);
      expect((await fetch(url)).status).toBe(503);
    } finally {
      for (const socket of sockets) socket.destroy();
    }
  });
});
