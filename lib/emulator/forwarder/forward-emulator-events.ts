import type { CactusEmulator } from "../cactus-emulator";
import type { WireFullEvent, WireThinEvent } from "../wire-types";
import type { WebhookForwarder } from "./webhook-forwarder";

/**
 * Forwards every event stored in `emulator` from now on (by code, the dashboard's Trigger, or
 * the API) to `forwarder`'s endpoint, as a thin event. Returns a function that stops it.
 *
 * @example
 * ```ts
 * const stop = forwardEmulatorEvents(emulator, new WebhookForwarder({ url, secret }));
 * ```
 */
export function forwardEmulatorEvents(emulator: CactusEmulator, forwarder: WebhookForwarder): () => void {
  return emulator.onEventStored((event) => {
    void forwarder.forward(thinOf(event)).catch(() => undefined); // every outcome is in forwarder.log
  });
}

/** The thin (pushed) part of a full event: `id`, `type`, `created`, `related_object`. */
export function thinOf(event: WireFullEvent): WireThinEvent {
  const thin: WireThinEvent = { id: event.id, type: event.type };
  if (event.created !== undefined) thin.created = event.created;
  if (event.related_object !== undefined) thin.related_object = event.related_object;
  return thin;
}
