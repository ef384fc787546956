/** Where the CLI writes, and when it must stop: injected so that tests run it in-process. */
export interface CliIo {
  /** One line of normal output. */
  out(line: string): void;
  /** One line of error output. */
  err(line: string): void;
  /** Aborted on Ctrl-C (long-running commands stop cleanly). */
  readonly signal?: AbortSignal;
}

/** A usage mistake: printed with the usage, exit status 2. */
export class CliUsageError extends Error {
  /** @param message what was wrong with the command line */
  constructor(message: string) {
    super(message);
    this.name = "CliUsageError";
  }
}

/** Parses a whole-number option, or throws {@link CliUsageError} naming it. */
export function integerOption(name: string, value: string | undefined, fallback: number, min: number): number {
  if (value === undefined) return fallback;
  const parsed = Number(value);
  if (!/^[0-9]+$/.test(value) || !Number.isSafeInteger(parsed) || parsed < min) {
    throw new CliUsageError(`--${name} must be a whole number >= ${min}, got ${JSON.stringify(value)}`);
  }
  return parsed;
}
