import { createFetchHandler } from "../../lib";
import { SECRET, signedDelivery } from "./helpers/fixtures";
import { RecordingHandler } from "./helpers/recording-handler";

const quiet = { onError: (): void => undefined };

function streamOf(chunks: readonly Uint8Array[], stallAfter = Number.POSITIVE_INFINITY): { stream: ReadableStream<Uint8Array>; pulled: () => number; cancelled: () => boolean } {
  let index = 0;
  let cancelled = false;
  const stream = new ReadableStream<Uint8Array>({
    pull(controller) {
      if (index >= stallAfter) return new Promise<void>(() => undefined); // never delivers more
      const chunk = chunks[index];
      index += 1;
      if (chunk === undefined) controller.close();
      else controller.enqueue(chunk);
      return undefined;
    },
    cancel() {
      cancelled = true;
    },
  });
  return { stream, pulled: () => index, cancelled: () => cancelled };
}

function streamingRequest(url: string, headers: Record<string, string>, body: ReadableStream<Uint8Array>): Request {
  return new Request(url, { method: "POST", headers, body, duplex: "half" } as RequestInit);
}

describe("createFetchHandler", () => {
  it("answers on every path by default (the framework routed it)", async () => {
    const handler = new RecordingHandler();
    const webhooks = createFetchHandler(handler, { secret: SECRET, ...quiet });
    const { body, headers } = signedDelivery();
    const response = await webhooks(new Request("http://example.test/api/cactus", { method: "POST", headers, body }));
    expect(response.status).toBe(200);
  });

  it("500 with advice when the body was already read", async () => {
    const handler = new RecordingHandler();
    const webhooks = createFetchHandler(handler, { secret: SECRET, ...quiet });
    const { body, headers } = signedDelivery();
    const request = new Request("http://example.test/webhooks", { method: "POST", headers, body });
    await request.json();
    const response = await webhooks(request);
    expect(response.status).toBe(500);
    expect(await response.text()).toContain("c.req.raw");
    expect(handler.calls).toEqual([]);
  });

  it("413: cancels a streamed body at the limit without pulling the rest", async () => {
    const handler = new RecordingHandler();
    const webhooks = createFetchHandler(handler, { secret: SECRET, maxBodyBytes: 1000, ...quiet });
    const { headers } = signedDelivery();
    const chunks = Array.from({ length: 100 }, () => new Uint8Array(512));
    const source = streamOf(chunks);
    const response = await webhooks(streamingRequest("http://example.test/webhooks", headers, source.stream));
    expect(response.status).toBe(413);
    expect(source.pulled()).toBeLessThan(10);
    expect(source.cancelled()).toBe(true);
  });

  it("408: a stalled body is cancelled", async () => {
    const handler = new RecordingHandler();
    const webhooks = createFetchHandler(handler, { secret: SECRET, bodyTimeoutMs: 100, ...quiet });
    const { body, headers } = signedDelivery();
    const source = streamOf([new TextEncoder().encode(body.slice(0, 10))], 1);
    const response = await webhooks(streamingRequest("http://example.test/webhooks", headers, source.stream));
    expect(response.status).toBe(408);
    expect(source.cancelled()).toBe(true);
    expect(handler.calls).toEqual([]);
  });
});
