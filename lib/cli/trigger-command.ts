import { parseArgs } from "node:util";
import { CactusError } from "../errors";
import { CactusEmulator, DEFAULT_EMULATOR_API_KEY } from "../emulator/cactus-emulator";
import { fixtureEventId } from "../emulator/fixtures";
import type { WireThinEvent } from "../emulator/wire-types";
import { deliverWebhook, type DeliveryAttempt } from "../emulator/deliver-webhook";
import { WebhookSecrets } from "../webhooks/secrets";
import { CliUsageError, integerOption, type CliIo } from "./cli-io";
import { DEFAULT_EMULATOR_PORT } from "./usage";

/** `cactus trigger <type> --url <endpoint> --secret <whsec>`: exit 0 when delivered, 1 when not. */
export async function triggerCommand(args: readonly string[], io: CliIo): Promise<number> {
  const { values, positionals } = parseArgs({
    args: [...args],
    allowPositionals: true,
    options: {
      url: { type: "string" },
      secret: { type: "string" },
      "api-url": { type: "string" },
      "api-key": { type: "string" },
      "emulator-port": { type: "string" },
      "max-attempts": { type: "string" },
      "backoff-ms": { type: "string" },
    },
  });
  const [type, ...extra] = positionals;
  if (type === undefined) throw new CliUsageError("cactus trigger needs an event type, e.g. cactus trigger order.shipped --url ...");
  if (extra.length > 0) throw new CliUsageError(`cactus trigger takes one event type, got also ${extra.join(" ")}`);
  if (values.url === undefined) throw new CliUsageError("cactus trigger needs --url <endpoint>");
  checkUrl("url", values.url);
  const secretText = values.secret ?? process.env.CACTUS_WEBHOOK_SECRET;
  if (secretText === undefined) throw new CliUsageError("cactus trigger needs --secret <whsec_...> (or CACTUS_WEBHOOK_SECRET)");
  const secret = WebhookSecrets.parse(secretText); // malformed: CactusSignatureError, which never echoes it
  const maxAttempts = integerOption("max-attempts", values["max-attempts"], 5, 1);
  const backoffMs = integerOption("backoff-ms", values["backoff-ms"], 1000, 1);
  const apiKey = values["api-key"] ?? process.env.CACTUS_API_KEY ?? DEFAULT_EMULATOR_API_KEY;

  const backing = values["api-url"] === undefined
    ? await inProcessEvent(type, apiKey, integerOption("emulator-port", values["emulator-port"], DEFAULT_EMULATOR_PORT, 0), io)
    : await seededEvent(type, values["api-url"], apiKey, io);
  try {
    const body = JSON.stringify(backing.thin);
    io.out(`delivering ${type} ${backing.thin.id} to ${values.url}`);
    io.out(`  ${body}`);
    const result = await deliverWebhook({ url: values.url, id: backing.thin.id, body, secret, maxAttempts, backoffMs, onAttempt: (attempt) => io.out(describeAttempt(attempt)) });
    io.out(result.delivered ? `delivered after ${result.attempts.length} attempt(s)` : `not delivered after ${result.attempts.length} attempt(s); Cactus would keep retrying for days`);
    return result.delivered ? 0 : 1;
  } finally {
    await backing.close();
  }
}

interface BackingEvent {
  readonly thin: WireThinEvent;
  close(): Promise<void>;
}

// No --api-url: an emulator lives for the duration of the delivery, with a fresh event in it.
async function inProcessEvent(type: string, apiKey: string, port: number, io: CliIo): Promise<BackingEvent> {
  const emulator = await CactusEmulator.start({ apiKey, port }).catch((cause: unknown) => {
    throw new CactusError(
      "emulator_listen_failed",
      `Could not start the in-process emulator on port ${port}. If \`cactus emulator\` is already running there, pass --api-url http://127.0.0.1:${port}; otherwise pick another --emulator-port.`,
      { cause },
    );
  });
  const event = emulator.createEvent(type);
  io.out(`started the Cactus API emulator at ${emulator.url} for this delivery (set CACTUS_API_BASE_URL=${emulator.url} in your app so pull() reaches it)`);
  return { thin: emulator.thinEventOf(event.id), close: () => emulator.close() };
}

// --api-url: the emulator's HTTP API only serves GETs, so the event is the one it seeded for `type`.
async function seededEvent(type: string, apiUrl: string, apiKey: string, io: CliIo): Promise<BackingEvent> {
  checkUrl("api-url", apiUrl);
  const id = fixtureEventId(type);
  const url = `${apiUrl.replace(/\/+$/, "")}/v2/events/${encodeURIComponent(id)}`;
  let response: Response;
  try {
    response = await fetch(url, { headers: { authorization: `Bearer ${apiKey}` }, signal: AbortSignal.timeout(10_000) });
  } catch (cause) {
    throw new CactusError("emulator_unreachable", `Could not reach the Cactus API at ${apiUrl}; is \`cactus emulator\` running?`, { cause });
  }
  if (!response.ok) {
    throw new CactusError(
      "backing_event_missing",
      `${apiUrl} answered ${response.status} for event ${id}: it has no event of type ${type}. Run without --api-url to create one in an in-process emulator.`,
    );
  }
  const full: unknown = await response.json();
  io.out(`using event ${id}, served by ${apiUrl}`);
  return { thin: thinOf(full, id, type), close: async () => undefined };
}

function thinOf(full: unknown, id: string, type: string): WireThinEvent {
  const thin: WireThinEvent = { id, type };
  if (typeof full === "object" && full !== null && "related_object" in full) {
    const related = full.related_object;
    if (related === null) thin.related_object = null;
    else if (typeof related === "object" && "id" in related && "type" in related && typeof related.id === "string" && typeof related.type === "string") {
      thin.related_object = { id: related.id, type: related.type };
    }
  }
  return thin;
}

function describeAttempt({ attempt, status, detail, nextDelayMs }: DeliveryAttempt): string {
  const answer = status === undefined ? `no answer (${detail ?? "network error"})` : `${status}${detail === undefined ? "" : ` ${detail}`}`;
  const next = nextDelayMs === undefined ? "" : `; next attempt in ${nextDelayMs} ms`;
  return `attempt ${attempt}: ${answer}${next}`;
}

function checkUrl(name: string, value: string): void {
  try {
    const url = new URL(value);
    if (url.protocol === "http:" || url.protocol === "https:") return;
  } catch {
    // reported below
  }
  throw new CliUsageError(`--${name} must be an http(s) URL, got ${JSON.stringify(value)}`);
}
