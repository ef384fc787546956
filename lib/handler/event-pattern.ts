import type { CactusEventContext } from "../observability/event-context";
import { CactusConfigError } from "../errors";
import {
  knownEventTypes,
  type CactusEventType,
  type PushedEventOf,
  type PushedThinEvent,
} from "../events/catalog";

// Conditional types distribute only over a naked type parameter, hence the helper.
type DomainOf<T extends string> = T extends `${infer Domain}.${string}` ? Domain : never;

/**
 * The part of a known event type before its first dot: `"order" | "movie"`. Derived from the
 * catalog, so a new domain (`"invoice.paid"`) adds `"invoice"` here by itself.
 *
 * @example
 * ```ts
 * const domain: CactusEventDomain = "order";
 * ```
 */
export type CactusEventDomain = DomainOf<CactusEventType>;

/**
 * What a router subscription listens to: one known type (`"movie.completed"`), every known type of
 * a domain (`"order.*"`), or every event, known or not (`"*"`).
 *
 * @example
 * ```ts
 * const patterns: CactusEventPattern[] = ["order.shipped", "order.*", "*"];
 * ```
 */
export type CactusEventPattern = CactusEventType | `${CactusEventDomain}.*` | "*";

/**
 * The event a handler for pattern `P` receives:
 * - a known type: its pushed class (`"movie.completed"` -> `MovieCompletedPushedEvent`);
 * - `"order.*"`: the union of the pushed classes of the known `order.` types. A type this SDK does
 *   not know (say `order.refunded`) never matches a prefix, since no class describes it: it goes to
 *   `"*"` and `onOther` as an `UnknownPushedEvent`;
 * - `"*"`: {@link PushedThinEvent}, every event including unknown ones.
 *
 * @example
 * ```ts
 * type E = EventForPattern<"order.*">; // OrderShippedPushedEvent | OrderDeliveryAttemptedPushedEvent | OrderLostPushedEvent
 * ```
 */
export type EventForPattern<P extends CactusEventPattern> = P extends "*"
  ? PushedThinEvent
  : P extends CactusEventType
    ? PushedEventOf<P>
    : P extends `${infer Domain}.*`
      ? PushedEventOf<Extract<CactusEventType, `${Domain}.${string}`>>
      : never;

/**
 * A function that handles one event. It may return a promise; the router awaits it. Declared as a
 * function type (not a method signature) so that TypeScript checks its parameter strictly: a
 * handler that only accepts `OrderShippedPushedEvent` cannot subscribe to `"order.*"`.
 *
 * @example
 * ```ts
 * const rate: RouterHandlerFn<MovieCompletedPushedEvent> = async (event, context) => context.logger.info({ id: event.id }, "rated");
 * ```
 */
export type RouterHandlerFn<E> = (event: E, context: CactusEventContext) => unknown;

// Read from the catalog at registration time (not per event), so the patterns follow the catalog.
function validPatterns(): ReadonlySet<string> {
  const types = knownEventTypes();
  const domains = new Set(types.map((type) => type.slice(0, type.indexOf("."))));
  return new Set<string>([...types, ...[...domains].map((domain) => `${domain}.*`), "*"]);
}

/**
 * Throws {@link CactusConfigError} unless `pattern` is a {@link CactusEventPattern}. The compiler
 * already rejects a misspelled literal; this catches JavaScript callers and computed strings, at
 * registration rather than at the first event.
 *
 * @example
 * ```ts
 * assertEventPattern("order.*", "router.on");     // passes
 * assertEventPattern("order.shiped", "router.on"); // throws CactusConfigError listing the valid patterns
 * ```
 */
export function assertEventPattern(pattern: unknown, where: string): asserts pattern is CactusEventPattern {
  const patterns = validPatterns();
  if (typeof pattern === "string" && patterns.has(pattern)) return;
  throw new CactusConfigError(
    `${where}: ${JSON.stringify(pattern)} is not an event pattern. ` +
      `Use a known type, a domain prefix or "*": ${[...patterns].join(", ")}`,
  );
}

/**
 * Whether a subscription to `pattern` receives `event` (see {@link EventForPattern}).
 *
 * @example
 * ```ts
 * patternMatches("order.*", shipped); // true; and false for an unknown "order.refunded"
 * ```
 */
export function patternMatches(pattern: CactusEventPattern, event: PushedThinEvent): boolean {
  if (pattern === "*") return true;
  if (!event.known) return false;
  if (pattern.endsWith(".*")) return event.type.startsWith(pattern.slice(0, -1));
  return pattern === event.type;
}
