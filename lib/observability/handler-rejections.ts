import type { AsyncHook } from "node:async_hooks";
import { currentDelivery, type EventContextSource } from "./event-context";
import { printableLogText } from "./log-text";
import { serializeError } from "./logger";

// The delivery each promise was created in, while the event context is on (promises created
// outside a delivery are not recorded).
const createdIn = new WeakMap<object, EventContextSource>();
let hook: AsyncHook | undefined;

/**
 * With the event context on, an unhandled rejection of a promise created during a handler's run
 * (a forgotten `await`: the event may already be answered 2xx) is logged on the receiver's logger
 * with the event's id and type, then Node's own behaviour goes on: with no other
 * `unhandledRejection` listener and the default `--unhandled-rejections=throw`, the process still
 * crashes with the error, as it would without the SDK. Installed once, by the first receiver
 * built with `eventContext` (or `instrumentation`); a no-op where `node:async_hooks` is missing.
 */
export function watchHandlerRejections(): void {
  if (hook !== undefined || typeof process === "undefined" || typeof process.on !== "function") return;
  const asyncHooks = loadAsyncHooks();
  if (asyncHooks === undefined) return;
  hook = asyncHooks.createHook({
    init(_asyncId, type, _trigger, resource) {
      if (type !== "PROMISE") return;
      const delivery = currentDelivery();
      if (delivery !== undefined) createdIn.set(resource, delivery);
    },
  });
  hook.enable();
  process.on("unhandledRejection", onUnhandledRejection);
}

function onUnhandledRejection(reason: unknown, promise: Promise<unknown>): void {
  const context = createdIn.get(promise)?.eventContext();
  if (context !== undefined) {
    context.logger.error(
      { err: serializeError(reason) },
      `unhandled rejection from work started by the handler of ${printableLogText(context.eventType, 100)} ${printableLogText(context.eventId)}: ` +
        "a promise it did not await (a missing await?); its event may have been answered before this work failed",
    );
  }
  // Node's own behaviour, which a listener turns off: unless someone else listens too.
  if (process.listenerCount("unhandledRejection") > 1) return;
  const mode = unhandledRejectionsMode();
  if (mode === "throw" || mode === "strict") throw reason;
  if (mode === "warn" || mode === "warn-with-error-code") {
    process.emitWarning(`Unhandled promise rejection: ${serializeError(reason).message.slice(0, 200)}`, { code: "CACTUS_UNHANDLED_REJECTION" });
    if (mode === "warn-with-error-code") process.exitCode = 1;
  }
}

// --unhandled-rejections from the command line or NODE_OPTIONS; Node's default is throw.
function unhandledRejectionsMode(): string {
  const flags = [...process.execArgv, ...(process.env["NODE_OPTIONS"] ?? "").split(/\s+/)];
  for (const flag of flags.reverse()) {
    const match = /^--unhandled-rejections=([a-z-]+)$/.exec(flag);
    if (match?.[1] !== undefined) return match[1];
  }
  return "throw";
}

function loadAsyncHooks(): typeof import("node:async_hooks") | undefined {
  // process.getBuiltinModule (Node 20.16+, Bun, Deno) loads it on demand, so no runtime without
  // it pays for (or fails on) the import.
  return typeof process.getBuiltinModule === "function" ? process.getBuiltinModule("node:async_hooks") : undefined;
}
