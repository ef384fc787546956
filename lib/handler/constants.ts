// Metadata keys written by the handler decorators and read once by `CactusRouter.register`.
// One place for them, as in nestjs/cqrs: a decorator only records, the router only reads.

/**
 * Key under which `@On(pattern)` records `{ pattern, method }` entries on a class prototype.
 *
 * @example
 * ```ts
 * Reflect.getOwnMetadata(ON_EVENT_METADATA, MyHandlers.prototype); // [{ pattern: "order.shipped", method: "shipped" }]
 * ```
 */
export const ON_EVENT_METADATA = "cactus:on_event";

/**
 * Key under which `@OnOther()` records `{ pattern: null, method }` entries for a class's catch-alls.
 *
 * @example
 * ```ts
 * Reflect.getOwnMetadata(ON_OTHER_METADATA, MyHandlers.prototype); // [{ pattern: null, method: "other" }]
 * ```
 */
export const ON_OTHER_METADATA = "cactus:on_other";
