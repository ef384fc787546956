import type { CliCommand } from "./command";
import { emulatorCommand } from "./emulator-command";
import { eventsCommand } from "./events-command";
import { secretCommand } from "./secret-command";
import { triggerCommand } from "./trigger-command";

/**
 * Every `cactus` command, in the order `cactus --help` lists them. A command that parses its own
 * arguments is added with `rawArgsCommand(name, summary, run)` from "./command".
 */
export const CLI_COMMANDS: readonly CliCommand[] = [
  triggerCommand,
  eventsCommand,
  secretCommand,
  emulatorCommand,
];
