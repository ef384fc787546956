// Decorators below read type metadata while this module loads, whichever module a program imports first.
import "reflect-metadata";
import { Type } from "class-transformer";
import { IsNotEmpty, IsObject, IsOptional, IsString, ValidateNested } from "class-validator";
import { CactusNotBoundError, CactusValidationError } from "../errors";
import type { Movie, Order, RelatedObjectKind } from "./related-objects";
import { CURRENT_API_VERSION } from "./api-versions";
import { toWireJson, withExtraFields } from "./to-wire";
import { IsoDate, ValueTransform, Wire } from "./wire";

/** The `related_object` pointer of a thin event: which object the event is about. */
export class RelatedObjectRef {
  /** Id of the related object, e.g. `ord_456`. */
  @Wire() @IsString() @IsNotEmpty() readonly id!: string;
  /** Kind of the related object, e.g. `order`. */
  @Wire() @IsString() @IsNotEmpty() readonly type!: string;
}

/** A {@link RelatedObjectRef} whose kind is known to be `K`. */
export interface RelatedObjectRefOf<K extends RelatedObjectKind> extends RelatedObjectRef {
  /** Kind of the related object. */
  readonly type: K;
}

/** What the parser records about the API version of the payload an event came from. */
export interface EventVersionStamp {
  /** The payload's `api_version` (or the pinned one when it had none). */
  readonly arrived: string;
  /** The `api_version` `toJSON()` writes: the shape the event has now; `undefined` writes none. */
  readonly wire: string | undefined;
  /** Fields of a newer version's payload that this SDK does not model, at their wire paths. */
  readonly extras: Readonly<Record<string, unknown>> | undefined;
}

// Set by BaseThinEvent's static block: the only code that can read or write its private fields.
let bindSource: (event: BaseThinEvent, source: CactusEventSource) => void;
let boundSource: (event: BaseThinEvent) => CactusEventSource | undefined;
let writeVersion: (event: BaseThinEvent, stamp: EventVersionStamp) => void;
const NO_EXTRA_FIELDS: Readonly<Record<string, unknown>> = Object.freeze({});

/**
 * What every pushed event is: `id`, `type` and, for types that have one, `relatedObject`.
 * `onOther` receives this type.
 */
export class BaseThinEvent {
  /** Event id, `evt_...`. The same id can be delivered more than once. */
  @Wire() @IsString() @IsNotEmpty() readonly id!: string;
  /** Event type, e.g. `order.shipped`. */
  @Wire() @IsString() @IsNotEmpty() readonly type!: string;
  /** The object this event is about; absent for types that have none (`order.lost`). */
  @Wire("related_object")
  @IsOptional()
  @IsObject({ message: "$property must be an object with id and type" })
  @ValidateNested()
  @Type(() => RelatedObjectRef)
  readonly relatedObject?: RelatedObjectRef | null | undefined;

  // ---- created (when Cactus created the event) ----------------------------------------------
  /**
   * When Cactus created the event (`created` on the wire, ISO 8601 UTC). `undefined` for a payload
   * from an older sender that does not carry it: ordering then falls back to the time of receipt.
   */
  @Wire() @IsOptional() @IsoDate("timestamp") @ValueTransform((value) => (value === null ? undefined : value))
  readonly created?: Date | undefined;
  // ---- end created ------------------------------------------------------------------------------

  // The client that parsed this event: an ES private field, so the binding stays out of
  // JSON.stringify, console.log and equality checks, and costs one slot (not a WeakMap entry).
  #source: CactusEventSource | undefined = undefined;
  // Set by the parser only when the payload said something about its version (or was upcast).
  #version: EventVersionStamp | undefined = undefined;

  static {
    bindSource = (event, source) => {
      event.#source = source;
    };
    boundSource = (event) => event.#source;
    writeVersion = (event, stamp) => {
      event.#version = stamp;
    };
  }

  /**
   * The API version of the payload as it arrived (its `api_version`; without one, the version the
   * client is pinned to). An older version's event has been upcast: its classes and `data` are
   * today's whatever this says.
   *
   * @example
   * ```ts
   * if (event.apiVersion !== CURRENT_API_VERSION) metrics.increment("cactus.old_version_events");
   * ```
   */
  get apiVersion(): string {
    return this.#version?.arrived ?? this.#source?.apiVersion ?? CURRENT_API_VERSION;
  }

  /**
   * For a payload of an API version newer than this SDK knows: the fields it does not model, untyped,
   * at their wire paths (e.g. `{ data: { rating_scale: 10 } }`). Empty otherwise. `toJSON()` writes
   * them back, so nothing of a newer event is lost when it is stored or queued.
   */
  get extraFields(): Readonly<Record<string, unknown>> {
    return this.#version?.extras ?? NO_EXTRA_FIELDS;
  }

