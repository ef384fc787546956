import { CactusClient, type CactusClientOptions } from "../../lib";
import { CactusEmulator } from "../../lib/emulator";

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

/** The emulator's seeded events: one of every known type, then the unknown `order.refunded`. */
export const SEEDED_EVENT_IDS = [
  "evt_order_shipped",
  "evt_order_delivery_attempted",
  "evt_order_lost",
  "evt_movie_started",
  "evt_movie_completed",
  "evt_order_refunded",
] as const;

/** What the examples' activity handler prints for {@link SEEDED_EVENT_IDS}, in every style. */
export const EXPECTED_ACTIVITY_LINES = [
  "order.shipped: order ord_456 (3 items) shipped with usps",
  "order.delivery_attempted: attempt #1 at front door failed for order ord_456",
  "order.lost: parcel lost, last seen in Tucson",
  `movie.started: "The Prickly Pear" (2021) started at 2024-05-02T20:15:00.000Z`,
  `movie.completed: ada rated "The Prickly Pear" 4.5/5`,
  "order.refunded: not a type this handler knows; kept for later (event evt_order_refunded)",
] as const;
