import { CactusClient, type CactusClientOptions } from "../client/cactus-client";
import { CactusEmulator, type EmulatorOptions } from "../emulator/cactus-emulator";
import { parseFullEvent } from "../events/parse";
import { createPushedEvent, wireFullEvent, type FullEventOverrides, type TestEventType, type TestPushedEvent } from "./create-event";

/**
 * Options of {@link startEmulator}: the emulator's, plus `client` options for the bound client.
 *
 * @example
 * ```ts
 * const options: StartEmulatorOptions = { client: { maxRetries: 2 } };
 * ```
 */
export interface StartEmulatorOptions extends Omit<EmulatorOptions, "port"> {
  /** Options of the client; `apiKey` and `baseUrl` point at the emulator. Default `maxRetries: 0`, so a failure shows at once. */
  readonly client?: Partial<Omit<CactusClientOptions, "apiKey" | "baseUrl">>;
}

/**
 * What {@link startEmulator} gives a test.
 *
 * @example
 * ```ts
 * const { emulator, client, stop }: StartedEmulator = await startEmulator();
 * ```
 */
export interface StartedEmulator {
  /** The running emulator (preloaded with one event per type, `ord_456` and `mov_789`). */
  readonly emulator: CactusEmulator;
  /** A client bound to it: pass it as `{ client }` to `createPushedEvent`, or to your handler. */
  readonly client: CactusClient;
  /**
   * Stores a full event of `type` in the emulator (fixture data with `overrides.data` merged over
   * it, wire names, validated) and returns its pushed event bound to {@link client}, so that
   * `pull()` returns that data.
   *
   * @example
   * ```ts
   * const event = api.createPushedEvent("order.lost", { data: { last_seen_city: "Paris" } });
   * (await event.pull()).data.lastSeenCity; // "Paris"
   * ```
   */
  createPushedEvent<T extends TestEventType>(type: T, overrides?: FullEventOverrides<T>): TestPushedEvent<T>;
  /** Closes the emulator. */
  stop(): Promise<void>;
}

/**
 * Starts the local Cactus API on a free port of 127.0.0.1 and a client pointed at it, for a jest
 * `beforeAll`. Events made with `createPushedEvent(type, { client })` then `pull()` the fixture data.
 *
 * @example
 * ```ts
 * let api: StartedEmulator;
 * beforeAll(async () => { api = await startEmulator(); });
 * afterAll(() => api.stop());
 * ```
 */
export async function startEmulator(options: StartEmulatorOptions = {}): Promise<StartedEmulator> {
  const { client: clientOptions, ...emulatorOptions } = options;
  const emulator = await CactusEmulator.start({ ...emulatorOptions, port: 0 });
  const client = new CactusClient({ maxRetries: 0, ...clientOptions, apiKey: emulator.apiKey, baseUrl: emulator.url });
  let count = 0;
  return {
    emulator,
    client,
    createPushedEvent<T extends TestEventType>(type: T, overrides: FullEventOverrides<T> = {}): TestPushedEvent<T> {
      count += 1;
      const id = overrides.id ?? `evt_test_${count}`;
      // Built and validated first: an override that makes the event invalid throws here, not at pull().
      const wire = wireFullEvent(type, { ...overrides, id }, "createPushedEvent");
      parseFullEvent(wire, "test event");
      emulator.addEvent(wire);
      const related = overrides.related_object;
      return createPushedEvent(type, { id, client, ...(related === undefined ? {} : { related_object: related }) });
    },
    stop: () => emulator.close(),
  };
}
