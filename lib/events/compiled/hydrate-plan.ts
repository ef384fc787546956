// The class-transformer half of the compiled path: what `plainToInstance(cls, plain,
// { excludeExtraneousValues: true, exposeDefaultValues: false })` does for one class, read from
// class-transformer's own metadata once and replayed per event. Whatever this plan does not model
// (arrays, Maps, discriminators, @Exclude, class-level strategies, conversions to String/Number/
// Date/Buffer, untyped nested objects) makes it answer BAIL, and the caller takes the library path.
import { TransformationType, type TransformFnParams } from "class-transformer";
// This package's own import map picks the build of class-transformer that `import "class-transformer"`
// resolves to: its CommonJS build on Node (require or import), its ESM build for bundlers.
import * as storageModule from "#class-transformer-storage";
import { HOSTILE_KEYS, safeJsonObject } from "../safe-json";
import { valueTransformOf } from "../wire";
import { isRecord } from "../../platform/record";
import { generate } from "./generate";

/** What a compiled step returns when it cannot decide: take the library path instead. */
export const BAIL: unique symbol = Symbol("bail");

/** The subset of class-transformer's metadata storage this plan reads (it ships no types for it). */
interface TransformerStorage {
  getStrategy(target: Function): "excludeAll" | "exposeAll" | "none";
  getExposedMetadatas(target: Function): ExposeMetadata[];
  getExposedProperties(target: Function, transformationType: TransformationType): string[];
  getExcludedProperties(target: Function, transformationType: TransformationType): string[];
  findExposeMetadata(target: Function, propertyName: string): ExposeMetadata | undefined;
  findExposeMetadataByCustomName(target: Function, name: string): ExposeMetadata | undefined;
  findTypeMetadata(target: Function, propertyName: string): TypeMetadata | undefined;
  findTransformMetadatas(target: Function, propertyName: string, transformationType: TransformationType): TransformMetadata[];
}

interface ExposeMetadata {
  readonly propertyName: string | undefined;
  readonly options?: { readonly name?: string; readonly groups?: readonly string[] };
}

interface TypeMetadata {
  readonly typeFunction?: (options: { newObject: unknown; object: unknown; property: string }) => unknown;
  readonly reflectedType?: unknown;
  readonly options?: { readonly discriminator?: unknown };
}

interface TransformMetadata {
  readonly transformFn: (params: TransformFnParams) => unknown;
  readonly options?: { readonly groups?: readonly string[] };
}

// class-transformer keeps its storage in a module it does not type; the library path uses this same
// instance (one copy of class-transformer is installed with this package), so the plans read what it reads.
// A storage of another shape (or a second copy a bundler picked) leaves every class to the library path.
const storage = transformerStorage(storageModule);

// The storage module, checked for the lookups the plans make before it is trusted with them.
function transformerStorage(module: unknown): TransformerStorage | undefined {
  const candidate: unknown = typeof module === "object" && module !== null ? Reflect.get(module, "defaultMetadataStorage") : undefined;
  return isTransformerStorage(candidate) ? candidate : undefined;
}

function isTransformerStorage(value: unknown): value is TransformerStorage {
  return typeof value === "object" && value !== null && ["getStrategy", "getExposedMetadatas", "findTypeMetadata", "findTransformMetadatas"].every((name) => typeof Reflect.get(value, name) === "function");
}

/** The options `hydrate` passes to class-transformer, merged with its defaults as it does. */
// Untyped on purpose: class-transformer fills these undefined defaults itself, which its type leaves unsaid;
// the generated code hands this object to transforms as their `options`.
const TRANSFORM_OPTIONS = Object.freeze({
  enableCircularCheck: false,
  enableImplicitConversion: false,
  excludeExtraneousValues: true,
  excludePrefixes: undefined,
  exposeDefaultValues: false,
  exposeUnsetFields: true,
  groups: undefined,
  ignoreDecorators: false,
  strategy: undefined,
  targetMaps: undefined,
  version: undefined,
});

const PLAIN_TO_CLASS = TransformationType.PLAIN_TO_CLASS;

// Types class-transformer converts a value into (String(value), new Date(value), ...): not modelled.
// Buffer only where the runtime has one (not on Workers without nodejs_compat, nor in browsers).
const CONVERTED_TYPES: ReadonlySet<unknown> = new Set<unknown>([String, Number, Boolean, Date, Map, Set, Array, Promise, Reflect.get(globalThis, "Buffer")]);

