import { CactusError } from "./cactus-error";

/**
 * Bad configuration, found when something is constructed (never at the first event).
 *
 * @example
 * ```ts
 * new CactusClient({ apiKey: "" }); // throws CactusConfigError: apiKey is required ...
 * ```
 */
export class CactusConfigError extends CactusError {
  declare readonly code: "invalid_config";

  /** @param message which option was wrong and why */
  constructor(message: string) {
    super("invalid_config", message);
  }
}

/**
 * A usage mistake on the `cactus` command line: printed with the command's help, exit status 2.
 *
 * @example
 * ```ts
 * throw new CliUsageError('unknown command "trigerr"');
 * ```
 */
export class CliUsageError extends CactusError {
  declare readonly code: "cli_usage";

  /** @param message what was wrong with the command line */
  constructor(message: string) {
    super("cli_usage", message);
  }
}
