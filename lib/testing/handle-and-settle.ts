import { AsyncResource, createHook, executionAsyncId } from "node:async_hooks";
import { dirname, sep } from "node:path";
import { runInThisContext } from "node:vm";
import { CactusFloatingWorkError, type FloatingWork } from "../errors";
import type { HandleResult } from "../delivery/types";
import type { EventBody } from "../events/json";

/** Options of {@link handleAndSettle}. */
export interface HandleAndSettleOptions {
  /**
   * How long to wait after the handler returned for work it started to finish, in milliseconds.
   * Whatever is still running then, or rejected meanwhile with nobody awaiting it, fails the call.
   * Default 50.
   */
  readonly settleMs?: number;
}

/** What {@link handleAndSettle} needs of a receiver: a `CactusHandler` subclass or a `CactusRouter`. */
export interface HandlingReceiver {
  /** Parses and dispatches one event. */
  handle(body: EventBody): Promise<HandleResult>;
}

// This file, as stack frames name it (a path in CommonJS, a file: URL in ES modules; neither build
// has the other's __filename or import.meta), and the SDK's own files beside it: promises created
// there are the SDK's business, not the handler's.
const HERE = locationOf(new Error().stack?.split("\n")[1] ?? "");
const SDK_ROOT = dirname(dirname(HERE));

/**
 * Runs `receiver.handle(body)` like a test would, then checks that the handler did not return
 * before the work it started was done: a promise created by your code during the handler's run
 * that is still pending `settleMs` after it returned, or that rejected with nobody awaiting it,
 * fails the call with {@link CactusFloatingWorkError} naming where each was created. That is the
 * forgotten `await` (`event.pull().then(...)` without `await`), which in production acknowledges
 * the event before its work is done and may crash the process on the rejection.
 *
 * How: Node's `async_hooks` follow every promise created inside this call's async tree (so other
 * tests' promises are not counted); a promise counts when the first frame of its creation stack
 * outside the SDK and `node_modules` is your code. Node only; for tests (it records a stack per
 * promise while it runs).
 *
 * @example
 * ```ts
 * const result = await handleAndSettle(new MyHandler(client), createPushedEvent("order.shipped"));
 * expect(result.handledBy).toBe("onOrderShipped");
 * ```
 */
export async function handleAndSettle(receiver: HandlingReceiver, body: EventBody, options: HandleAndSettleOptions = {}): Promise<HandleResult> {
  const settleMs = options.settleMs ?? 50;
  const inTree = new Set<number>();
  const open = new Map<number, string>();
  const byPromise = new WeakMap<object, string>();
  const rejected: FloatingWork[] = [];
  const hook = createHook({
    init(asyncId, type, triggerAsyncId, resource) {
      if (!inTree.has(triggerAsyncId) && !inTree.has(executionAsyncId())) return;
      inTree.add(asyncId);
      if (type !== "PROMISE") return;
      const site = userFrame(new Error().stack);
      if (site === undefined) return;
      open.set(asyncId, site);
      byPromise.set(resource, site);
    },
    promiseResolve(asyncId) {
      open.delete(asyncId);
    },
  });
  // Node reports unhandled rejections on its own process object; a test runner that sandboxes
  // `process` (jest) has its own listener there, which gets every rejection that is not ours.
  const nodeProcess = realProcess();
  const others = nodeProcess.listeners("unhandledRejection");
  const onRejection = (reason: unknown, promise: Promise<unknown>): void => {
    const site = byPromise.get(promise);
    if (site !== undefined) rejected.push({ state: "rejected", createdAt: site, reason });
    else for (const listener of others) Reflect.apply(listener, nodeProcess, [reason, promise]);
  };
  const run = new AsyncResource("CactusHandleAndSettle");
  inTree.add(run.asyncId());
  const stackLimit = Error.stackTraceLimit;
  Error.stackTraceLimit = Math.max(stackLimit, 50);
  for (const listener of others) nodeProcess.removeListener("unhandledRejection", listener);
  nodeProcess.on("unhandledRejection", onRejection);
  hook.enable();
  let result: HandleResult | undefined;
  let failure: { error: unknown } | undefined;
  try {
    try {
      result = await run.runInAsyncScope(() => receiver.handle(body));
    } catch (error) {
      failure = { error };
    }
    // What the handler started now has settleMs to finish; rejections surface after a turn.
    await new Promise((resolve) => setTimeout(resolve, settleMs));
    await new Promise((resolve) => setImmediate(resolve));
  } finally {
    hook.disable();
    nodeProcess.removeListener("unhandledRejection", onRejection);
    for (const listener of others) nodeProcess.on("unhandledRejection", listener);
    Error.stackTraceLimit = stackLimit;
    run.emitDestroy();
  }
  const pending: FloatingWork[] = [...open.values()].map((createdAt) => ({ state: "pending", createdAt }));
  const left = [...rejected, ...pending.filter((item) => !rejected.some((r) => r.createdAt === item.createdAt))];
  if (left.length > 0) {
    const event = result?.event ?? eventOf(failure?.error);
    throw new CactusFloatingWorkError(event.id, event.type, left);
  }
  if (failure !== undefined) throw failure.error;
  if (result === undefined) throw new TypeError("handle() resolved with nothing");
  return result;
}

// The process Node emits its events on. Under jest, test code sees a copy of it whose listeners
// Node never calls; the main context's `process` is the real one.
function realProcess(): NodeJS.Process {
  try {
    const found: unknown = runInThisContext("process");
    if (isProcess(found)) return found;
  } catch {
    // code generation from strings is off: the global process is all there is
  }
  return process;
}

// The file of a stack frame (`at f (/a/b.ts:1:2)`, `at /a/b.ts:1:2`, `at file:///a/b.mjs:1:2`).
function locationOf(frame: string): string {
  const text = frame.trim().replace(/^at /, "");
  const inParens = /\(([^()]+)\)$/.exec(text)?.[1] ?? text;
  return inParens.replace(/:\d+:\d+$/, "").replace(/:\d+$/, "");
}

function isProcess(value: unknown): value is NodeJS.Process {
  return typeof value === "object" && value !== null && typeof Reflect.get(value, "listeners") === "function" && typeof Reflect.get(value, "removeListener") === "function";
}

// The first frame of a creation stack that is neither Node's, a dependency's nor the SDK's.
function userFrame(stack: string | undefined): string | undefined {
  if (stack === undefined) return undefined;
  // Line 0 is the message, line 1 the hook's own init frame.
  for (const line of stack.split("\n").slice(2)) {
    const frame = line.trim();
    // Only the synchronous frames say who created it: "at async ..." frames are the awaiting
    // callers (the test itself, for every promise created while it awaits).
    if (!frame.startsWith("at ") || frame.startsWith("at async ")) continue;
    const location = locationOf(frame);
    // Below this helper's own frame is whoever called it (the test), not the handler.
    if (location === HERE) return undefined;
    if (location.startsWith("node:") || /[\\/]node_modules[\\/]/.test(location) || location.startsWith(`${SDK_ROOT}/`) || location.startsWith(SDK_ROOT + sep) || location === "<anonymous>") continue;
    return frame.slice(3);
  }
  return undefined;
}

function eventOf(error: unknown): { id: string; type: string } {
  const id: unknown = typeof error === "object" && error !== null ? Reflect.get(error, "eventId") : undefined;
  const type: unknown = typeof error === "object" && error !== null ? Reflect.get(error, "eventType") : undefined;
  return { id: typeof id === "string" ? id : "(unknown)", type: typeof type === "string" ? type : "(unknown)" };
}