  /**
   * The event as it is on the wire: snake_case names (`related_object`, `data.last_seen_city`),
   * dates as ISO strings, no client binding. `JSON.stringify(event)` uses it, so a stored or queued
   * event parses again with `client.parseEventV2(JSON.stringify(event))`.
   *
   * @example
   * ```ts
   * JSON.stringify(event); // '{"id":"evt_123","type":"order.shipped","related_object":{"id":"ord_456","type":"order"}}'
   * ```
   */
  toJSON(): Record<string, unknown> {
    const wire = toWireJson(this);
    const stamp = this.#version;
    if (stamp === undefined) return wire;
    const out = stamp.extras === undefined ? wire : withExtraFields(wire, stamp.extras);
    if (stamp.wire !== undefined) out["api_version"] = stamp.wire;
    return out;
  }
}

/** A full (pulled) event: the thin event plus its `data`. */
export abstract class BaseFullEvent extends BaseThinEvent {
  /** The event's data; typed by each subclass. */
  abstract readonly data: unknown;
}

/** What a pushed event needs to pull itself and fetch its related object: a CactusClient. */
export interface CactusEventSource {
  /** `GET /v2/events/{id}`. */
  retrieveEvent(id: string): Promise<BaseFullEvent>;
  /** `GET /v1/orders/{id}`. */
  retrieveOrder(id: string): Promise<Order>;
  /** `GET /v1/movies/{id}`. */
  retrieveMovie(id: string): Promise<Movie>;
  /** The API version the source is pinned to: what an event without `api_version` is read as. */
  readonly apiVersion?: string;
}

/** Binds `event` to the client that parsed it (done by `client.parseEventV2`). */
export function bindEvent<T extends BaseThinEvent>(event: T, source: CactusEventSource): T {
  bindSource(event, source);
  return event;
}

/** Records what the parser read of `event`'s API version (done by the parser). */
export function stampVersion<T extends BaseThinEvent>(event: T, stamp: EventVersionStamp): T {
  writeVersion(event, stamp);
  return event;
}

/** The client `event` is bound to; throws {@link CactusNotBoundError} if none. */
function sourceOf(event: BaseThinEvent): CactusEventSource {
  const source = boundSource(event);
  if (!source) throw new CactusNotBoundError(event.id);
  return source;
}

/** A pushed (thin) event: it can `pull()` its full version. */
export abstract class PushedEvent extends BaseThinEvent {
  /** Retrieves the full event, with its typed `data`, from the Cactus API. */
  abstract pull(): Promise<BaseFullEvent>;
}

/**
 * Retrieves the full version of `event` and checks that it is an instance of `fullClass`,
 * so that `pull()` returns exactly its own full type without a cast.
 */
export async function pullAs<T extends BaseFullEvent>(
  event: BaseThinEvent,
  fullClass: abstract new (...args: never[]) => T,
): Promise<T> {
  const full = await sourceOf(event).retrieveEvent(event.id);
  if (full instanceof fullClass) return full;
  throw new CactusValidationError(
    `pulled event ${event.id}`,
    [{ path: "type", rule: "matchesPushedType", message: `type is ${JSON.stringify(full.type)}, expected ${JSON.stringify(event.type)}` }],
    event.type,
  );
}

/** A pushed event of a type this SDK knows (every class in the catalog). */
export abstract class KnownPushedEventBase extends PushedEvent {
  /** Always `true`; `UnknownPushedEvent` has `known: false`, so `if (!event.known)` separates it. */
  get known(): true {
    return true;
  }
}

/** A pushed event about an order: `fetchRelatedObject()` returns the {@link Order}. */
export abstract class OrderPushedEvent extends KnownPushedEventBase {
  declare readonly relatedObject: RelatedObjectRefOf<"order">;

  /** Retrieves the related {@link Order} (`GET /v1/orders/{id}`). */
  fetchRelatedObject(): Promise<Order> {
    return sourceOf(this).retrieveOrder(this.relatedObject.id);
  }
}

/** A pushed event about a movie: `fetchRelatedObject()` returns the {@link Movie}. */
export abstract class MoviePushedEvent extends KnownPushedEventBase {
  declare readonly relatedObject: RelatedObjectRefOf<"movie">;

  /** Retrieves the related {@link Movie} (`GET /v1/movies/{id}`). */
  fetchRelatedObject(): Promise<Movie> {
    return sourceOf(this).retrieveMovie(this.relatedObject.id);
  }
}

/** A pushed event of a type with no related object (`order.lost`). */
export abstract class UnrelatedPushedEvent extends KnownPushedEventBase {
  declare readonly relatedObject?: undefined | null;
}
