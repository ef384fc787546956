import { Presets, SingleBar } from "cli-progress";
import type { CliIo } from "./cli-io";

/** A progress bar for a run of deliveries. */
export interface DeliveryProgress {
  /** One delivery finished. */
  tick(delivered: boolean): void;
  /** Removes the bar. */
  stop(): void;
}

/** A bar on `io.progressStream` (a terminal), or one that draws nothing when there is none. */
export function startProgress(io: CliIo, total: number): DeliveryProgress {
  const stream = io.progressStream;
  if (stream === undefined) return { tick: () => undefined, stop: () => undefined };
  const bar = new SingleBar(
    {
      stream,
      format: "{bar} {value}/{total} sent | {ok} 2xx | {failed} failed",
      hideCursor: true,
      clearOnComplete: true,
      etaBuffer: 50,
    },
    Presets.shades_classic,
  );
  let ok = 0;
  let failed = 0;
  bar.start(total, 0, { ok, failed });
  return {
    tick(delivered) {
      if (delivered) ok += 1;
      else failed += 1;
      bar.increment(1, { ok, failed });
    },
    stop: () => bar.stop(),
  };
}
