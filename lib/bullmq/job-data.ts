/**
 * What a {@link CactusQueue} stores in each BullMQ job, and all a worker needs to handle the event.
 * The one place the job shape is defined: add a field here to carry more delivery context through
 * the queue (for example a trace state), and both the queue and the worker see it.
 *
 * @example
 * ```ts
 * const job = await queue.bullmq.getJob("evt_123");
 * console.log((job?.data as CactusJobData).receivedAt);
 * ```
 */
export interface CactusJobData {
  /** The verified event as Cactus sent it (decoded JSON; the worker parses it again). */
  readonly event: Record<string, unknown>;
  /** The delivery's `webhook-id` header, when it came through the webhook middleware. */
  readonly deliveryId?: string;
  /** The delivery's W3C `traceparent` header, when present. */
  readonly traceparent?: string;
  /** The delivery's `x-correlation-id` header, when present. */
  readonly correlationId?: string;
  /** When the queue stored it (ISO 8601). */
  readonly receivedAt: string;
  /** `replay` or `catch_up` when the event store queued it (`store.replay`, `store.catchUp`); absent for webhooks. */
  readonly source?: "replay" | "catch_up";
}

/**
 * The BullMQ job id of an event: the event id itself, so that a second delivery of an event whose
 * job still exists adds nothing. BullMQ refuses ids that are integers (`5`, `-5`) or contain `:`;
 * those are encoded (`b64_` + base64url), still one id per event.
 */
export function jobIdOf(eventId: string): string {
  return /^-?[0-9]+$/.test(eventId) || eventId.includes(":") || eventId.startsWith("b64_")
    ? `b64_${Buffer.from(eventId, "utf8").toString("base64url")}`
    : eventId;
}
