import { rawArgsCommand, type CliCommand } from "./command";
import { dbCommand } from "./db-command";
import { dlqCommand } from "./dlq-command";
import { emulatorCommand } from "./emulator-command";
import { eventsCommand } from "./events-command";
import { listenCommand } from "./listen-command";
import { catchUpCommand, replayCommand } from "./replay-command";
import { sagaCommand } from "./saga-command";
import { secretCommand } from "./secret-command";
import { triggerCommand } from "./trigger-command";

/**
 * Every `cactus` command, in the order `cactus --help` lists them: the one place a command is added.
 * A command that parses its own arguments (`run(args, io)` resolving to an exit status) joins as
 * `rawArgsCommand(name, summary, run)` from "./command"; commander then hands it everything after
 * its name, `--help` included.
 */
export const CLI_COMMANDS: readonly CliCommand[] = [
  triggerCommand,
  rawArgsCommand("listen", "forward every emulator event, signed, to your endpoint, with a live dashboard", listenCommand),
  eventsCommand,
  rawArgsCommand("dlq", "list, show, replay or purge a queue's dead letters (needs bullmq and ioredis)", dlqCommand),
  secretCommand,
  emulatorCommand,
  dbCommand,
  replayCommand,
  catchUpCommand,
  sagaCommand,
];
