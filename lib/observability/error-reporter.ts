import type { CactusErrorReporter } from "../delivery/types";
import { printableLogText } from "./log-text";
import { serializeError } from "./logger";
import { currentObservation } from "./observation";
import type { ObservabilitySettings } from "./settings";

/**
 * The default `onError`: failures no answer carries (a handler that failed after its delivery
 * timed out, a store that could not record a success) as one `error` line on the logger, with the
 * delivery's fields when it runs inside one, the stack and the cause chain.
 */
export function loggingErrorReporter(settings: ObservabilitySettings): CactusErrorReporter {
  return (error, status) => {
    const fields = { ...currentObservation()?.fields(), status, err: serializeError(error) };
    settings.logger.error(fields, `failure after the answer (${status}): ${printableLogText(serializeError(error).message)}`);
  };
}
