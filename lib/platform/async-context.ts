import { loadNodeBuiltin } from "./node-builtins";
import { emitRuntimeWarning } from "./warning";

/** The part of `AsyncLocalStorage` the event context uses. */
export interface AsyncContextStore<T> {
  /** Runs `fn` with `store` as the current value of its whole async call tree. */
  run<R>(store: T, fn: () => R): R;
  /** The current value, or `undefined` outside `run`. */
  getStore(): T | undefined;
}

/** The warning code when the runtime has no AsyncLocalStorage and the event context stays off. */
export const ASYNC_CONTEXT_MISSING_WARNING = "CACTUS_ASYNC_CONTEXT_MISSING";

type StorageClass = new <T>() => AsyncContextStore<T>;

function storageClass(): StorageClass | undefined {
  // Cloudflare Workers (nodejs_compat or nodejs_als) expose it as a global; Node, Bun and Deno in node:async_hooks.
  const global: unknown = Reflect.get(globalThis, "AsyncLocalStorage");
  if (isStorageClass(global)) return global;
  return loadNodeBuiltin("node:async_hooks")?.AsyncLocalStorage;
}

// A constructor is all that can be checked before using it; Workers' global is the real class.
function isStorageClass(value: unknown): value is StorageClass {
  return typeof value === "function";
}

/**
 * A lazily created `AsyncLocalStorage`: the class is looked up at the first `run`, not at import.
 * Where the runtime has none, `run` just calls `fn`, `getStore` answers `undefined` and one
 * warning (`CACTUS_ASYNC_CONTEXT_MISSING`) says the context is off.
 */
export function lazyAsyncContext<T>(): AsyncContextStore<T> {
  let storage: AsyncContextStore<T> | null | undefined;
  const resolve = (): AsyncContextStore<T> | null => {
    if (storage === undefined) {
      const Storage = storageClass();
      storage = Storage === undefined ? null : new Storage<T>();
      if (storage === null) {
        emitRuntimeWarning(
          "This runtime has no AsyncLocalStorage, so getEventContext() returns undefined here. " +
            "Use the context every handler gets as its second argument, or enable nodejs_compat (or nodejs_als) on Cloudflare Workers.",
          ASYNC_CONTEXT_MISSING_WARNING,
        );
      }
    }
    return storage;
  };
  return {
    run: (store, fn) => {
      const found = resolve();
      return found === null ? fn() : found.run(store, fn);
    },
    // Nothing ran yet: nothing to find, and no reason to load anything.
    getStore: () => (storage === undefined || storage === null ? undefined : storage.getStore()),
  };
}
