// P4: an application with many class-validator classes of its own. class-validator finds a class's
// inherited rules by scanning every class it knows about; these classes are unrelated to the SDK's
// and only make that scan long.
import { IsInt, IsOptional, IsString, Min } from "class-validator";

/**
 * Defines `count` unrelated classes, each with three properties and four rules (as a user's DTOs
 * would have), and returns them so they stay alive.
 *
 * @example
 * ```ts
 * const keep = loadUnrelatedValidatedClasses(10_000);
 * ```
 */
export function loadUnrelatedValidatedClasses(count: number): Function[] {
  const classes: Function[] = [];
  for (let index = 0; index < count; index++) {
    const Dto = class {
      name!: string;
      quantity!: number;
      note?: string;
    };
    IsString()(Dto.prototype, "name");
    IsInt()(Dto.prototype, "quantity");
    Min(0)(Dto.prototype, "quantity");
    IsOptional()(Dto.prototype, "note");
    classes.push(Dto);
  }
  return classes;
}
