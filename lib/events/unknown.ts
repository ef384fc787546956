// Decorators below read type metadata while this module loads, whichever module a program imports first.
import "reflect-metadata";
import { Transform } from "class-transformer";
import { IsDefined, IsObject } from "class-validator";
import { BaseFullEvent, BaseThinEvent, PushedEvent, pullAs } from "./base";
import { Wire } from "./wire";
import { safeJsonCopy } from "./safe-json";

/**
 * A pushed event of a type this SDK does not know (Cactus added it after this release).
 * Never an error: handlers receive it in `onOther`. `type` is the wire type as sent.
 *
 * Separate it first (`if (event instanceof UnknownPushedEvent)`), then `switch (event.type)`
 * narrows every known case: TypeScript cannot narrow a union one of whose members has `type: string`.
 */
export class UnknownPushedEvent extends PushedEvent {
  /** Always `false`: this SDK does not know this type. Known events have `known: true`. */
  get known(): false {
    return false;
  }
  /** Retrieves the full event; its `data` is untyped. */
  pull(): Promise<UnknownFullEvent> {
    return pullAs(this, UnknownFullEvent);
  }
}

/** A full event of a type this SDK does not know: `data` is a plain, sanitized JSON object. */
export class UnknownFullEvent extends BaseFullEvent {
  /** The event's data as sent (keys `__proto__`, `constructor` and `prototype` dropped). */
  @Wire() @IsDefined() @IsObject() @Transform(({ obj }) => safeJsonCopy(obj["data"]), { toClassOnly: true })
  readonly data!: Readonly<Record<string, unknown>>;
}

/**
 * The untyped v1 event shape returned by the deprecated `parseEventV1`: `id`, `type` and
 * `relatedObject` with no per-type class, no `pull()` and no `fetchRelatedObject()`.
 */
export class GenericThinEvent extends BaseThinEvent {}
