import type { Cluster, Redis } from "ioredis";
import { claimEvent, commitClaim, releaseClaim } from "../delivery/claim";
import { DELIVERY_RUNNER, DeliveryRunner, type RunnerDelivery, type RunnerOrder, type RunnerResult } from "../delivery/delivery-runner";
import type { CactusTransaction } from "../delivery/transaction";
import type { PushedThinEvent } from "../events/catalog";
import { CactusLeaseExpiredError } from "../errors";
import type { CactusInstrumentation } from "../observability/instrumentation";
import { eventTypeLabel } from "../observability/outcome";
import { orderingNeedsEventStore } from "../pipeline/process-event";
import { RedisIdempotencyStore, type RedisIdempotencyStoreOptions } from "../redis/redis-idempotency-store";

/**
 * A queue worker's default idempotency store: a {@link RedisIdempotencyStore} on the worker's own
 * connection (the one its BullMQ worker completes jobs on), which runs each job's delivery itself:
 *
 * 1. claim (one `EVALSHA`: `SET NX PX` the lease, or read the done marker): awaited, nothing runs
 *    before it answers, so an event queued again after it was handled runs nothing, and two jobs
 *    of one event (a replay beside the original) never run at once;
 * 2. the handler;
 * 3. commit (one `EVALSHA`: the lease becomes the done marker): written to the connection before
 *    the job's result goes back to BullMQ, not awaited. BullMQ's own completion of the job
 *    follows it on the same connection, so Redis runs the commit first and both answers come
 *    back in one round trip; a commit that fails (Redis gone, the lease expired) is reported to
 *    the receiver's `onError` and `commitFailed` instrumentation as before, and the job still
 *    completes (the handler did succeed: at least once, never lost).
 *
 * On a handler failure the lease is released (awaited) before the job fails, so the retry runs.
 * @internal Made by `queue.work(receiver)` when no `idempotency` option is given.
 */
export class WorkerIdempotencyStore extends RedisIdempotencyStore {
  readonly #runner: DeliveryRunner;

  /** @param instrumentation the receiver's, for `commitFailed` */
  constructor(redis: Redis | Cluster, options: RedisIdempotencyStoreOptions, instrumentation: CactusInstrumentation | undefined) {
    super(redis, options);
    this.#runner = new PipelinedCommitRunner(this, instrumentation);
  }

  /** The runner the receiver hands each delivery to. */
  get [DELIVERY_RUNNER](): DeliveryRunner {
    return this.#runner;
  }
}

class PipelinedCommitRunner extends DeliveryRunner {
  constructor(
    readonly store: RedisIdempotencyStore,
    readonly instrumentation: CactusInstrumentation | undefined,
  ) {
    super();
  }

  override async run<R extends RunnerResult>(
    event: PushedThinEvent,
    delivery: RunnerDelivery,
    dispatch: (transaction: CactusTransaction | undefined, order?: RunnerOrder) => Promise<R>,
    onLateError: (error: unknown) => void,
  ): Promise<R | "duplicate" | "stale"> {
    if (delivery.ordering === "per-object") throw orderingNeedsEventStore();
    const claim = await claimEvent(this.store, event, delivery.leaseMs);
    if (claim === "duplicate") return "duplicate";
    let result: R;
    try {
      result = await dispatch(undefined);
    } catch (error) {
      try {
        await releaseClaim(claim);
      } catch (releaseError) {
        onLateError(releaseError);
      }
      throw error;
    }
    let committing: void | Promise<void>;
    try {
      committing = commitClaim(claim);
    } catch (error) {
      this.#commitFailed(event, error, onLateError);
      return result;
    }
    if (committing instanceof Promise) committing.catch((error: unknown) => this.#commitFailed(event, error, onLateError));
    return result;
  }

  #commitFailed(event: PushedThinEvent, error: unknown, onLateError: (error: unknown) => void): void {
    onLateError(error);
    const hook = this.instrumentation?.commitFailed;
    if (hook === undefined) return;
    const cause = error instanceof Error ? error.cause : undefined;
    const reason = cause instanceof CactusLeaseExpiredError ? (`lease_expired_${cause.outcome}` as const) : "store_failed";
    try {
      hook.call(this.instrumentation, { reason, typeLabel: eventTypeLabel(event.type), eventId: event.id });
    } catch {
      // an instrumentation that throws must not change the answer
    }
  }
}
