/**
 * Whether `value` is a non-null object, typed so that its properties can be read by key. A plain
 * `value[key]` read is what V8 optimizes (inline caches, the for-in fast path); `Reflect.get` on a
 * hot path goes through its generic lookup every time.
 */
export function isRecord(value: unknown): value is Record<PropertyKey, unknown> {
  return typeof value === "object" && value !== null;
}
