import { eventCatalog } from "../events/catalog";
import type { CactusLogger } from "./logger";
import { isRecord } from "../platform/record";

const checked = new WeakSet<object>();
// Read from the catalog at each check (once per class), so rows added at run time count too.
function handlerMethods(): ReadonlySet<string> {
  return new Set([...Object.values(eventCatalog).map((row) => row.handlerMethod), "onOther"]);
}

/**
 * The `on...` methods of `instance` (own properties and its classes up to `base`, excluded) that
 * name no handler method of the catalog, e.g. a misspelled `onOrderShiped`: without `override`
 * nothing flags it, and its events silently go to `onOther`.
 */
export function unmatchedHandlerMethods(instance: object, base: object): string[] {
  const names = new Set<string>();
  const known = handlerMethods();
  const collect = (target: object): void => {
    for (const name of Object.getOwnPropertyNames(target)) {
      if (/^on[A-Z]/.test(name) && !known.has(name) && typeof Reflect.getOwnPropertyDescriptor(target, name)?.value === "function") names.add(name);
    }
  };
  collect(instance);
  for (let proto: object | null = Object.getPrototypeOf(instance); proto !== null && proto !== base; proto = Object.getPrototypeOf(proto)) collect(proto);
  return [...names];
}

/**
 * Warns once per class (through `logger`, else `console.warn`) about {@link unmatchedHandlerMethods}.
 * Cheap after the first call: one `WeakSet` lookup.
 */
export function warnUnmatchedHandlerMethodsOnce(instance: object, base: object, logger: CactusLogger | undefined): void {
  const type: unknown = isRecord(instance) ? instance["constructor"] : undefined;
  const key = typeof type === "function" ? type : instance;
  if (checked.has(key)) return;
  checked.add(key);
  const names = unmatchedHandlerMethods(instance, base);
  if (names.length === 0) return;
  const className = typeof type === "function" && type.name !== "" ? type.name : "CactusHandler subclass";
  const message =
    `${className} defines ${names.join(", ")}, which ${names.length === 1 ? "matches" : "match"} no event type, so ${names.length === 1 ? "it is" : "they are"} never called ` +
    `(events go to onOther). Handler methods: ${[...handlerMethods()].join(", ")}. Mark overrides with \`override\` so the compiler checks the name.`;
  if (logger === undefined) console.warn(`[cactus-sdk] ${message}`);
  else logger.warn({ handlerClass: className, methods: names }, message);
}
