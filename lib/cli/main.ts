import "reflect-metadata";
import { CactusError } from "../errors";
import { CliUsageError, type CliIo } from "./cli-io";
import { emulatorCommand } from "./emulator-command";
import { listenCommand } from "./listen-command";
import { triggerCommand } from "./trigger-command";
import { USAGE } from "./usage";

/**
 * Runs the `cactus` command line and resolves with its exit status: 0 done, 1 failed (e.g. not
 * delivered), 2 usage error. Never throws. `bin/cactus.js` calls it with `process.argv.slice(2)`.
 *
 * @example
 * ```ts
 * const status = await runCli(["trigger", "order.shipped", "--url", url, "--secret", secret]);
 * ```
 */
export async function runCli(argv: readonly string[], io: CliIo = { out: console.log, err: console.error }): Promise<number> {
  const [command, ...args] = argv;
  try {
    switch (command) {
      case "trigger":
        return await triggerCommand(args, io);
      case "emulator":
        return await emulatorCommand(args, io);
      case "listen": return await listenCommand(args, io);
      case undefined:
      case "help":
      case "--help":
      case "-h":
        io.out(USAGE);
        return command === undefined ? 2 : 0;
      default:
        throw new CliUsageError(`unknown command ${JSON.stringify(command)}`);
    }
  } catch (error) {
    if (error instanceof CliUsageError || isParseArgsError(error)) {
      io.err(`cactus: ${error.message}`);
      io.err(USAGE);
      return 2;
    }
    // CactusError messages never hold a secret or key (the family's rule), so they can be printed.
    io.err(`cactus: ${error instanceof CactusError ? `${error.message} (${error.code})` : String(error)}`);
    return 1;
  }
}

// node:util parseArgs throws TypeErrors with ERR_PARSE_ARGS_* codes for unknown or malformed options.
// Checked by shape, not instanceof: Node's internal errors may come from another realm (jest, vm).
function isParseArgsError(error: unknown): error is { code: string; message: string } {
  return typeof error === "object" && error !== null && "code" in error && typeof error.code === "string" && error.code.startsWith("ERR_PARSE_ARGS") && "message" in error && typeof error.message === "string";
}

/** Entry point of `bin/cactus.js`: runs the CLI on stdout/stderr, Ctrl-C stops it, sets the exit code. */
export function main(argv: readonly string[] = process.argv.slice(2)): void {
  const controller = new AbortController();
  const stop = (): void => controller.abort();
  process.once("SIGINT", stop);
  process.once("SIGTERM", stop);
  const io: CliIo = {
    out: (line) => process.stdout.write(`${line}\n`),
    err: (line) => process.stderr.write(`${line}\n`),
    signal: controller.signal,
  };
  void runCli(argv, io).then((status) => {
    process.exitCode = status;
    process.off("SIGINT", stop);
    process.off("SIGTERM", stop);
  });
}
