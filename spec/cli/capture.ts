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

/** A TCP port that was free a moment ago (the queue example's helper). */
export { freePort } from "../../examples/queue/local-redis";
