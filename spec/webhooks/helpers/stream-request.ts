import { request } from "node:http";

/** How a streamed request went. */
export interface StreamResult {
  /** Status of the answer, if one arrived. */
  readonly status: number | undefined;
  /** Body of the answer. */
  readonly text: string;
  /** Bytes the client managed to write before it got the answer (or gave up). */
  readonly bytesWritten: number;
}

/**
 * POSTs a body produced chunk by chunk, honouring backpressure, and stops writing as soon as the
 * answer arrives: a server that answers early (413, 408) is seen doing so, because the client
 * has not written everything. `pause(i, answer)` resolves when chunk `i` may be sent (for slow
 * drips); return `answer` to stall until the server answers.
 */
export function streamRequest(options: {
  url: string;
  headers: Record<string, string>;
  chunks: Iterable<Uint8Array | string>;
  pause?: (index: number, answer: Promise<void>) => Promise<void>;
}): Promise<StreamResult> {
  return new Promise((resolve) => {
    let bytesWritten = 0;
    let answered = false;
    let markAnswered: () => void = () => undefined;
    const answer = new Promise<void>((done) => (markAnswered = done));
    let settled = false;
    const finish = (result: StreamResult): void => {
      if (settled) return;
      settled = true;
      resolve(result);
    };
    const req = request(options.url, { method: "POST", headers: options.headers });
    req.on("response", (res) => {
      answered = true;
      markAnswered();
      let text = "";
      res.setEncoding("utf8");
      res.on("data", (chunk: string) => (text += chunk));
      res.on("end", () => {
        finish({ status: res.statusCode, text, bytesWritten });
        req.destroy();
      });
      res.on("error", () => finish({ status: res.statusCode, text, bytesWritten }));
    });
    // The server may close the connection while we still write: that is the point of the test.
    req.on("error", () => {
      markAnswered();
      if (!answered) finish({ status: undefined, text: "", bytesWritten });
    });
    void (async () => {
      let index = 0;
      for (const chunk of options.chunks) {
        if (answered || req.destroyed) return;
        if (options.pause) await options.pause(index, answer);
        if (answered || req.destroyed) return;
        const size = typeof chunk === "string" ? Buffer.byteLength(chunk) : chunk.byteLength;
        const flushed = req.write(chunk);
        bytesWritten += size;
        index += 1;
        if (!flushed) {
          await new Promise<void>((resume) => {
            const done = (): void => {
              req.off("drain", done);
              req.off("close", done);
              resume();
            };
            req.on("drain", done);
            req.on("close", done);
          });
        }
      }
      if (!answered && !req.destroyed) req.end();
    })();
  });
}

/** `count` chunks of `size` bytes of `fill`. */
export function* repeatChunks(count: number, size: number, fill = 0x20): Generator<Uint8Array> {
  const chunk = new Uint8Array(size).fill(fill);
  for (let i = 0; i < count; i++) yield chunk;
}

/** Resolves after `ms` milliseconds (for slow-drip senders; never used to assert timing). */
export function delay(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
