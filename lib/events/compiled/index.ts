// The compiled hydrate-and-validate path. The decorators on the event classes stay the one source
// of truth: class-transformer's and class-validator's metadata is read once per class, at first use,
// into a plan that is replayed per event (see hydrate-plan.ts and validate-plan.ts). The plan only
// answers for inputs it is sure of: a valid body of a class it fully models. Anything else (an
// invalid field, an option or decorator it does not model, an array, a body nested too deep) returns
// `undefined`, and `hydrate` runs the libraries, so errors are worded by the libraries as before.
import { HOSTILE_KEYS, MAX_JSON_DEPTH } from "../safe-json";
import { isRecord } from "../../platform/record";
import { BAIL, hydratorFor, type Hydrator } from "./hydrate-plan";
import { validatorFor, type Validator } from "./validate-plan";

let enabled = true;

/**
 * Turns the compiled path on or off for this process (on by default). Off, every event takes the
 * class-transformer + class-validator path; the differential tests compare the two.
 */
export function setCompiledHydration(on: boolean): void {
  enabled = on;
}

/**
 * `plainToInstance` + `validateSync` of `plain` into `cls`, compiled: the same instance the
 * libraries build, or `undefined` when the libraries must decide (invalid input, unmodelled
 * metadata). Never throws for bad input. `shallow`: the caller knows `plain` cannot nest past the
 * depth limit (its JSON text has too few brackets), so the walk that checks it is skipped.
 */
export function hydrateCompiled<T extends object>(cls: new () => T, plain: Record<string, unknown>, shallow = false): T | undefined {
  if (!enabled) return undefined;
  let compiled = compiledClasses.get(cls);
  if (compiled === undefined) {
    compiled = { hydrator: hydratorFor(cls), validator: validatorFor(cls) };
    compiledClasses.set(cls, compiled);
  }
  if (compiled.hydrator === null || (!shallow && nestsTooDeep(plain))) return undefined;
  const instance = compiled.hydrator(plain);
  if (instance === BAIL) return undefined;
  const validator = instance.constructor === cls ? compiled.validator : validatorFor(instance.constructor);
  if (validator === null || !validator(instance) || !(instance instanceof cls)) return undefined;
  return instance;
}

// Both plans of a class, found with one lookup per event.
const compiledClasses = new Map<Function, { readonly hydrator: Hydrator | null; readonly validator: Validator | null }>();

// The library path copies the body first and refuses one nested MAX_JSON_DEPTH levels deep; the
// compiled path reads only the keys it needs, so it checks the depth here and leaves such a body
// to the library path (which then throws its parse error).
function nestsTooDeep(plain: Record<string, unknown>): boolean {
  for (const key in plain) {
    if (!HOSTILE_KEYS.has(key) && deeperThanLimit(plain[key], 1)) return true;
  }
  return false;
}

function deeperThanLimit(value: unknown, depth: number): boolean {
  if (typeof value !== "object" || value === null) return false;
  if (depth >= MAX_JSON_DEPTH) return true;
  if (Array.isArray(value)) {
    for (const item of value) if (deeperThanLimit(item, depth + 1)) return true;
    return false;
  }
  if (!isRecord(value)) return false;
  for (const key in value) {
    if (deeperThanLimit(value[key], depth + 1)) return true;
  }
  return false;
}
