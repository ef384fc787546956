import { CactusConfigError } from "../errors";
import { ON_EVENT_METADATA, ON_OTHER_METADATA } from "./constants";
import type { CactusEventPattern } from "./event-pattern";
import { recordHandlerMethod, recordInstanceHandlerMethod } from "./handler-metadata";

// `@On` and `@OnOther` work with both decorator flavours TypeScript can emit, told apart by how
// they are called:
// - standard (TC39, TypeScript's default without `experimentalDecorators`, and esbuild/tsx):
//   `(method, context)` with `context.kind === "method"`. Node 20 has no `Symbol.metadata`, so
//   TypeScript passes `context.metadata` as undefined; `context.addInitializer` is what works
//   everywhere: it runs in the constructor, with the instance as `this`.
// - legacy (`experimentalDecorators`): `(prototype, name, descriptor)`, at class definition.

interface StandardMethodContext {
  readonly kind: string;
  readonly name: string | symbol;
  readonly static: boolean;
  readonly private: boolean;
  addInitializer(initializer: (this: unknown) => void): void;
}

function isStandardContext(value: unknown): value is StandardMethodContext {
  return typeof value === "object" && value !== null && "kind" in value && "addInitializer" in value;
}

/**
 * The run-time half of `@On(pattern)` / `@OnOther()`: records `pattern` (`null` for a catch-all)
 * for the decorated method, whichever decorator flavour called it, and rejects what
 * `router.register(instance)` could never subscribe (static, private, non-method members)
 * when the class is defined.
 *
 * @example
 * ```ts
 * const decorator = handlerDecorator("order.lost", '@On("order.lost")');
 * ```
 */
export function handlerDecorator(pattern: CactusEventPattern | null, label: string): (...args: unknown[]) => void {
  const key = pattern === null ? ON_OTHER_METADATA : ON_EVENT_METADATA;
  return (...args: unknown[]): void => {
    const [first, second, descriptor] = args;
    if (args.length === 2 && isStandardContext(second)) {
      recordStandard(second, pattern, label);
      return;
    }
    if (typeof second !== "string" && typeof second !== "symbol") {
      throw new CactusConfigError(`${label} decorates class methods; it was called with ${args.length} arguments that are not a method's`);
    }
    if (typeof first !== "object" && typeof first !== "function") {
      throw new CactusConfigError(`${label} decorates class methods; ${String(second)} is not on a class`);
    }
    if (first === null) throw new CactusConfigError(`${label} decorates class methods; ${String(second)} is not on a class`);
    if (descriptor !== undefined && !isMethodDescriptor(descriptor)) {
      throw new CactusConfigError(`${label} decorates methods; ${String(second)} is an accessor`);
    }
    recordHandlerMethod(first, key, { pattern, method: second }, label);
  };
}

function recordStandard(context: StandardMethodContext, pattern: CactusEventPattern | null, label: string): void {
  const name = String(context.name);
  if (context.kind !== "method") {
    throw new CactusConfigError(`${label} decorates methods; ${name} is a ${context.kind}`);
  }
  if (context.private) {
    throw new CactusConfigError(`${label} decorates public methods; ${name} is private, so router.register cannot call it`);
  }
  const method = context.name;
  if (context.static) {
    // The class name is known only once the class exists: a static initializer runs then, with
    // the class as `this`, so the mistake still surfaces when the class is defined.
    context.addInitializer(function (this: unknown) {
      const className = typeof this === "function" ? this.name : "class";
      throw new CactusConfigError(`${label} decorates instance methods; ${className}.${name} is static`);
    });
    return;
  }
  context.addInitializer(function (this: unknown) {
    if (typeof this === "object" && this !== null) recordInstanceHandlerMethod(this, { pattern, method });
  });
}

function isMethodDescriptor(value: unknown): boolean {
  return typeof value === "object" && value !== null && "value" in value && typeof value.value === "function";
}
