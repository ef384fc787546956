import { InvalidArgumentError, type Command } from "commander";
import type { CliIo } from "./cli-io";

/** What a command gets when it registers itself on the `cactus` program. */
export interface CliContext {
  /** Where it writes, and its Ctrl-C signal. */
  readonly io: CliIo;
  /** Runs the command's work and records the exit status it resolves with. */
  run(work: () => Promise<number>): Promise<void>;
}

/** One `cactus` command: adds itself (options, help, action) to the program. */
export interface CliCommand {
  /** The command's name, e.g. `trigger`. */
  readonly name: string;
  /** Adds the command to `program`. */
  register(program: Command, context: CliContext): void;
}

/**
 * A command that parses its own arguments (and its own `--help`): commander hands it everything
 * after its name unchanged.
 *
 * @example
 * ```ts
 * rawArgsCommand("listen", "Forwards deliveries to your local endpoint", listenCommand)
 * ```
 */
export function rawArgsCommand(name: string, summary: string, run: (args: readonly string[], io: CliIo) => Promise<number>): CliCommand {
  return {
    name,
    register(program, context) {
      program
        .command(name)
        .summary(summary)
        .description(summary)
        .helpOption(false)
        .allowUnknownOption()
        .allowExcessArguments()
        .argument("[args...]")
        .action((args: string[]) => context.run(() => run(args, context.io)));
    },
  };
}

/** A commander parser for a whole-number option value `>= min`. */
export function wholeNumber(min: number): (value: string) => number {
  return (value) => {
    const parsed = Number(value);
    if (!/^[0-9]+$/.test(value) || !Number.isSafeInteger(parsed) || parsed < min) {
      throw new InvalidArgumentError(`must be a whole number >= ${min}`);
    }
    return parsed;
  };
}

/** A commander parser for an http(s) URL option value. */
export function httpUrl(value: string): string {
  try {
    const url = new URL(value);
    if (url.protocol === "http:" || url.protocol === "https:") return value;
  } catch {
    // reported below
  }
  throw new InvalidArgumentError("must be an http:// or https:// URL");
}
