// The one place that reaches for Node's built-in modules, and only when a caller asks: nothing of
// node: is imported at load time, so the package loads on runtimes without them (Cloudflare Workers
// without nodejs_compat, browsers, edge runtimes).

/** The built-ins the SDK can use where they exist. */
export interface NodeBuiltins {
  /** HMAC and constant-time compare for the synchronous verify/sign functions. */
  readonly "node:crypto": typeof import("node:crypto");
  /** AsyncLocalStorage for the event context. */
  readonly "node:async_hooks": typeof import("node:async_hooks");
}

const loaded: { -readonly [N in keyof NodeBuiltins]?: NodeBuiltins[N] | null } = {};

// One export each built-in must have, to tell it from whatever a bundler's require shim returns.
const MARKERS: { readonly [N in keyof NodeBuiltins]: string } = { "node:crypto": "createHmac", "node:async_hooks": "AsyncLocalStorage" };

function isBuiltin<N extends keyof NodeBuiltins>(name: N, value: unknown): value is NodeBuiltins[N] {
  return typeof value === "object" && value !== null && MARKERS[name] in value;
}

/** The running `process`, or `undefined` where there is none (a Worker without nodejs_compat). */
export function runtimeProcess(): NodeJS.Process | undefined {
  return typeof process === "undefined" || process === null ? undefined : process;
}

/**
 * A Node built-in module, or `undefined` on a runtime that has none. Tries
 * `process.getBuiltinModule` (Node 20.16+, Bun, Deno, workerd with nodejs_compat), then the
 * CommonJS `require` where there is one. The answer is cached.
 */
export function loadNodeBuiltin<N extends keyof NodeBuiltins>(name: N): NodeBuiltins[N] | undefined {
  const cached = loaded[name];
  if (cached !== undefined) return cached ?? undefined;
  const found = viaProcess(name) ?? viaRequire(name);
  loaded[name] = found ?? null;
  return found;
}

function viaProcess<N extends keyof NodeBuiltins>(name: N): NodeBuiltins[N] | undefined {
  try {
    const running = runtimeProcess();
    return typeof running?.getBuiltinModule === "function" ? running.getBuiltinModule(name) : undefined;
  } catch {
    return undefined;
  }
}

function viaRequire<N extends keyof NodeBuiltins>(name: N): NodeBuiltins[N] | undefined {
  try {
    // `require` exists in the CommonJS build on Node; a bundler's ESM shim throws, which means "none".
    if (typeof require !== "function") return undefined;
    const required: unknown = require(name);
    return isBuiltin(name, required) ? required : undefined;
  } catch {
    return undefined;
  }
}
