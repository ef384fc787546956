import "reflect-metadata";
import { Command, CommanderError } from "commander";
import { CactusError } from "../errors";
import { SDK_VERSION } from "../client/transport";
import { CliUsageError, shouldUseColor, type CliIo } from "./cli-io";
import { CLI_COMMANDS } from "./commands";
import { styleFor } from "./style";

/** Exit statuses of `cactus`. */
export const EXIT = { ok: 0, failed: 1, usage: 2 } as const;

/**
 * Runs the `cactus` command line and resolves with its exit status: 0 done, 1 failed (e.g. not
 * delivered, API error), 2 usage error. Never throws. `bin/cactus.js` calls it through {@link main}.
 *
 * @example
 * ```ts
 * const status = await runCli(["trigger", "order.shipped", "--url", url, "--secret", secret]);
 * ```
 */
export async function runCli(argv: readonly string[], io: CliIo = { out: console.log, err: console.error }): Promise<number> {
  let status: number = EXIT.ok;
  const program = createProgram(io, (result) => {
    status = result;
  });
  try {
    await program.parseAsync([...argv], { from: "user" });
    return status;
  } catch (error) {
    return reportFailure(error, io, argv);
  }
}

const EXAMPLES = `
Examples:
  cactus trigger <type> --url http://localhost:3000/webhooks --secret whsec_...
  cactus listen --forward-to http://localhost:3000/webhooks --secret whsec_...
  cactus trigger <type> --api-url http://127.0.0.1:12111     (into a running listen or emulator)
  cactus events list --base-url http://127.0.0.1:12111 --api-key sk_test_emulator
  cactus emulator
  cactus secret
  cactus db migrate --database-url postgres://localhost/app

Exit status: 0 done, 1 failed, 2 usage error. \`cactus <command> --help\` for a command's options.`;

/** The commander program of `cactus`, writing to `io`; each command's exit status goes to `setStatus`. */
export function createProgram(io: CliIo, setStatus: (status: number) => void): Command {
  const color = io.color === true;
  const program = new Command("cactus")
    .description("Test your Cactus webhook endpoint and read events: the cactus-sdk command line.")
    .version(SDK_VERSION, "-V, --version")
    .exitOverride()
    .configureOutput({
      writeOut: (text) => io.out(text.replace(/\n$/, "")),
      writeErr: (text) => io.err(text.replace(/\n$/, "")),
      getOutHasColors: () => color,
      getErrHasColors: () => color,
    })
    .showHelpAfterError("(add --help for usage)")
    .addHelpText("after", EXAMPLES);
  const context = {
    io,
    run: async (work: () => Promise<number>) => setStatus(await work()),
  };
  for (const command of CLI_COMMANDS) command.register(program, context);
  return program;
}

function reportFailure(error: unknown, io: CliIo, argv: readonly string[]): number {
  if (error instanceof CommanderError) {
    // Help or version was asked for; or the command was missing (commander printed the help).
    if (error.exitCode === 0) return EXIT.ok;
    return EXIT.usage;
  }
  const style = styleFor(io);
  if (error instanceof CliUsageError) {
    io.err(`${style.bad("error:")} ${error.message}`);
    io.err(`(add --help for usage: cactus ${commandPath(argv)} --help)`);
    return EXIT.usage;
  }
  // CactusError messages never hold a secret or key (the family's rule), so they can be printed.
  io.err(`${style.bad("error:")} ${error instanceof CactusError ? `${error.message} (${error.code})` : String(error)}`);
  return EXIT.failed;
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
    color: shouldUseColor(process.stdout, process.env),
    ...(process.stderr.isTTY ? { progressStream: process.stderr } : {}),
  };
  void runCli(argv, io).then((status) => {
    process.exitCode = status;
    process.off("SIGINT", stop);
    process.off("SIGTERM", stop);
  });
}

// The command words of `argv` (e.g. `events list`), for pointing at the right --help.
function commandPath(argv: readonly string[]): string {
  const [first, second] = argv;
  if (first === undefined || first.startsWith("-")) return "";
  return first === "events" && second !== undefined && !second.startsWith("-") ? `${first} ${second}` : first;
}
