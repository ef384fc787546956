import { describeThrown } from "../errors";
import { MAX_LOGGED_MESSAGE_CHARS, MAX_LOGGED_VALUE_CHARS, printableLogText } from "./log-text";

/** The fields of one structured log line. */
export type CactusLogFields = Record<string, unknown>;

/**
 * Any pino-, bunyan- or winston-style logger: `debug/info/warn/error(fields, message)` and, when it
 * has one, `child(bindings)`. A pino or bunyan logger fits as it is; wrap winston, whose methods
 * take the message first: `{ info: (fields, msg) => winston.info(msg, fields), ... }`.
 *
 * @example
 * ```ts
 * import pino from "pino";
 * new MyHandler(client, { logger: pino() });
 * ```
 */
export interface CactusLogger {
  /** Detail: every handled and duplicate delivery. */
  debug(fields: CactusLogFields, message: string): void;
  /** Normal operation. */
  info(fields: CactusLogFields, message: string): void;
  /** The sender's mistakes: bad signatures, bad payloads, refused requests. */
  warn(fields: CactusLogFields, message: string): void;
  /** Ours to fix: failed and timed-out handlers, an unreachable store; `fields.err` has the stack and causes. */
  error(fields: CactusLogFields, message: string): void;
  /** A logger that adds `bindings` to every line (used for the handler's logger when present). */
  child?(bindings: CactusLogFields): CactusLogger;
}

/** An error as plain data: what every logger can print, the stack and the whole cause chain included. */
export interface SerializedError {
  /** The error's class name, e.g. `CactusHandlerError`. */
  readonly type: string;
  /** Its message. */
  readonly message: string;
  /** Its stable `code`, when it has one. */
  readonly code?: string;
  /** Its stack trace. */
  readonly stack?: string;
  /** What caused it, serialised the same way. */
  readonly cause?: SerializedError;
  /** For an `AggregateError`: every error it gathers. */
  readonly errors?: readonly SerializedError[];
}

const MAX_CAUSE_DEPTH = 8;

/**
 * Turns any thrown value into a {@link SerializedError}: plain data (so every logger prints the
 * stack and the causes, not `{}`), bounded in depth, and never throwing itself.
 *
 * @example
 * ```ts
 * logger.error({ err: serializeError(error) }, "import failed");
 * ```
 */
export function serializeError(error: unknown, depth = 0): SerializedError {
  if (!(error instanceof Error)) return { type: error === null ? "null" : typeof error, message: describeThrown(error) };
  const out: { -readonly [K in keyof SerializedError]: SerializedError[K] } = { type: readString(() => error.name) ?? "Error", message: describeThrown(error) };
  const code = readString(() => Reflect.get(error, "code"));
  if (code !== undefined) out.code = code;
  const stack = readString(() => error.stack);
  if (stack !== undefined) out.stack = stack;
  if (depth < MAX_CAUSE_DEPTH) {
    const cause = read(() => error.cause);
    if (cause !== undefined) out.cause = serializeError(cause, depth + 1);
    const errors = read(() => (error instanceof AggregateError ? error.errors : undefined));
    if (Array.isArray(errors)) out.errors = errors.slice(0, 20).map((item: unknown) => serializeError(item, depth + 1));
  }
  return out;
}

function read(get: () => unknown): unknown {
  try {
    return get();
  } catch {
    return undefined;
  }
}

function readString(get: () => unknown): string | undefined {
  const value = read(get);
  return typeof value === "string" ? value : undefined;
}

/**
 * The logger used when none is given: silent, except `error` lines, which go to `console.error`
 * with their fields, the stack and the cause chain.
 */
export const defaultLogger: CactusLogger = Object.freeze({
  debug: ignore,
  info: ignore,
  warn: ignore,
  error(fields: CactusLogFields, message: string): void {
    console.error(formatConsoleLine(fields, message));
  },
});

function ignore(): void {
  // silent on purpose: the default logger only prints errors
}