interface FieldPlan {
  /** The wire key read from the plain object. */
  readonly key: string;
  /** The instance property it is written to. */
  readonly property: string;
  /** `@Type`: called per value, as class-transformer does; `undefined` for an untyped field. */
  readonly type: TypeMetadata | undefined;
  /** `@Transform`s that apply plain -> class, in the order class-transformer applies them. */
  readonly transforms: readonly TransformMetadata["transformFn"][];
}

/** A compiled `plainToInstance` for one class. */
export type Hydrator = (plain: object) => object | typeof BAIL;

/** The generated source returns a function of the plan's shape; this is the check `generate` makes. */
export function isGeneratedFunction<F extends (...args: never[]) => unknown>(value: unknown): value is F {
  return typeof value === "function";
}

const hydrators = new Map<Function, Hydrator | null>();

/** The compiled hydrator of `cls`, built at first use; `null` when its metadata has something not modelled. */
export function hydratorFor(cls: Function): Hydrator | null {
  let hydrator = hydrators.get(cls);
  if (hydrator === undefined) {
    hydrator = compileHydrator(cls);
    hydrators.set(cls, hydrator);
  }
  return hydrator;
}

function compileHydrator(cls: Function): Hydrator | null {
  const planned = planFields(cls);
  if (planned === null) return null;
  // class-transformer skips a key whose property holds a function on the new instance (a method
  // of the same name); a fresh instance answers that the same way every time, so ask one now.
  let probe: Record<string, unknown>;
  try {
    probe = new (cls as new () => Record<string, unknown>)();
  } catch {
    return null;
  }
  const fields = planned.filter((field) => !(probe[field.property] instanceof Function));
  // One function per class, its fields unrolled: every call site in it sees one shape and one
  // callee, so V8 inlines the transforms and type functions and keeps the per-field objects off
  // the heap. Only constants are spliced into the source (JSON string literals and indexes).
  // Per field, the last `@Type` result and what it resolved to: type functions return the same
  // class every time in practice, so the lookups run once, and again only if the answer changes.
  const prelude: string[] = [];
  // The library path reads a sanitized copy of the body: its own enumerable keys only. One for-in
  // over an object with a plain prototype visits exactly those (and costs far less than asking
  // each key's enumerability); any other prototype is left to the library path.
  const lines: string[] = [
    "const proto = getPrototypeOf(source);",
    "if (proto !== ObjectPrototype && proto !== null) return BAIL;",
    `let ${["value", "result", "type", "clean", ...fields.map((_, i) => `read${i}`)].join(", ")};`,
    "for (const key in source) {",
    "  switch (key) {",
    ...fields.map((field, i) => `    case ${JSON.stringify(field.key)}: read${i} = source[key]; break;`),
    "  }",
    "}",
    "const instance = new Ctor();",
  ];
  fields.forEach((field, i) => {
    const property = JSON.stringify(field.property);
    lines.push(`value = read${i};`);
    if (field.type !== undefined) {
      prelude.push(`const type${i} = fields[${i}].type; let seen${i} = NONE, converted${i} = false, nested${i} = null;`);
      lines.push(
        field.type.typeFunction
          ? `type = type${i}.typeFunction({ newObject: instance, object: source, property: ${property} });`
          : `type = type${i}.reflectedType;`,
        `if (type !== seen${i}) {`,
        `  seen${i} = type;`,
        `  converted${i} = CONVERTED_TYPES.has(type);`,
        `  nested${i} = typeof type === "function" && !converted${i} ? hydratorFor(type) : null;`,
        "}",
      );
    }
    lines.push(`if (value === null || value === undefined || typeof value === "string" || typeof value === "number" || typeof value === "boolean") {`);
    if (field.type !== undefined) lines.push(`  if (type !== undefined && converted${i}) return BAIL;`);
    lines.push("  result = value;");
    if (field.type !== undefined) {
      lines.push(`} else if (nested${i} !== null && typeof value === "object" && isPlainObject(value)) {`);
      lines.push(`  result = nested${i}(value);`);
      lines.push("  if (result === BAIL) return BAIL;");
    }
    lines.push("} else return BAIL;");
    field.transforms.forEach((transform, j) => {
      // A transform that reads only its value is called with it; any other gets what
      // class-transformer passes, including the sanitized copy of the body (made once per body).
      if (valueTransformOf(transform) !== undefined) {
        prelude.push(`const transform${i}_${j} = valueTransformOf(fields[${i}].transforms[${j}]);`);
        lines.push(`result = transform${i}_${j}(result);`);
        return;
      }
      prelude.push(`const transform${i}_${j} = fields[${i}].transforms[${j}];`);
      lines.push("if (clean === undefined) clean = safeJsonObject(source);");
      lines.push(`result = transform${i}_${j}({ value: result, key: ${property}, obj: clean, type: PLAIN_TO_CLASS, options: TRANSFORM_OPTIONS });`);
    });
    lines.push(`instance[${property}] = result;`);
  });
  lines.push("return instance;");
  return generate<Hydrator>(
    ["Ctor", "fields", "getPrototypeOf", "ObjectPrototype", "CONVERTED_TYPES", "BAIL", "isPlainObject", "hydratorFor", "safeJsonObject", "valueTransformOf", "PLAIN_TO_CLASS", "TRANSFORM_OPTIONS", "NONE"],
    `${prelude.join("\n")}\nreturn function hydrate${safeIdentifier(cls)}(source) {\n${lines.join("\n")}\n};`,
    [cls, fields, Object.getPrototypeOf, Object.prototype, CONVERTED_TYPES, BAIL, isPlainObject, hydratorFor, safeJsonObject, valueTransformOf, PLAIN_TO_CLASS, TRANSFORM_OPTIONS, Symbol("none")],
    isGeneratedFunction,
  );
}

