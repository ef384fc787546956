import { CliUsageError } from "../errors";

/** Where the CLI writes, and when it must stop: injected so that tests run it in-process. */
export interface CliIo {
  /** One line of normal output. */
  out(line: string): void;
  /** One line of error output. */
  err(line: string): void;
  /** Aborted on Ctrl-C (long-running commands stop cleanly). */
  readonly signal?: AbortSignal;
  /** Whether to colour the output: a terminal, and `NO_COLOR` unset. Default false. */
  readonly color?: boolean;
  /** A terminal to draw progress bars on; absent when the output is not a terminal (no bar). */
  readonly progressStream?: NodeJS.WritableStream;
}

// A usage mistake (printed with a pointer to `--help`, exit status 2) is one of the SDK's errors.
export { CliUsageError };

/**
 * Runs `node:util`'s `parseArgs` (inside `parse`) and turns its complaints (an unknown option, a
 * missing value) into a {@link CliUsageError}: the usual usage message and exit status 2.
 *
 * @example
 * ```ts
 * const { values } = usageErrorsOf(() => parseArgs({ args, options }));
 * ```
 */
export function usageErrorsOf<T>(parse: () => T): T {
  try {
    return parse();
  } catch (error) {
    // Read by shape, not instanceof: the TypeError may come from another realm (a vm, a test runner).
    const code: unknown = typeof error === "object" && error !== null ? Reflect.get(error, "code") : undefined;
    const message: unknown = typeof error === "object" && error !== null ? Reflect.get(error, "message") : undefined;
    if (typeof code === "string" && code.startsWith("ERR_PARSE_ARGS") && typeof message === "string") throw new CliUsageError(message.split(". To specify")[0] ?? message);
    throw error;
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

/**
 * Whether output to `stream` should be coloured: only on a terminal, never when `NO_COLOR` is set
 * to a non-empty value (https://no-color.org) or `TERM` is `dumb`.
 */
export function shouldUseColor(stream: { readonly isTTY?: boolean }, env: NodeJS.ProcessEnv): boolean {
  if (env["NO_COLOR"] !== undefined && env["NO_COLOR"] !== "") return false;
  if (env["TERM"] === "dumb") return false;
  return stream.isTTY === true;
}
