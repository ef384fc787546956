import { safeJsonCopy } from "./safe-json";
import { instanceToPlain } from "class-transformer";

/**
 * The wire form of a hydrated event or related object: snake_case names from each property's
 * `@Wire` (class-transformer `@Expose`) metadata, timestamps and dates as the ISO strings the wire
 * carries, nested objects likewise, and no client binding (it is not a property). What `toJSON()`
 * returns, so that `client.parseEventV2(JSON.stringify(event))` gives the event back.
 *
 * @example
 * ```ts
 * toWireJson(order); // { id: "ord_456", created: "2024-05-01T12:30:00.000Z", num_items: 3, ... }
 * ```
 */
export function toWireJson(instance: object): Record<string, unknown> {
  // exposeAll, not excludeAll: an unknown event's `data` is a plain object with no metadata, and
  // excludeAll would empty it. Hydrated instances only hold exposed keys, so nothing else leaks.
  return withoutUndefined(instanceToPlain(instance, { strategy: "exposeAll" }));
}

// An absent optional property (`related_object` of `order.lost`) is absent on the wire too, not
// a key holding `undefined`.
function withoutUndefined(plain: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(plain)) {
    if (value === undefined) continue;
    // defineProperty: a key named `__proto__` stays a key instead of replacing the prototype.
    Object.defineProperty(out, key, { value: isPlainObject(value) ? withoutUndefined(value) : value, enumerable: true, writable: true, configurable: true });
  }
  return out;
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/**
 * The keys of `plain` (a payload) that `modelled` (the wire form of what it hydrated into) lacks,
 * at the same paths; nested objects present in both are compared key by key. `undefined` when
 * there are none. Used to keep the fields of a newer API version this SDK does not model.
 */
export function extraFieldsOf(plain: Readonly<Record<string, unknown>>, modelled: Readonly<Record<string, unknown>>): Record<string, unknown> | undefined {
  let extras: Record<string, unknown> | undefined;
  for (const [key, value] of Object.entries(plain)) {
    const known = Object.hasOwn(modelled, key) ? modelled[key] : undefined;
    const extra = known === undefined ? value : isPlainObject(value) && isPlainObject(known) ? extraFieldsOf(value, known) : undefined;
    if (extra === undefined) continue;
    extras ??= {};
    Object.defineProperty(extras, key, { value: extra, enumerable: true, writable: true, configurable: true });
  }
  return extras;
}

/** `wire` with `extras` (from {@link extraFieldsOf}) put back at their paths; modelled keys win. */
export function withExtraFields(wire: Record<string, unknown>, extras: Readonly<Record<string, unknown>>): Record<string, unknown> {
  for (const [key, extra] of Object.entries(extras)) {
    const current = Object.hasOwn(wire, key) ? wire[key] : undefined;
    if (current === undefined) Object.defineProperty(wire, key, { value: safeJsonCopy(extra), enumerable: true, writable: true, configurable: true });
    else if (isPlainObject(current) && isPlainObject(extra)) withExtraFields(current, extra);
  }
  return wire;
}
