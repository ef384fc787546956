import { Expose, Transform } from "class-transformer";
import { IsDate, isISO8601 } from "class-validator";

/**
 * Wire names by class and property, recorded by {@link Wire}. Validation errors use it to
 * report `data.attempt_num`, not `data.attemptNum` (the user sees the payload, not our names).
 */
const wireNames = new WeakMap<object, Map<string, string>>();

/**
 * Maps a camelCase property from its snake_case wire name (class-transformer `@Expose`) and
 * records the pair for error paths.
 */
export function Wire(name?: string): PropertyDecorator {
  const expose = name === undefined ? Expose() : Expose({ name });
  return (target, property) => {
    if (typeof property !== "string") return;
    let names = wireNames.get(target);
    if (!names) wireNames.set(target, (names = new Map()));
    names.set(property, name ?? property);
    expose(target, property);
  };
}

/** The wire name of `property` on `instance`'s class (or any base class). */
export function wireNameOf(instance: object, property: string): string {
  for (let proto: object | null = Object.getPrototypeOf(instance); proto; proto = Object.getPrototypeOf(proto)) {
    const name = wireNames.get(proto)?.get(property);
    if (name !== undefined) return name;
  }
  return property;
}

/** The functions behind {@link ValueTransform}s, by the transform class-transformer stores. */
const valueTransforms = new WeakMap<Function, (value: unknown) => unknown>();

/**
 * A plain-to-class `@Transform` that reads nothing but the field's own value. Registered so the
 * compiled hydrate plan can call `fn(value)` directly: it need not build the sanitized copy of the
 * whole body that class-transformer hands every transform as `obj`.
 */
export function ValueTransform(fn: (value: unknown) => unknown): PropertyDecorator {
  const transformFn = ({ value }: { value: unknown }): unknown => fn(value);
  valueTransforms.set(transformFn, fn);
  return Transform(transformFn, { toClassOnly: true });
}

/** The value-only function behind a stored transform (see {@link ValueTransform}), if it is one. */
export function valueTransformOf(transformFn: Function): ((value: unknown) => unknown) | undefined {
  return valueTransforms.get(transformFn);
}

/**
 * An ISO 8601 string on the wire, a `Date` in TypeScript. Anything else (numbers, `"yesterday"`)
 * is left as is so that `@IsDate` rejects it with the field's name, instead of becoming an
 * Invalid Date or a surprise epoch.
 */
export function IsoDate(kind: "timestamp" | "date"): PropertyDecorator {
  const transform = ValueTransform((value) =>
    typeof value === "string" && isISO8601(value, { strict: true, strictSeparator: true }) && (kind === "timestamp" ? value.includes("T") : true)
      ? new Date(value)
      : value,
  );
  // Back to the wire form for `toJSON()`: a timestamp in full, a date as `YYYY-MM-DD`.
  const toWire = Transform(({ value }) =>
    value instanceof Date && !Number.isNaN(value.getTime()) ? (kind === "timestamp" ? value.toISOString() : value.toISOString().slice(0, 10)) : value,
  { toPlainOnly: true });
  const check = IsDate({ message: `$property must be an ISO 8601 ${kind}` });
  return (target, property) => {
    transform(target, property);
    toWire(target, property);
    check(target, property);
  };
}

/** The properties `@Wire` declared on `cls` itself (not its base classes), in declaration order. */
export function wirePropertiesOf(cls: abstract new (...args: never[]) => unknown): string[] {
  return [...(wireNames.get(cls.prototype)?.keys() ?? [])];
}