/** A class name as a fragment of a function name (for profiles), or nothing. */
export function safeIdentifier(cls: Function): string {
  return /^[A-Za-z0-9_$]{1,80}$/.test(cls.name) ? `_${cls.name}` : "";
}

// A JSON object as the library path would copy it: a plain prototype, and no `then` method
// (class-transformer passes thenables through untouched).
function isPlainObject(value: object): value is Record<string, unknown> {
  if (Array.isArray(value)) return false;
  const proto: unknown = Object.getPrototypeOf(value);
  if (proto !== Object.prototype && proto !== null) return false;
  return isRecord(value) && typeof value["then"] !== "function";
}

// The keys class-transformer's getKeys() yields for `cls` under our options, each with what its
// transform loop looks up for it; null when the class uses something this plan does not model.
function planFields(cls: Function): FieldPlan[] | null {
  if (storage === undefined) return null;
  if (storage.getStrategy(cls) !== "none") return null;
  if (storage.getExcludedProperties(cls, PLAIN_TO_CLASS).length > 0) return null;
  const exposed = storage.getExposedProperties(cls, PLAIN_TO_CLASS).map((property) => storage.findExposeMetadata(cls, property)?.options?.name || property);
  const keys = exposed
    .filter((key) => {
      const groups = storage.findExposeMetadata(cls, key)?.options?.groups;
      return !groups || groups.length === 0;
    })
    .filter((key, index, all) => all.indexOf(key) === index);
  // No exposed key at all: nothing to gain, and the sign of a second copy of class-transformer (a
  // bundler that picked another build) whose storage this plan would not see.
  if (keys.length === 0) return null;

  const fields: FieldPlan[] = [];
  const prototype: unknown = cls.prototype;
  for (const key of keys) {
    // Keys that reach a prototype or exist on every object are read differently by the library
    // path (from its copy's prototype); leave such a class to it.
    if (HOSTILE_KEYS.has(key) || key in Object.prototype) return null;
    const property = storage.findExposeMetadataByCustomName(cls, key)?.propertyName ?? key;
    if (HOSTILE_KEYS.has(property) || property in Object.prototype) return null;
    const type = storage.findTypeMetadata(cls, property);
    if (type?.options?.discriminator) return null;
    if (type !== undefined && type.reflectedType === Map) return null;
    if (typeof prototype === "object" && prototype !== null) {
      const descriptor = Object.getOwnPropertyDescriptor(prototype, property);
      if (descriptor && !descriptor.set) continue; // class-transformer skips read-only accessors
    }
    const transforms = storage
      .findTransformMetadatas(cls, property, PLAIN_TO_CLASS)
      .filter((metadata) => !metadata.options || !metadata.options.groups || !metadata.options.groups.length)
      .map((metadata) => metadata.transformFn);
    fields.push({ key, property, type, transforms });
  }
  return fields;
}
