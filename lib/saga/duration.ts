import { CactusArgumentError } from "../errors";

/** A duration: milliseconds, or a string such as `"3d"`, `"12h"`, `"30m"`, `"10s"`, `"500ms"`. */
export type SagaDuration = number | `${number}${"ms" | "s" | "m" | "h" | "d"}`;

const UNITS: Readonly<Record<string, number>> = { ms: 1, s: 1_000, m: 60_000, h: 3_600_000, d: 86_400_000 };

/** `duration` in ms; a malformed one throws `CactusArgumentError` naming `argument`. */
export function durationMs(duration: SagaDuration, argument: string): number {
  if (typeof duration === "number") {
    if (Number.isFinite(duration) && duration >= 0) return duration;
  } else if (typeof duration === "string") {
    const match = /^(\d+(?:\.\d+)?)(ms|s|m|h|d)$/.exec(duration);
    const unit = match?.[2];
    if (match !== null && unit !== undefined) return Number(match[1]) * (UNITS[unit] ?? 1);
  }
  throw new CactusArgumentError(argument, `${argument} must be a duration: ms >= 0, or a string such as "3d", "12h", "30m", "10s", "500ms"; got ${JSON.stringify(duration)}`);
}