/** Longest JSON a console line prints for one structured field (a list of validation issues, ...). */
const MAX_LOGGED_FIELD_JSON_CHARS = 1_000;

/**
 * One human-readable console line: `[cactus-sdk] message key=value ...`, then the stack and causes.
 * The first line is one line whatever came from the network: control characters in the message
 * and the fields are escaped (`\n` is printed as `\\n`), each field's value is cut at
 * {@link MAX_LOGGED_VALUE_CHARS} characters (structured ones at 1,000) and the message at
 * {@link MAX_LOGGED_MESSAGE_CHARS}, with an ellipsis where something was cut.
 *
 * @example
 * ```ts
 * formatConsoleLine({ eventId: "evt_1" }, "order.shipped evt_1 failed"); // "[cactus-sdk] order.shipped evt_1 failed (eventId=evt_1)"
 * ```
 */
export function formatConsoleLine(fields: CactusLogFields, message: string): string {
  const pairs: string[] = [];
  let err: unknown;
  for (const [key, value] of Object.entries(fields)) {
    if (key === "err") err = value;
    else if (value !== undefined) pairs.push(`${printableLogText(key)}=${printableField(value)}`);
  }
  const head = `[cactus-sdk] ${printableLogText(message, MAX_LOGGED_MESSAGE_CHARS)}${pairs.length > 0 ? ` (${pairs.join(" ")})` : ""}`;
  return isSerialized(err) ? `${head}\n${describeChain(err)}` : head;
}

function printableField(value: unknown): string {
  if (typeof value === "string") return printableLogText(value);
  let json: string | undefined;
  try {
    json = JSON.stringify(value);
  } catch {
    json = undefined; // a cycle or a bigint: say what it is rather than fail the line
  }
  return printableLogText(json ?? String(typeof value), MAX_LOGGED_FIELD_JSON_CHARS);
}

function describeChain(error: SerializedError, indent = ""): string {
  let text = indent + headOfStack(error.stack ?? `${error.type}: ${error.message}`).split("\n").join(`\n${indent}`);
  for (const [index, item] of (error.errors ?? []).entries()) text += `\n${indent}  [errors ${index}] ${describeChain(item, `${indent}  `).trimStart()}`;
  if (error.cause !== undefined) text += `\n${indent}Caused by: ${describeChain(error.cause, indent).trimStart()}`;
  return text;
}

// A stack starts with the error's name and message, which may quote a request (a type with a
// newline): that part is escaped and cut like a message; the frames after it stay as they are.
function headOfStack(stack: string): string {
  const frames = FIRST_FRAME.exec(stack);
  const end = frames === null ? stack.length : frames.index;
  return printableLogText(stack.slice(0, end), MAX_LOGGED_MESSAGE_CHARS) + stack.slice(end);
}

const FIRST_FRAME = /\n\s+at /;

function isSerialized(value: unknown): value is SerializedError {
  return typeof value === "object" && value !== null && "type" in value && "message" in value;
}

/**
 * A logger that adds `bindings` to every line: the logger's own `child` when it has one, else a
 * thin wrapper. Used for the logger handlers get from `getEventContext()`.
 */
export function childLogger(logger: CactusLogger, bindings: CactusLogFields): CactusLogger {
  if (typeof logger.child === "function") return logger.child(bindings);
  const merge = (fields: CactusLogFields): CactusLogFields => ({ ...bindings, ...fields });
  return {
    debug: (fields, message) => logger.debug(merge(fields), message),
    info: (fields, message) => logger.info(merge(fields), message),
    warn: (fields, message) => logger.warn(merge(fields), message),
    error: (fields, message) => logger.error(merge(fields), message),
    child: (more) => childLogger(logger, { ...bindings, ...more }),
  };
}

/** Whether `value` has the four logging methods. */
export function isLogger(value: unknown): value is CactusLogger {
  return typeof value === "object" && value !== null && ["debug", "info", "warn", "error"].every((name) => typeof Reflect.get(value, name) === "function");
}
