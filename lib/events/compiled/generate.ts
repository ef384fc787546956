/**
 * Builds a function from generated source, or returns `null` where code generation from strings is
 * disabled (`node --disallow-code-generation-from-strings`, some sandboxes): the caller then leaves
 * the class to the class-transformer + class-validator path. `source` must be the body of a factory
 * taking `names` and returning the specialised function; only constants the plans control (indexes
 * and JSON string literals) are spliced into it.
 */
export function generate<F>(names: readonly string[], source: string, values: readonly unknown[], isF: (value: unknown) => value is F): F | null {
  let factory: Function;
  try {
    factory = new Function(...names, source);
  } catch {
    return null;
  }
  const built: unknown = Reflect.apply(factory, undefined, [...values]);
  return isF(built) ? built : null;
}
