import { isRecord } from "./record";

// Timers differ by runtime: Node and Bun return an object with ref()/unref(), browsers, Deno and
// Cloudflare Workers (on many compatibility dates) a number. Nothing here assumes either.

/** What `setTimeout` returned, on whichever runtime. */
export type TimerHandle = ReturnType<typeof setTimeout>;

/** A timer that can say whether it keeps the process alive (Node's and Bun's). */
export interface Refable {
  /** Keeps the process alive while the timer is pending. */
  ref(): unknown;
  /** Lets the process exit while only this timer is pending. */
  unref(): unknown;
}

function refable(timer: unknown): timer is Refable {
  return isRecord(timer) && typeof timer["ref"] === "function" && typeof timer["unref"] === "function";
}

/** `timer` as a {@link Refable}, where timers are objects that can be unref'd; else `undefined`. */
export function refableOf(timer: TimerHandle | undefined): Refable | undefined {
  return refable(timer) ? timer : undefined;
}

/** Lets the process exit while only this timer is pending, where timers can say so; else nothing. */
export function unrefTimer(timer: TimerHandle | undefined): void {
  if (refable(timer)) timer.unref();
}

/** Keeps the process alive while this timer is pending (the default), where timers can say so. */
export function refTimer(timer: TimerHandle | undefined): void {
  if (refable(timer)) timer.ref();
}

let shareable: boolean | undefined;

/**
 * Whether one timer may serve deliveries of different requests: only where timers belong to the
 * process and can be unref'd (Node, Bun). Where `setTimeout` returns a number (Cloudflare Workers,
 * Deno, browsers) a timer may belong to the request that armed it: Workers cancel it when that
 * request ends, so each deadline there gets a timer of its own. Probed once, with a timer that is
 * cleared at once.
 */
export function timersAreShareable(): boolean {
  if (shareable === undefined) {
    const probe = setTimeout(() => undefined, 60_000);
    clearTimeout(probe);
    shareable = refable(probe);
  }
  return shareable;
}
