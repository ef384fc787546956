import { CactusError } from "../errors";
import type { CactusApiVersion } from "../events/api-versions";
import { CactusEmulator, EMULATOR_CONTROL_HEADER } from "../emulator/cactus-emulator";
import { fixtureEventId } from "../emulator/fixtures";
import type { WireThinEvent } from "../emulator/wire-types";
import { readThinEvent } from "./read-thin-event";

/** The events `cactus trigger` sends, and how to release what backs them. */
export interface TriggerEvents {
  /** The thin events to deliver, one per delivery. */
  readonly events: readonly WireThinEvent[];
  /** Where `pull()` finds them. */
  readonly apiUrl: string;
  /** Whether an emulator was started for this run (it stops at `close()`). */
  readonly startedEmulator: boolean;
  /** Stops the in-process emulator, if one was started. */
  close(): Promise<void>;
}

/**
 * No `--api-url`: an emulator lives for the duration of the run, with `count` fresh events of
 * `type` in it (in API version `apiVersion` when given), so each delivery has its own id and a
 * receiver's `pull()` finds it.
 */
export async function inProcessEvents(type: string, count: number, apiKey: string, port: number, apiVersion?: CactusApiVersion): Promise<TriggerEvents> {
  const emulator = await CactusEmulator.start({ apiKey, port }).catch((cause: unknown) => {
    throw new CactusError(
      "emulator_listen_failed",
      `Could not start the in-process emulator on port ${port}. If \`cactus emulator\` is already running there, pass --api-url http://127.0.0.1:${port}; otherwise pick another --emulator-port.`,
      { cause },
    );
  });
  const overrides = apiVersion === undefined ? {} : { apiVersion };
  const events = Array.from({ length: count }, () => emulator.thinEventOf(emulator.createEvent(type, overrides).id));
  return { events, apiUrl: emulator.url, startedEmulator: true, close: () => emulator.close() };
}

/**
 * `--api-url` with `--url`: every delivery sends the fixture event the running emulator holds for
 * `type` from its start (`evt_<type with _>`), after checking that it exists there.
 */
export async function fixtureEvents(type: string, count: number, apiUrl: string, apiKey: string): Promise<TriggerEvents> {
  const id = fixtureEventId(type);
  const url = `${apiUrl.replace(/\/+$/, "")}/v2/events/${encodeURIComponent(id)}`;
  let response: Response;
  try {
    response = await fetch(url, { headers: { authorization: `Bearer ${apiKey}`, [EMULATOR_CONTROL_HEADER]: "1" }, redirect: "manual", signal: AbortSignal.timeout(10_000) });
  } catch (cause) {
    throw new CactusError("emulator_unreachable", `Could not reach the Cactus API at ${apiUrl}; is \`cactus emulator\` running?`, { cause });
  }
  if (!response.ok) {
    throw new CactusError(
      "backing_event_missing",
      `${apiUrl} answered ${response.status} for event ${id}: it has no event of type ${type}. Run without --api-url to create one in an in-process emulator.`,
    );
  }
  const thin = readThinEvent(await response.json()) ?? { id, type };
  return { events: Array.from({ length: count }, () => thin), apiUrl, startedEmulator: false, close: async () => undefined };
}

/**
 * `--api-url` without `--url`: creates `count` fresh events of `type` in the running emulator
 * (`POST /v2/events`, the emulator's own route), where a `cactus listen` forwards them. Resolves
 * with the thin events created; a refused shape is the emulator's validation message. With
 * `apiVersion`, the events are created in that API version (their data in its shape).
 */
export async function createInEmulator(type: string, count: number, apiUrl: string, apiKey: string, apiVersion?: CactusApiVersion): Promise<WireThinEvent[]> {
  const url = `${apiUrl.replace(/\/+$/, "")}/v2/events`;
  const created: WireThinEvent[] = [];
  for (let i = 0; i < count; i++) {
    let response: Response;
    try {
      response = await fetch(url, {
        method: "POST",
        headers: { authorization: `Bearer ${apiKey}`, "content-type": "application/json", [EMULATOR_CONTROL_HEADER]: "1" },
        body: JSON.stringify(apiVersion === undefined ? { type } : { type, api_version: apiVersion }),
        redirect: "manual",
        signal: AbortSignal.timeout(10_000),
      });
    } catch (cause) {
      throw new CactusError("emulator_unreachable", `Could not reach the emulator at ${apiUrl}; is \`cactus emulator\` or \`cactus listen\` running?`, { cause });
    }
    const answer: unknown = await response.json().catch(() => undefined);
    const thin = response.status === 201 ? readThinEvent(answer, true) : undefined;
    if (thin === undefined) {
      throw new CactusError("emulator_unreachable", `${apiUrl} did not create the event (answered ${response.status}); it must be a cactus emulator, which accepts POST /v2/events`);
    }
    created.push(thin);
  }
  return created;
}
