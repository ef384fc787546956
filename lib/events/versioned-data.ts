// Older shapes of an event type's `data`, declared on its catalog row, and the upcasting that turns
// a payload of an older API version into today's class before any handler sees it.
import { CactusConfigError, CactusValidationError } from "../errors";
import { isKnownApiVersion, type CactusApiVersion } from "./api-versions";
import { toWireJson } from "./to-wire";

/**
 * The properties of class `T`, without its methods: what an upcaster returns for the next newer
 * shape, e.g. `DataShape<MovieCompletedData>` is `{ readonly user: string; readonly rating: number }`.
 */
export type DataShape<T> = { readonly [K in keyof T as T[K] extends (...args: never[]) => unknown ? never : K]: T[K] };

/** One older shape of a type's data: the last API version that had it, its class, and its upcaster. */
export interface OlderDataVersion {
  /** The last API version whose payloads have this shape (older ones have it too, unless declared). */
  readonly apiVersion: CactusApiVersion;
  /** The class a payload of this version is validated against. */
  readonly data: new () => object;
  /** Turns a validated instance of {@link data} into the next newer shape (checked again after). */
  readonly upcast: (old: object) => object;
}

/** What a catalog row's `versions` holds: the current data class and the older shapes, oldest first. */
export interface DataVersionChain {
  /** Today's data class (the one the full class's `data` has). */
  readonly current: new () => object;
  /** The older shapes, oldest first; each upcasts to the next one, the last to {@link current}. */
  readonly older: readonly OlderDataVersion[];
}

/**
 * A type's data versions, built from today's class back in time: each {@link from} adds an older
 * shape and an upcaster to the shape declared just before it, so an upcaster that returns the wrong
 * shape does not compile. See {@link dataVersions}.
 */
export class DataVersions<Target extends object> implements DataVersionChain {
  /** @internal use {@link dataVersions} */
  constructor(
    readonly current: new () => object,
    readonly older: readonly OlderDataVersion[],
  ) {}

  /**
   * Declares that up to API version `apiVersion` the data had the shape of class `data`, and how to
   * turn it into the shape declared before this call (today's class for the first call). Call it
   * newest first; a version not older than the previous one throws {@link CactusConfigError}.
   */
  from<Old extends object>(apiVersion: CactusApiVersion, data: new () => Old, upcast: (old: Old) => DataShape<Target>): DataVersions<Old> {
    const oldest = this.older[0];
    if (!isKnownApiVersion(apiVersion) || (oldest !== undefined && apiVersion >= oldest.apiVersion)) {
      throw new CactusConfigError(`data version ${String(apiVersion)} of ${data.name} must be a known API version older than ${oldest?.apiVersion ?? "the current one"}`);
    }
    const step: OlderDataVersion = {
      apiVersion,
      data,
      upcast: (old) => {
        if (!(old instanceof data)) throw new CactusConfigError(`the upcaster of ${data.name} got something else`);
        return upcast(old);
      },
    };
    return new DataVersions<Old>(this.current, [step, ...this.older]);
  }
}

/**
 * Starts the version chain of a type whose data class today is `current`. Put the result, with its
 * {@link DataVersions.from} calls, in the type's catalog row as `versions`.
 *
 * @example
 * ```ts
 * versions: dataVersions(MovieCompletedData)
 *   .from("2025-06-01", MovieCompletedData20250601, (old) => ({ user: old.user, rating: old.stars })),
 * ```
 */
export function dataVersions<Current extends object>(current: new () => Current): DataVersions<Current> {
  return new DataVersions<Current>(current, []);
}

/** How a class is hydrated and validated (the parser's `hydrate`, with its error paths). */
export type HydrateInto = <T extends object>(cls: new () => T, plain: Record<string, unknown>, what: string) => T;

/**
 * The steps that turn data of API version `version` into today's, oldest first: every older shape
 * declared at `version` or after. Empty when data of `version` already has today's shape.
 */
export function upcastSteps(chain: DataVersionChain | undefined, version: CactusApiVersion): readonly OlderDataVersion[] {
  return chain === undefined ? [] : chain.older.filter((step) => step.apiVersion >= version);
}

/**
 * Validates `data` of API version `version` against its own class, then upcasts it step by step
 * (each result validated against the next class) and returns today's wire form of it (snake_case,
 * ISO strings), ready to hydrate into the current full class. Bad input throws
 * {@link CactusValidationError} naming the `data.` path of the old shape.
 */
export function upcastWireData(
  chain: DataVersionChain,
  steps: readonly OlderDataVersion[],
  data: unknown,
  what: string,
  eventType: string,
  hydrateInto: HydrateInto,
): Record<string, unknown> {
  if (typeof data !== "object" || data === null || Array.isArray(data)) {
    throw new CactusValidationError(what, [{ path: "data", rule: "isObject", message: `data must be an object (got ${data === undefined ? "nothing" : Array.isArray(data) ? "an array" : JSON.stringify(data)})` }], eventType);
  }
  const first = steps[0];
  if (first === undefined) return toWireJson(data);
  let instance: object = hydrateInto(first.data, { ...data }, what);
  for (let index = 0; index < steps.length; index += 1) {
    const step = steps[index];
    if (step === undefined) break;
    const next = steps[index + 1]?.data ?? chain.current;
    let shape: object;
    try {
      shape = step.upcast(instance);
    } catch (error) {
      throw new CactusValidationError(what, [{ path: "data", rule: "upcast", message: `upcasting data from API version ${step.apiVersion} failed: ${error instanceof Error ? error.message : String(error)}` }], eventType);
    }
    const wire = toWireJson(Object.assign(new next(), shape));
    if (index === steps.length - 1) return wire;
    instance = hydrateInto(next, wire, `${what} (upcast from ${step.apiVersion})`);
  }
  return toWireJson(instance);
}
