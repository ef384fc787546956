import { CactusClient, type CactusClientOptions } from "../../lib";
import { CactusEmulator } from "../../lib/emulator";
import { fixtureEventId, UNKNOWN_FIXTURE_TYPE } from "../../lib/emulator/fixtures";
import { cactusEventTypes } from "../../lib/events/catalog";

/** An emulator on a free 127.0.0.1 port and a client pointed at it (no retries unless asked). */
export async function startEmulatorWithClient(
  options: Partial<CactusClientOptions> = {},
): Promise<{ emulator: CactusEmulator; client: CactusClient }> {
  const emulator = await CactusEmulator.start();
  const client = new CactusClient({ apiKey: emulator.apiKey, baseUrl: emulator.url, maxRetries: 0, ...options });
  return { emulator, client };
}

/** The wire body of a stored event's thin version, as Cactus would POST it. */
export function thinBody(emulator: CactusEmulator, id: string): string {
  return JSON.stringify(emulator.thinEventOf(id));
}

/**
 * A type string no catalog row has, and not one the docs use as their example of a new type: what
 * specs send to exercise the unknown-type path (`UnknownPushedEvent`, `onOther`).
 */
export const UNKNOWN_TYPE = "shipment.teleported";

/** The emulator's seeded events: one of every catalog type, in catalog order, then the unknown `order.refunded`. */
export const SEEDED_EVENT_IDS: readonly string[] = Object.freeze([...cactusEventTypes, UNKNOWN_FIXTURE_TYPE].map(fixtureEventId));

// What the examples' activity handler prints for the fixture event of each type they were written for.
const ACTIVITY_LINES: Readonly<Record<string, string>> = {
  "order.shipped": "order.shipped: order ord_456 (3 items) shipped with usps",
  "order.delivery_attempted": "order.delivery_attempted: attempt #1 at front door failed for order ord_456",
  "order.lost": "order.lost: parcel lost, last seen in Tucson",
  "movie.started": `movie.started: "The Prickly Pear" (2021) started at 2024-05-02T20:15:00.000Z`,
  "movie.completed": `movie.completed: ada rated "The Prickly Pear" 4.5/5`,
  [UNKNOWN_FIXTURE_TYPE]: `${UNKNOWN_FIXTURE_TYPE}: not a type this handler knows; kept for later (event ${fixtureEventId(UNKNOWN_FIXTURE_TYPE)})`,
};

/**
 * What the examples' activity handler prints for {@link SEEDED_EVENT_IDS}, in every style: one line
 * per event, in order. The exact line for the types the examples were written for; for a type added
 * to the catalog since, one line that starts with its type (its own line, or the `onOther` one).
 */
export const EXPECTED_ACTIVITY_LINES: readonly unknown[] = Object.freeze(
  [...cactusEventTypes, UNKNOWN_FIXTURE_TYPE].map((type) => ACTIVITY_LINES[type] ?? expect.stringMatching(new RegExp(`^${type.replace(/\./g, "\\.")}: `))),
);
