// The class-validator half of the compiled path: what `validateSync(instance, { forbidUnknownValues:
// true })` checks for one class, with the class's rules looked up once. class-validator finds a
// class's inherited rules by scanning every class it knows about, on every call, so its cost grows
// with the size of the application; this lookup runs at first use only. The plan only ever says
// "valid": on any failed, async or unmodelled check it answers false and the caller asks the library,
// which then words the issues exactly as it always has.
import { generate } from "./generate";
import { isRecord } from "../../platform/record";
import { isGeneratedFunction, safeIdentifier } from "./hydrate-plan";
import { getMetadataStorage, ValidationTypes, type ValidationArguments, type ValidatorConstraintInterface } from "class-validator";

/** What class-validator records per rule (its type is not exported from the package root). */
interface RuleMetadata {
  readonly type: string;
  readonly propertyName: string;
  readonly constraints: unknown[];
  readonly constraintCls: Function;
  readonly each?: boolean;
  readonly validateIf?: (object: object, value: unknown) => boolean;
}

interface ConstraintMetadata {
  readonly instance: ValidatorConstraintInterface;
  readonly async: boolean;
}

/** What this plan needs from class-validator's metadata storage. */
interface ValidatorStorage {
  getTargetValidationMetadatas(target: Function, schema: string, always: boolean, strictGroups: boolean, groups?: string[]): RuleMetadata[];
  getTargetValidatorConstraints(target: Function): ConstraintMetadata[];
}

interface RuleCheck {
  readonly metadata: RuleMetadata;
  readonly constraints: readonly ValidatorConstraintInterface[];
}

interface PropertyPlan {
  readonly property: string;
  /** `@IsOptional`, `@ValidateIf`: all must hold, or the property is not checked at all. */
  readonly conditions: readonly ((object: object, value: unknown) => boolean)[];
  /** `@IsDefined` first, then the other rules, as class-validator runs them. */
  readonly checks: readonly RuleCheck[];
  /** `@ValidateNested` count. */
  readonly nested: number;
  /** A `@ValidatePromise` rule: a Promise value then needs the async path. */
  readonly awaitsPromise: boolean;
}

/** A compiled validity check: `true` only when class-validator would report no error. */
export type Validator = (instance: object) => boolean;

const validators = new Map<Function, Validator | null>();

/** The compiled validator of `cls`, built at first use; `null` when its rules use an unmodelled option. */
export function validatorFor(cls: Function): Validator | null {
  let validator = validators.get(cls);
  if (validator === undefined) {
    validator = compileValidator(cls);
    validators.set(cls, validator);
  }
  return validator;
}

function compileValidator(cls: Function): Validator | null {
  const storage: ValidatorStorage = getMetadataStorage();
  // The same call validateSync makes (no schema: "" names none; no groups, no `always`).
  const rules = storage.getTargetValidationMetadatas(cls, "", false, false, undefined);
  // forbidUnknownValues: an instance of a class with no rules at all is an error.
  if (rules.length === 0) return null;
  const byProperty = new Map<string, RuleMetadata[]>();
  for (const rule of rules) {
    if (rule.each) return null;
    let list = byProperty.get(rule.propertyName);
    if (!list) byProperty.set(rule.propertyName, (list = []));
    list.push(rule);
  }
  const plans: PropertyPlan[] = [];
  for (const [property, list] of byProperty) {
    const checkOf = (metadata: RuleMetadata): RuleCheck => ({
      metadata,
      // validateSync skips async constraints; so does this plan.
      constraints: storage.getTargetValidatorConstraints(metadata.constraintCls).filter((c) => !c.async).map((c) => c.instance),
    });
    const defined = list.filter((rule) => rule.type === ValidationTypes.IS_DEFINED).map(checkOf);
    const custom = list.filter((rule) => rule.type === ValidationTypes.CUSTOM_VALIDATION).map(checkOf);
    const known = new Set<string>([
      ValidationTypes.IS_DEFINED,
      ValidationTypes.CUSTOM_VALIDATION,
      ValidationTypes.NESTED_VALIDATION,
      ValidationTypes.CONDITIONAL_VALIDATION,
      ValidationTypes.PROMISE_VALIDATION,
      ValidationTypes.WHITELIST,
    ]);
    if (list.some((rule) => !known.has(rule.type))) return null;
    plans.push({
      property,
      conditions: list
        .filter((rule) => rule.type === ValidationTypes.CONDITIONAL_VALIDATION)
        .map((rule) => conditionOf(rule.constraints[0])),
      checks: [...defined, ...custom],
      nested: list.filter((rule) => rule.type === ValidationTypes.NESTED_VALIDATION).length,
      awaitsPromise: list.some((rule) => rule.type === ValidationTypes.PROMISE_VALIDATION),
    });
  }
  // One function per class with its rules unrolled (see hydrate-plan.ts for why); only indexes
  // and JSON string literals are spliced into the source.
  const name: unknown = cls.name;
  const prelude: string[] = [];
  const lines: string[] = ["let value, valid;"];
  plans.forEach((plan, i) => {
    lines.push(`value = object[${JSON.stringify(plan.property)}];`);
    if (plan.awaitsPromise) lines.push("if (value instanceof Promise) return false;");
    const conditions = plan.conditions.map((_, j) => {
      prelude.push(`const condition${i}_${j} = plans[${i}].conditions[${j}];`);
      return `!!condition${i}_${j}(object, value)`;
    });
    lines.push(conditions.length > 0 ? `if (${conditions.join(" & ")}) {` : "{");
    plan.checks.forEach((check, j) => {
      const rule = `rule${i}_${j}`;
      prelude.push(`const ${rule} = plans[${i}].checks[${j}].metadata;`);
      if (check.metadata.validateIf) lines.push(`if (${rule}.validateIf(object, value)) {`);
      check.constraints.forEach((_, k) => {
        prelude.push(`const constraint${i}_${j}_${k} = plans[${i}].checks[${j}].constraints[${k}];`);
        lines.push(
          `valid = constraint${i}_${j}_${k}.validate(value, { targetName: NAME, property: ${rule}.propertyName, object, value, constraints: ${rule}.constraints });`,
          "if (valid !== true && (!valid || isThenable(valid))) return false;",
        );
      });
      if (check.metadata.validateIf) lines.push("}");
    });
    if (plan.nested > 0) {
      prelude.push(`let seen${i} = null, nested${i} = null;`);
      lines.push(
        "if (value !== undefined) {",
        "  if (Array.isArray(value) || value instanceof Set || value instanceof Map || !(value instanceof Object)) return false;",
        `  if (value.constructor !== seen${i}) {`,
        `    seen${i} = value.constructor;`,
        `    nested${i} = typeof seen${i} === "function" ? validatorFor(seen${i}) : null;`,
        "  }",
        `  if (nested${i} === null || !nested${i}(value)) return false;`,
        "}",
      );
    }
    lines.push("}");
  });
  lines.push("return true;");
  return generate<Validator>(
    ["plans", "NAME", "isThenable", "validatorFor"],
    `${prelude.join("\n")}\nreturn function validate${safeIdentifier(cls)}(object) {\n${lines.join("\n")}\n};`,
    [plans, name, isThenable, validatorFor],
    isGeneratedFunction,
  );
}

function isThenable(value: unknown): boolean {
  return isRecord(value) && typeof value["then"] === "function";
}

// `@ValidateIf(condition)` keeps its condition as the rule's first constraint.
function conditionOf(constraint: unknown): (object: object, value: unknown) => boolean {
  return typeof constraint === "function" ? (object, value) => Boolean(Reflect.apply(constraint, undefined, [object, value])) : () => true;
}
