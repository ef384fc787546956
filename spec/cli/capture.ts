import { createServer as createNetServer } from "node:net";
import type { CliIo } from "../../lib/cli/cli-io";

/** What a CLI run printed, and the io that collected it. */
export interface Captured {
  readonly out: string[];
  readonly err: string[];
  readonly io: CliIo;
}

/** An in-memory {@link CliIo}; `extra` adds a signal, colour or a progress stream. */
export function capture(extra: Partial<Pick<CliIo, "signal" | "color" | "progressStream">> = {}): Captured {
  const out: string[] = [];
  const err: string[] = [];
  return { out, err, io: { out: (line) => out.push(line), err: (line) => err.push(line), ...extra } };
}

/** A TCP port that was free a moment ago. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createNetServer();
    probe.once("error", reject);
    probe.listen(0, "127.0.0.1", () => {
      const address = probe.address();
      const port = typeof address === "object" && address !== null ? address.port : 0;
      probe.close(() => resolve(port));
    });
  });
}
