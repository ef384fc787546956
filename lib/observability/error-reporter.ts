import type { CactusErrorReporter } from "../delivery/types";
import { printableLogText } from "./log-text";
import { serializeError } from "./logger";
import { currentObservation } from "./observation";
import type { ObservabilitySettings } from "./settings";

/**
 * The default `onError`: failures no answer carries (a handler that failed after its delivery
 * timed out, a store that could not record a success) as one `error` line on the logger, with the
 * delivery's fields when it runs inside one, the stack and the cause chain. In a queue worker
 * (a delivery with an `attempt`), nobody is answered: the line says which job attempt it was.
 */
export function loggingErrorReporter(settings: ObservabilitySettings): CactusErrorReporter {
  return (error, status) => {
    const delivery = currentObservation()?.fields();
    const message = printableLogText(serializeError(error).message);
    const attempt = delivery?.attempt ?? reportingAttempt;
    if (attempt !== undefined) {
      settings.logger.error({ ...delivery, attempt, err: serializeError(error) }, `queue job attempt ${attempt}, after the handler ran (a worker answers nobody): ${message}`);
      return;
    }
    settings.logger.error({ ...delivery, status, err: serializeError(error) }, `failure after the answer (${status}): ${message}`);
  };
}

let reportingAttempt: number | undefined;

/**
 * Calls `report` for a delivery that is queue job attempt `attempt` (or a plain delivery when
 * `undefined`), so the default reporter words its line for a worker even outside the delivery's
 * async context. `report` is synchronous: nothing else runs in between.
 */
export function reportForAttempt(attempt: number | undefined, report: () => void): void {
  const previous = reportingAttempt;
  reportingAttempt = attempt;
  try {
    report();
  } finally {
    reportingAttempt = previous;
  }
}
