import { CactusSagaError } from "../errors";

/**
 * `value` as JSON text, when it is plain JSON (objects, arrays, strings, finite numbers, booleans,
 * null) that reads back the same. Anything else throws `CactusSagaError` (`saga_state_invalid`)
 * naming the saga, the instance and the first offending field: a `Date` (it would come back a
 * string), a `Map`, a class instance, `undefined` in an array, `NaN`, a function, a cycle, ...
 */
export function sagaJson(value: unknown, where: { readonly saga: string; readonly objectId: string | undefined; readonly root: string; readonly what: string }): string {
  const problem = jsonProblem(value, where.root, new Set());
  if (problem !== undefined) {
    const instance = where.objectId === undefined ? "" : ` (instance ${where.objectId})`;
    throw new CactusSagaError(
      "saga_state_invalid",
      `Saga ${where.saga}${instance}: ${where.what} is not plain JSON: ${problem.field} ${problem.reason}. ` +
        "A saga's state is stored as JSON: use strings (e.g. date.toISOString()), numbers, booleans, null, arrays and plain objects",
      { saga: where.saga, objectId: where.objectId, field: problem.field },
    );
  }
  return JSON.stringify(value);
}

interface Problem {
  readonly field: string;
  readonly reason: string;
}

function jsonProblem(value: unknown, path: string, open: Set<object>): Problem | undefined {
  switch (typeof value) {
    case "string":
    case "boolean":
      return undefined;
    case "number":
      return Number.isFinite(value) ? undefined : { field: path, reason: `is ${String(value)} (JSON has no NaN or Infinity)` };
    case "undefined":
      return { field: path, reason: "is undefined (omit the field, or use null)" };
    case "bigint":
      return { field: path, reason: "is a bigint (store it as a string)" };
    case "function":
      return { field: path, reason: "is a function" };
    case "symbol":
      return { field: path, reason: "is a symbol" };
    default:
      break;
  }
  if (typeof value !== "object" || value === null) return undefined;
  const object = value;
  if (open.has(object)) return { field: path, reason: "refers back to itself (a cycle)" };
  if (Array.isArray(object)) {
    open.add(object);
    for (let i = 0; i < object.length; i++) {
      const found = jsonProblem(object[i], `${path}[${i}]`, open);
      if (found !== undefined) return found;
    }
    open.delete(object);
    return undefined;
  }
  const proto: unknown = Object.getPrototypeOf(object);
  if (proto !== Object.prototype && proto !== null) {
    const name = object instanceof Date ? "a Date (it would come back a string: store date.toISOString())" : `a ${object.constructor?.name ?? "non-plain"} instance (only plain objects are JSON)`;
    return { field: path, reason: `is ${name}` };
  }
  open.add(object);
  for (const key of Object.keys(object)) {
    const child: unknown = Reflect.get(object, key);
    // A property set to undefined is dropped by JSON.stringify: the state would read back without it.
    const found = jsonProblem(child, /^[A-Za-z_$][\w$]*$/.test(key) ? `${path}.${key}` : `${path}[${JSON.stringify(key)}]`, open);
    if (found !== undefined) return found;
  }
  if (Object.getOwnPropertySymbols(object).length > 0) return { field: path, reason: "has symbol keys" };
  open.delete(object);
  return undefined;
}
