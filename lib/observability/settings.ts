import { CactusConfigError } from "../errors";
import { combineInstrumentation, type CactusInstrumentation, type CactusInstrumentationOption } from "./instrumentation";
import { eventContextConfigured } from "./event-context";
import { watchHandlerRejections } from "./handler-rejections";
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
  /**
   * Run each delivery in an `AsyncLocalStorage`, so that `getEventContext()` works anywhere in a
   * handler's async call tree (and the client's API calls join the delivery's trace). On Node 20
   * and 22 this turns on async hooks for the whole process, which costs every request of the app
   * (about 40% of a bare HTTP server's throughput in the SDK's benchmark), so it is opt-in.
   * Default: `true` when `instrumentation` is given (tracing needs it), else `false`.
   */
  eventContext?: boolean;
}

/** The options, checked once. */
export interface ObservabilitySettings {
  /** The logger lines go to. */
  readonly logger: CactusLogger;
  /** Whether the logger was given (rather than the console default). */
  readonly customLogger: boolean;
  /** The combined instrumentation, `undefined` when none. */
  readonly instrumentation: CactusInstrumentation | undefined;
  /** Whether deliveries run in the async event context (`getEventContext()`). */
  readonly eventContext: boolean;
}

/** The defaults: console errors only, no instrumentation. */
export const defaultObservability: ObservabilitySettings = Object.freeze({ logger: defaultLogger, customLogger: false, instrumentation: undefined, eventContext: false });

/**
 * Checks `logger` and `instrumentation`; what is not given falls back to `fallback` (the
 * middleware falls back to its receiver's), then to the defaults.
 */
export function resolveObservability(options: ObservabilityOptions, what: string, fallback: ObservabilitySettings = defaultObservability): ObservabilitySettings {
  const { logger, instrumentation, eventContext } = options;
  if (eventContext !== undefined && typeof eventContext !== "boolean") throw new CactusConfigError(`${what} eventContext must be true or false`);
  if (logger !== undefined && !isLogger(logger)) {
    throw new CactusConfigError(`${what} logger must have debug, info, warn and error methods (a pino, bunyan or winston-style logger)`);
  }
  if (instrumentation !== undefined && !isInstrumentation(instrumentation)) {
    throw new CactusConfigError(`${what} instrumentation must be an object with startDelivery/startApiCall hooks (or a list of them), e.g. cactusPrometheus()`);
  }
  const contextOn = eventContext ?? (instrumentation === undefined ? fallback.eventContext : true);
  if (contextOn) {
    eventContextConfigured();
    watchHandlerRejections();
  }
  return {
    logger: logger ?? fallback.logger,
    customLogger: logger !== undefined || fallback.customLogger,
    instrumentation: instrumentation === undefined ? fallback.instrumentation : combineInstrumentation(instrumentation),
    eventContext: contextOn,
  };
}

function isInstrumentation(value: unknown): value is CactusInstrumentationOption {
  const items: unknown[] = Array.isArray(value) ? value : [value];
  return items.every((item) => typeof item === "object" && item !== null);
}
