import { CactusConfigError } from "../errors";
import type { CactusEventSource } from "../events/base";
import { isKnownEventType, type CactusEventType, type FullEventOf, type PushedEventOf } from "../events/catalog";
import { parseFullEvent, parseThinEvent } from "../events/parse";
import type { UnknownFullEvent, UnknownPushedEvent } from "../events/unknown";
import { fixtureEvent, fixtureEventId } from "../emulator/fixtures";
import type { WireFullEvent, WireObject, WireRelatedObject, WireThinEvent } from "../emulator/wire-types";

/**
 * An event type: one this SDK knows (with editor completion) or any other string, which gives an
 * unknown event, as a type Cactus adds after this release would.
 *
 * @example
 * ```ts
 * const types: TestEventType[] = ["order.lost", "order.refunded"];
 * ```
 */
export type TestEventType = CactusEventType | (string & {});

/**
 * What {@link createPushedEvent} returns for `T`: its pushed class, or `UnknownPushedEvent` for a
 * type this SDK does not know.
 *
 * @example
 * ```ts
 * type E = TestPushedEvent<"order.lost">; // OrderLostPushedEvent
 * ```
 */
export type TestPushedEvent<T extends string> = T extends CactusEventType ? PushedEventOf<T> : UnknownPushedEvent;

/**
 * What {@link createFullEvent} returns for `T`: its full class, or `UnknownFullEvent`.
 *
 * @example
 * ```ts
 * type E = TestFullEvent<"movie.completed">; // MovieCompletedEvent
 * ```
 */
export type TestFullEvent<T extends string> = T extends CactusEventType ? FullEventOf<T> : UnknownFullEvent;

/**
 * camelCase to snake_case, the naming of every wire field.
 *
 * @example
 * ```ts
 * type Name = SnakeCase<"lastSeenCity">; // "last_seen_city"
 * ```
 */
export type SnakeCase<S extends string> = S extends `${infer Head}${infer Tail}`
  ? `${Head extends Lowercase<Head> ? Head : `_${Lowercase<Head>}`}${SnakeCase<Tail>}`
  : S;

/**
 * What a data value looks like in a payload: a `Date` is an ISO 8601 string, anything else as is.
 *
 * @example
 * ```ts
 * type Started = WireValue<Date>; // string
 * ```
 */
export type WireValue<V> = V extends Date ? string : V;

/**
 * The `data` of event type `T` with wire (snake_case) names, as it appears in payloads, every
 * field optional: `{ last_seen_city?: string }` for `order.lost`. Any JSON object for a type this
 * SDK does not know.
 *
 * @example
 * ```ts
 * const data: WireDataOverrides<"order.delivery_attempted"> = { attempt_num: 2, success: true };
 * ```
 */
export type WireDataOverrides<T extends string> = T extends CactusEventType
  ? { [K in keyof FullEventOf<T>["data"] & string as SnakeCase<K>]?: WireValue<FullEventOf<T>["data"][K]> }
  : WireObject;

/**
 * Options of {@link createPushedEvent}.
 *
 * @example
 * ```ts
 * const options: PushedEventOverrides = { id: "evt_test_1", client };
 * ```
 */
export interface PushedEventOverrides {
  /** The event id. Default: the emulator's fixture id for the type (`evt_order_lost`), so `pull()` finds it there. */
  readonly id?: string;
  /** Replaces the fixture `related_object` (wire form); `null` sends `"related_object": null`. */
  readonly related_object?: WireRelatedObject | null;
  /** Binds the event to this client (as `client.parseEventV2` does), so `pull()` and `fetchRelatedObject()` work. */
  readonly client?: CactusEventSource;
}

/**
 * Options of {@link createFullEvent}: those of {@link PushedEventOverrides} plus `data`.
 *
 * @example
 * ```ts
 * const options: FullEventOverrides<"order.lost"> = { data: { last_seen_city: "Paris" } };
 * ```
 */
export interface FullEventOverrides<T extends string> extends Omit<PushedEventOverrides, "client"> {
  /** Merged over the fixture data, with wire (snake_case) names, as in a payload. */
  readonly data?: WireDataOverrides<T>;
}

