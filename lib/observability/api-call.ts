import { CactusApiError, CactusConnectionError, CactusTimeoutError } from "../errors";
import type { CactusInstrumentation } from "./instrumentation";
import { currentObservation } from "./observation";

/** What one transport attempt resolved to (the shape the client's transport uses). */
export interface ObservedAttempt {
  /** Whether a 2xx with a JSON body came back. */
  readonly ok: boolean;
  /** The HTTP status, when an answer came. */
  readonly status?: number;
  /** The typed error of a failed attempt. */
  readonly error?: unknown;
}

/**
 * Runs one API attempt under the instrumentation: `own` (the client's), else the one of the
 * delivery whose handler is calling. With neither, `run` is called as is.
 */
export function observeApiAttempt<T extends ObservedAttempt>(own: CactusInstrumentation | undefined, path: string, attempt: number, run: () => Promise<T>): Promise<T> {
  const delivery = own === undefined ? currentObservation() : undefined;
  const instrumentation = own ?? delivery?.settings.instrumentation;
  if (instrumentation?.startApiCall === undefined) return run();
  const started = performance.now();
  let tracker: ReturnType<NonNullable<CactusInstrumentation["startApiCall"]>>;
  try {
    tracker = instrumentation.startApiCall({ method: "GET", endpoint: endpointTemplate(path), attempt: attempt + 1 }, delivery?.deliveryTracker);
  } catch {
    return run();
  }
  if (tracker === undefined) return run();
  const done = tracker;
  const finish = (status: string, error?: unknown): void => {
    try {
      const durationSeconds = (performance.now() - started) / 1000;
      done.end(error === undefined ? { status, durationSeconds } : { status, durationSeconds, error });
    } catch {
      // a hook that throws must not fail the request
    }
  };
  return run().then(
    (outcome) => {
      finish(statusOf(outcome), outcome.ok ? undefined : outcome.error);
      return outcome;
    },
    (error: unknown) => {
      finish("error", error);
      throw error;
    },
  );
}

function statusOf(outcome: ObservedAttempt): string {
  if (outcome.status !== undefined) return String(outcome.status);
  const error = outcome.error;
  if (error instanceof CactusApiError) return String(error.status);
  if (error instanceof CactusTimeoutError) return "timeout";
  if (error instanceof CactusConnectionError) return "connection_error";
  return outcome.ok ? "200" : "error";
}

const ROUTES: readonly (readonly [RegExp, string])[] = [
  [/^\/v2\/events\/[^/]+$/, "/v2/events/{id}"],
  [/^\/v1\/orders\/[^/]+$/, "/v1/orders/{id}"],
  [/^\/v1\/movies\/[^/]+$/, "/v1/movies/{id}"],
  [/^\/v2\/events$/, "/v2/events"],
];

/**
 * The route template of an API path, the bounded `endpoint` label: `/v2/events/evt_1?x=1` is
 * `/v2/events/{id}`; a path this SDK does not call is `other`.
 *
 * @example
 * ```ts
 * endpointTemplate("/v1/orders/ord_456"); // "/v1/orders/{id}"
 * ```
 */
export function endpointTemplate(path: string): string {
  const pathname = path.split("?")[0] ?? "";
  for (const [pattern, template] of ROUTES) if (pattern.test(pathname)) return template;
  return "other";
}
