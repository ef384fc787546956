import { CactusError } from "./cactus-error";

/** The body was not JSON, or was JSON but not an object. */
export class CactusParseError extends CactusError {
  declare readonly code: "parse_failed";

  /** @param message what was wrong with the body */
  constructor(message: string, options?: { cause?: unknown }) {
    super("parse_failed", message, options);
  }
}

/** One broken rule, found while validating an event or an API answer. */
export interface CactusValidationIssue {
  /** Wire path of the field, e.g. `data.attempt_num` or `related_object.id`. */
  readonly path: string;
  /** The rule it broke, e.g. `isInt`, `min`, `isDefined`, `relatedObjectType`. */
  readonly rule: string;
  /** A human sentence, e.g. `data.attempt_num must not be less than 1`. */
  readonly message: string;
}

/**
 * A known event type (or an API answer) whose shape is wrong. Nothing was dispatched.
 * `issues` names each wire field path and the rule it broke.
 *
 * @example
 * ```ts
 * catch (err) { if (err instanceof CactusValidationError) for (const i of err.issues) console.warn(i.path, i.rule); }
 * ```
 */
export class CactusValidationError extends CactusError {
  declare readonly code: "validation_failed";
  /** Every broken rule, with its wire field path. */
  readonly issues: readonly CactusValidationIssue[];
  /** The event type being validated, when known. */
  readonly eventType: string | undefined;

  /**
   * @param what what was being validated, e.g. `order.shipped event evt_1`
   * @param issues each broken rule
   * @param eventType the event type, when known
   */
  constructor(what: string, issues: readonly CactusValidationIssue[], eventType?: string) {
    super("validation_failed", `Invalid ${what}: ${issues.map((issue) => issue.message).join("; ")}`);
    this.issues = issues;
    this.eventType = eventType;
  }
}

/** `pull()` or `fetchRelatedObject()` was called on an event that no CactusClient parsed. */
export class CactusNotBoundError extends CactusError {
  declare readonly code: "event_not_bound";

  /** @param eventId id of the unbound event */
  constructor(eventId: string) {
    super(
      "event_not_bound",
      `Event ${eventId} is not bound to a CactusClient, so it cannot call the Cactus API. ` +
        `Parse it with client.parseEventV2(body) (or handle it with a CactusHandler built with a client) instead of constructing it yourself.`,
    );
  }
}