/**
 * A pushed (thin) event of `type`, as `client.parseEventV2` would give it for a delivery: built
 * from valid fixture data (about the order `ord_456` or the movie `mov_789`), then parsed and
 * validated exactly as a delivery is, so an override that makes it invalid throws the same
 * `CactusValidationError`. Pass `{ client }` to make `pull()` and `fetchRelatedObject()` work (see
 * {@link startEmulator}). A type this SDK does not know gives an `UnknownPushedEvent`.
 *
 * @example
 * ```ts
 * const event = createPushedEvent("order.lost");           // OrderLostPushedEvent
 * await new MyHandler(client).onOrderLost(event);
 * const other = createPushedEvent("order.refunded");       // UnknownPushedEvent
 * ```
 */
export function createPushedEvent<T extends TestEventType>(type: T, overrides: PushedEventOverrides = {}): TestPushedEvent<T> {
  const full = wireEvent(type, overrides, undefined, "createPushedEvent");
  const thin: WireThinEvent = { id: full.id, type: full.type };
  if (full.related_object !== undefined) thin.related_object = full.related_object;
  const event = parseThinEvent(thin, overrides.client);
  if (!matchesType<TestPushedEvent<T>>(event, type)) throw new CactusConfigError(`createPushedEvent(${JSON.stringify(type)}) built a ${event.type} event`);
  return event;
}

/**
 * A full (pulled) event of `type`, as `event.pull()` or `client.retrieveEvent` would give it: the
 * fixture data with `overrides.data` merged over it (wire names, as in a payload), validated as
 * the client validates what the API returns.
 *
 * @example
 * ```ts
 * const full = createFullEvent("movie.completed", { data: { rating: 5 } }); // MovieCompletedEvent
 * full.data.rating; // 5
 * ```
 */
export function createFullEvent<T extends TestEventType>(type: T, overrides: FullEventOverrides<T> = {}): TestFullEvent<T> {
  const event = parseFullEvent(wireFullEvent(type, overrides, "createFullEvent"), "test event");
  if (!matchesType<TestFullEvent<T>>(event, type)) throw new CactusConfigError(`createFullEvent(${JSON.stringify(type)}) built a ${event.type} event`);
  return event;
}

/** The wire JSON {@link createFullEvent} parses (not validated: parse it to check it). */
export function wireFullEvent<T extends TestEventType>(type: T, overrides: FullEventOverrides<T>, where: string): WireFullEvent {
  return wireEvent(type, overrides, overrides.data, where);
}

function wireEvent(type: string, overrides: Omit<PushedEventOverrides, "client">, data: object | undefined, where: string): WireFullEvent {
  if (typeof type !== "string" || type === "") throw new CactusConfigError(`${where} needs an event type, e.g. "order.shipped"`);
  const id = overrides.id ?? fixtureEventId(type);
  const base: WireFullEvent = isKnownEventType(type) ? fixtureEvent(type, id) : { id, type, data: {} };
  if (data !== undefined && isKnownEventType(type)) checkDataKeys(type, base.data, data, where);
  const event: WireFullEvent = { ...base, data: { ...base.data, ...data } };
  if (overrides.related_object !== undefined) event.related_object = overrides.related_object;
  return event;
}

// The validator ignores keys it does not know (they are dropped as on the wire), so a misspelled
// or camelCase override would silently do nothing: say so instead.
function checkDataKeys(type: string, fixture: WireObject, data: object, where: string): void {
  const known = Object.keys(fixture);
  const unknown = Object.keys(data).filter((key) => !known.includes(key));
  if (unknown.length > 0) {
    throw new CactusConfigError(
      `${where}(${JSON.stringify(type)}): data has no field ${unknown.map((key) => JSON.stringify(key)).join(", ")}; ` +
        `use the wire names: ${known.join(", ")}`,
    );
  }
}

function matchesType<E>(event: { readonly type: string }, type: string): event is E & { readonly type: string } {
  return event.type === type;
}

