import { instanceToPlain } from "class-transformer";
import { Option, type Command } from "commander";
import { CactusClient, DEFAULT_BASE_URL } from "../client/cactus-client";
import type { WireThinEvent } from "../emulator/wire-types";
import { CliUsageError, type CliIo } from "./cli-io";
import { httpUrl, wholeNumber, type CliCommand } from "./command";
import { listEvents, type ApiTarget } from "./list-events";
import { styleFor, type CliStyle } from "./style";
import { printable } from "./printable";

/** The options every `cactus events` subcommand takes. */
interface ApiOptions {
  readonly baseUrl?: string;
  readonly apiKey?: string;
  readonly json?: boolean;
}

interface ListOptions extends ApiOptions {
  readonly type?: string;
  readonly limit?: number;
  readonly createdAfter?: string;
  readonly startingAfter?: string;
}

const EXIT_STATUS = "\nExit status: 0 done, 1 the API call failed, 2 usage error.";

/** `cactus events list` and `cactus events show <id>`: read events from the Cactus API or the emulator. */
export const eventsCommand: CliCommand = {
  name: "events",
  register(program: Command, context) {
    const events = program
      .command("events")
      .summary("list recent events, or show one, from the Cactus API or the emulator")
      .description("Reads events from the Cactus API (or `cactus emulator`, with --base-url or CACTUS_API_BASE_URL).");
    withApiOptions(
      events
        .command("list")
        .description("Lists thin events, newest first.")
        .option("--type <type>", "only events of this type, e.g. order.shipped")
        .option("--limit <n>", "events per page, 1 to 100 (the API's default is 20)", wholeNumber(1))
        .option("--created-after <time>", "only events created after this time")
        .option("--starting-after <id>", "the page after this event id (for paging)"),
    )
      .addHelpText("after", EXIT_STATUS)
      .action((options: ListOptions) => context.run(() => list(options, context.io)));
    withApiOptions(events.command("show").description("Shows the full event <id>, with its data.").argument("<id>", "event id, e.g. evt_123"))
      .addHelpText("after", EXIT_STATUS)
      .action((id: string, options: ApiOptions) => context.run(() => show(id, options, context.io)));
  },
};

function withApiOptions(command: Command): Command {
  return command
    .addOption(new Option("--base-url <url>", `API base URL (default ${DEFAULT_BASE_URL})`).env("CACTUS_API_BASE_URL").argParser(httpUrl))
    .addOption(new Option("--api-key <key>", "API key (never printed)").env("CACTUS_API_KEY"))
    .option("--json", "print JSON instead of text");
}

function targetOf(options: ApiOptions): ApiTarget {
  if (options.apiKey === undefined || options.apiKey === "") {
    throw new CliUsageError("needs an API key: --api-key <key> or CACTUS_API_KEY (the emulator's is sk_test_emulator)");
  }
  return { baseUrl: options.baseUrl ?? DEFAULT_BASE_URL, apiKey: options.apiKey };
}

async function list(options: ListOptions, io: CliIo): Promise<number> {
  if (options.limit !== undefined && options.limit > 100) throw new CliUsageError("--limit must be between 1 and 100");
  const page = await listEvents(targetOf(options), {
    type: options.type,
    limit: options.limit,
    createdAfter: options.createdAfter,
    startingAfter: options.startingAfter,
  });
  if (options.json === true) {
    io.out(JSON.stringify(page));
    return 0;
  }
  const style = styleFor(io);
  if (page.data.length === 0) io.out(style.dim("no events"));
  for (const event of page.data) io.out(eventLine(event, style));
  const last = page.data[page.data.length - 1];
  if (page.has_more && last !== undefined) io.out(style.dim(`more: cactus events list --starting-after ${last.id}`));
  return 0;
}

async function show(id: string, options: ApiOptions, io: CliIo): Promise<number> {
  const target = targetOf(options);
  const client = new CactusClient({ apiKey: target.apiKey, baseUrl: target.baseUrl });
  const event = await client.retrieveEvent(id);
  // The event as the API sent it (wire names), not the SDK's camelCase properties.
  const wire = instanceToPlain(event);
  if (options.json === true) {
    io.out(JSON.stringify(wire));
    return 0;
  }
  const style = styleFor(io);
  io.out(eventLine({ id: event.id, type: event.type, related_object: event.relatedObject ? { id: event.relatedObject.id, type: event.relatedObject.type } : null }, style));
  io.out(JSON.stringify(wire["data"] ?? {}, null, 2));
  return 0;
}

function eventLine(event: WireThinEvent, style: CliStyle): string {
  const related = event.related_object ? `${printable(event.related_object.type)} ${printable(event.related_object.id)}` : style.dim("(no related object)");
  return `${style.bold(printable(event.id))}  ${printable(event.type)}  ${related}`;
}
