// Everything generated from lib/events/catalog.ts, as path -> content. `npm run generate` writes
// these files (scripts/generate.js); spec/docs/generated.spec.ts fails `npm test` when one on disk
// differs. Nothing here is hand-edited per event type.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { eventCatalog, knownEventTypes, type CactusEventType } from "../../lib/events/catalog";
import { eventTable, withTable } from "./event-table";

/** The repository root. */
export const ROOT = join(__dirname, "..", "..");

/** The command that regenerates every derived file. */
export const GENERATE_COMMAND = "npm run generate";

const HEADER = `// Generated from lib/events/catalog.ts by \`${GENERATE_COMMAND}\`: do not edit by hand.`;

interface Method {
  readonly type: CactusEventType;
  readonly name: string;
  readonly doc: string;
}

function methods(): Method[] {
  return knownEventTypes().map((type) => {
    const row = eventCatalog[type];
    const summary = row.summary.replace(/\*\//g, "*\\/");
    const doc = row.relatedObject === null ? `${summary} No related object.` : summary;
    return { type, name: row.handlerMethod, doc: `\`${type}\`: ${doc}` };
  });
}

/** lib/handler/generated/handler-methods.ts: the default method per type, for CactusHandler. */
export function handlerMethodsSource(): string {
  const body = methods().map(
    (m) => `  /** ${m.doc} Default: \`onOther\`. */
  async ${m.name}(event: PushedEventOf<${JSON.stringify(m.type)}>, context?: CactusEventContext): Promise<void> {
    return this.onOther(event, context);
  }
`,
  );
  return `${HEADER}
import type { BaseThinEvent } from "../../events/base";
import type { PushedEventOf } from "../../events/catalog";
import type { CactusEventContext } from "../../observability/event-context";
import { CactusEventReceiver } from "../../pipeline/receiver";

/**
 * The default method of every catalog type, each forwarding to \`onOther\`: the base of
 * \`CactusHandler\`, which adds dispatch. Use \`CactusHandler\` itself; this class only holds
 * the methods derived from the catalog.
 */
export abstract class CactusHandlerDefaultMethods extends CactusEventReceiver {
${body.join("\n")}
  /**
   * Every event no other method took: types this SDK does not know (\`UnknownPushedEvent\`) and known
   * types whose method you did not override. Abstract on purpose: decide what an unexpected
   * event means for you (log it, store it, ignore it) rather than lose it silently.
   */
  abstract onOther(event: BaseThinEvent, context?: CactusEventContext): Promise<void>;
}
`;
}

/** lib/handler/generated/exhaustive-methods.ts: every method abstract, for ExhaustiveCactusHandler. */
export function exhaustiveMethodsSource(): string {
  const body = methods().map(
    (m) => `  /** ${m.doc} */
  abstract ${m.name}(event: PushedEventOf<${JSON.stringify(m.type)}>, context?: CactusEventContext): Promise<void>;
`,
  );
  return `${HEADER}
import type { BaseThinEvent } from "../../events/base";
import type { HandlerMethodName, PushedEventOf } from "../../events/catalog";
import type { CactusEventContext } from "../../observability/event-context";
import { CactusHandler } from "../cactus-handler";

// CactusHandler as seen without its default event methods. The runtime class is CactusHandler
// itself (same handle(), same dispatch); only the type forgets the defaults, so that the abstract
// declarations below are the only ones a subclass sees.
const HandlerWithoutDefaults: abstract new (
  ...args: ConstructorParameters<typeof CactusHandler>
) => Omit<CactusHandler, HandlerMethodName | "onOther"> = CactusHandler;

/**
 * Every catalog type's method, abstract: the base of \`ExhaustiveCactusHandler\`. Use
 * \`ExhaustiveCactusHandler\` itself; this class only holds the methods derived from the catalog.
 */
export abstract class ExhaustiveHandlerMethods extends HandlerWithoutDefaults {
${body.join("")}  /** Types this SDK does not know (Cactus added them after this release). */
  abstract onOther(event: BaseThinEvent, context?: CactusEventContext): Promise<void>;
}
`;
}

/** lib/saga/generated/saga-methods.ts: the default method per type, for CactusSaga. */
export function sagaMethodsSource(): string {
  const body = methods().map((m) => {
    const reach = eventCatalog[m.type].relatedObject === null ? " Reached only when `objectIdOf` gives an instance for it." : "";
    return `  /** ${m.doc}${reach} Not overridden: the event goes to \`onOther\` and no instance is touched. */
  async ${m.name}(event: PushedEventOf<${JSON.stringify(m.type)}>, state: State, context: SagaContext<State>): Promise<State> {
    void event;
    void context;
    return state;
  }
`;
  });
  return `${HEADER}
import type { PushedEventOf } from "../../events/catalog";
import { CactusEventReceiver } from "../../pipeline/receiver";
import type { SagaContext } from "../types";

/**
 * The default method of every catalog type, for a saga of \`State\`: the base of \`CactusSaga\`,
 * which adds dispatch. Override a method to take its events into the saga: it gets the event, the
 * instance's state and the saga context, and resolves with the next state. Use \`CactusSaga\`
 * itself; this class only holds the methods derived from the catalog.
 */
export abstract class CactusSagaDefaultMethods<State> extends CactusEventReceiver {
${body.join("\n")}}
`;
}

/**
 * spec/types/generated/catalog.types.ts: the compile-time checks that enumerate every type (a
 * switch that ends in \`never\`, an exhaustive subclass, one subclass missing each method).
 */
export function catalogTypesSource(): string {
  const all = methods();
  const signatures = [...all.map((m) => ({ name: m.name, event: `PushedEventOf<${JSON.stringify(m.type)}>` })), { name: "onOther", event: "BaseThinEvent" }];
  const overrides = (skip?: string): string =>
    signatures
      .filter((m) => m.name !== skip)
      .map((m) => `  override async ${m.name}(event: ${m.event}): Promise<void> {\n    void event;\n  }\n`)
      .join("");
  const cases = all
    .map((m) => `    case ${JSON.stringify(m.type)}:\n      expectType<PushedEventOf<${JSON.stringify(m.type)}>>(event);\n      return;\n`)
    .join("");
  const missing = signatures.map((m) => m.name)
    .map(
      (name) => `
// @ts-expect-error Non-abstract class does not implement inherited abstract member '${name}'
export class Missing${name.slice(2)} extends ExhaustiveCactusHandler {
${overrides(name)}}
`,
    )
    .join("");
  return `${HEADER}
// Type tests compiled by \`tsc --noEmit\` in \`npm test\`, never run: the checks that list every
// catalog type, kept complete by the generator. Each \`@ts-expect-error\` line must fail to compile.
import { ExhaustiveCactusHandler, UnknownPushedEvent, type BaseThinEvent, type PushedEventOf, type PushedThinEvent } from "../../../lib";

declare function expectType<T>(value: T): void;

/** A switch on \`event.type\` narrows every case to its class, and \`default\` is \`never\`. */
export function everyCase(event: PushedThinEvent): void {
  if (event instanceof UnknownPushedEvent) return;
  switch (event.type) {
${cases}    default: {
      const none: never = event;
      return none;
    }
  }
}

/** Implementing every method (and \`onOther\`) compiles. */
export class Complete extends ExhaustiveCactusHandler {
${overrides()}}

// A subclass missing one method: the error names it. One class per catalog method (and onOther),
// so that each of them is proven abstract.
${missing}`;
}

/** Every derived file: repository-relative path -> its content now. */
export function derivedFiles(): Map<string, string> {
  const readme = readFileSync(join(ROOT, "README.md"), "utf8");
  return new Map([
    ["lib/handler/generated/handler-methods.ts", handlerMethodsSource()],
    ["lib/handler/generated/exhaustive-methods.ts", exhaustiveMethodsSource()],
    ["lib/saga/generated/saga-methods.ts", sagaMethodsSource()],
    ["spec/types/generated/catalog.types.ts", catalogTypesSource()],
    ["README.md", withTable(readme, eventTable())],
  ]);
}
