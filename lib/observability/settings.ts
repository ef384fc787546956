import { CactusConfigError } from "../errors";
import { combineInstrumentation, type CactusInstrumentation, type CactusInstrumentationOption } from "./instrumentation";
import { defaultLogger, isLogger, type CactusLogger } from "./logger";

/** The logging and instrumentation options receivers and the webhook middleware share. */
export interface ObservabilityOptions {
  /**
   * Where the SDK's structured lines go: one per delivery outcome (handled and duplicate at `debug`,
   * rejected signatures and bad payloads at `warn`, failed and timed-out handlers at `error` with
   * the stack and cause chain). Any pino/bunyan-style logger. Default: only errors, as one
   * `console.error` line each.
   */
  logger?: CactusLogger;
  /**
   * Metrics and tracing hooks, e.g. `cactusPrometheus()` from `cactus-sdk/prometheus` and
   * `cactusTracing()` from `cactus-sdk/otel` (one, or a list). Default: none (no hook is called).
   */
  instrumentation?: CactusInstrumentationOption;
}

/** The options, checked once. */
export interface ObservabilitySettings {
  /** The logger lines go to. */
  readonly logger: CactusLogger;
  /** Whether the logger was given (rather than the console default). */
  readonly customLogger: boolean;
  /** The combined instrumentation, `undefined` when none. */
  readonly instrumentation: CactusInstrumentation | undefined;
}

/** The defaults: console errors only, no instrumentation. */
export const defaultObservability: ObservabilitySettings = Object.freeze({ logger: defaultLogger, customLogger: false, instrumentation: undefined });

/**
 * Checks `logger` and `instrumentation`; what is not given falls back to `fallback` (the
 * middleware falls back to its receiver's), then to the defaults.
 */
export function resolveObservability(options: ObservabilityOptions, what: string, fallback: ObservabilitySettings = defaultObservability): ObservabilitySettings {
  const { logger, instrumentation } = options;
  if (logger !== undefined && !isLogger(logger)) {
    throw new CactusConfigError(`${what} logger must have debug, info, warn and error methods (a pino, bunyan or winston-style logger)`);
  }
  if (instrumentation !== undefined && !isInstrumentation(instrumentation)) {
    throw new CactusConfigError(`${what} instrumentation must be an object with startDelivery/startApiCall hooks (or a list of them), e.g. cactusPrometheus()`);
  }
  return {
    logger: logger ?? fallback.logger,
    customLogger: logger !== undefined || fallback.customLogger,
    instrumentation: instrumentation === undefined ? fallback.instrumentation : combineInstrumentation(instrumentation),
  };
}

function isInstrumentation(value: unknown): value is CactusInstrumentationOption {
  const items: unknown[] = Array.isArray(value) ? value : [value];
  return items.every((item) => typeof item === "object" && item !== null);
}
