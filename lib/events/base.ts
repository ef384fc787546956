// Decorators below read type metadata while this module loads, whichever module a program imports first.
import "reflect-metadata";
import { Transform, Type } from "class-transformer";
import { IsNotEmpty, IsObject, IsOptional, IsString, ValidateNested } from "class-validator";
import { CactusNotBoundError, CactusValidationError } from "../errors";
import type { Movie, Order, RelatedObjectKind } from "./related-objects";
import { toWireJson } from "./to-wire";
import { IsoDate, Wire } from "./wire";

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

// Set by BaseThinEvent's static block: the only code that can read or write its private field.
let bindSource: (event: BaseThinEvent, source: CactusEventSource) => void;
let boundSource: (event: BaseThinEvent) => CactusEventSource | undefined;

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
  @Wire() @IsOptional() @IsoDate("timestamp") @Transform(({ value }: { value: unknown }) => (value === null ? undefined : value), { toClassOnly: true })
  readonly created?: Date | undefined;
  // ---- end created ------------------------------------------------------------------------------

  // The client that parsed this event: an ES private field, so the binding stays out of
  // JSON.stringify, console.log and equality checks, and costs one slot (not a WeakMap entry).
  #source: CactusEventSource | undefined = undefined;

  static {
    bindSource = (event, source) => {
      event.#source = source;
    };
    boundSource = (event) => event.#source;
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
    return toWireJson(this);
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
}

/** Binds `event` to the client that parsed it (done by `client.parseEventV2`). */
export function bindEvent<T extends BaseThinEvent>(event: T, source: CactusEventSource): T {
  bindSource(event, source);
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
