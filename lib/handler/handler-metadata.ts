import "reflect-metadata";
import { CactusConfigError } from "../errors";
import { ON_EVENT_METADATA, ON_OTHER_METADATA } from "./constants";
import type { CactusEventPattern } from "./event-pattern";

/**
 * One decorated method, as `@On` / `@OnOther` record it. `pattern: null` is a catch-all (`@OnOther`).
 *
 * @example
 * ```ts
 * const entry: HandlerMethodMetadata = { pattern: "movie.completed", method: "rated" };
 * ```
 */
export interface HandlerMethodMetadata {
  /** The pattern it subscribes to, or `null` for `@OnOther()`. */
  readonly pattern: CactusEventPattern | null;
  /** The method's name on the instance. */
  readonly method: string | symbol;
}

/**
 * Appends one entry to `prototype`'s own list under `key`. Own metadata only: a subclass gets its
 * own list instead of pushing into its base class's (which every other subclass shares).
 *
 * @example
 * ```ts
 * recordHandlerMethod(target, ON_EVENT_METADATA, { pattern: "order.lost", method: "lost" }, '@On("order.lost")');
 * ```
 */
export function recordHandlerMethod(
  prototype: object,
  key: typeof ON_EVENT_METADATA | typeof ON_OTHER_METADATA,
  entry: HandlerMethodMetadata,
  decorator: string,
): void {
  if (typeof prototype === "function") {
    // A static method: register(instance) could never find it, so say so when the class loads.
    throw new CactusConfigError(`${decorator} decorates instance methods; ${prototype.name}.${String(entry.method)} is static`);
  }
  const own: unknown = Reflect.getOwnMetadata(key, prototype);
  const list: HandlerMethodMetadata[] = Array.isArray(own) ? own.filter(isEntry) : [];
  list.push(entry);
  Reflect.defineMetadata(key, list, prototype);
}

// Standard (TC39) method decorators see no prototype: they register an initializer that runs
// when an instance is constructed, base class first. Their entries are kept per instance here
// (weakly, so a dropped instance takes its list with it).
const instanceEntries = new WeakMap<object, HandlerMethodMetadata[]>();

/**
 * Records one entry for `instance`, from a standard decorator's initializer (which runs in the
 * constructor, base classes first).
 *
 * @example
 * ```ts
 * context.addInitializer(function () { recordInstanceHandlerMethod(this, { pattern: "order.lost", method: "lost" }); });
 * ```
 */
export function recordInstanceHandlerMethod(instance: object, entry: HandlerMethodMetadata): void {
  let list = instanceEntries.get(instance);
  if (list === undefined) instanceEntries.set(instance, (list = []));
  list.push(entry);
}

/**
 * Every decorated method of `instance`'s class and its base classes, base classes first, each
 * (pattern, method) once: a subclass that overrides and re-decorates a method does not subscribe
 * it twice. Reads both what legacy decorators recorded on the prototypes and what standard
 * decorators recorded for this instance.
 *
 * @example
 * ```ts
 * handlerMethodsOf(new MovieHandlers()); // [{ pattern: "movie.completed", method: "rated" }, ...]
 * ```
 */
export function handlerMethodsOf(instance: object): HandlerMethodMetadata[] {
  const chain: object[] = [];
  for (let proto: unknown = Object.getPrototypeOf(instance); isObject(proto) && proto !== Object.prototype; proto = Object.getPrototypeOf(proto)) {
    chain.unshift(proto);
  }
  const seen = new Set<string>();
  const found: HandlerMethodMetadata[] = [];
  for (const proto of chain) {
    for (const key of [ON_EVENT_METADATA, ON_OTHER_METADATA]) {
      const own: unknown = Reflect.getOwnMetadata(key, proto);
      const entries: HandlerMethodMetadata[] = Array.isArray(own) ? own.filter(isEntry) : [];
      for (const entry of entries) {
        const id = `${String(entry.pattern)}\0${String(entry.method)}`;
        if (seen.has(id)) continue;
        seen.add(id);
        found.push(entry);
      }
    }
  }
  for (const entry of instanceEntries.get(instance) ?? []) {
    const id = `${String(entry.pattern)}\0${String(entry.method)}`;
    if (seen.has(id)) continue;
    seen.add(id);
    found.push(entry);
  }
  return found;
}

function isObject(value: unknown): value is object {
  return typeof value === "object" && value !== null;
}

function isEntry(value: unknown): value is HandlerMethodMetadata {
  return isObject(value) && "pattern" in value && "method" in value;
}
