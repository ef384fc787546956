// A pino-shaped logger that writes one JSON object per line. In an application, pass pino() (or a
// bunyan logger) instead: the SDK only needs debug/info/warn/error(fields, message) and child().
import type { CactusLogger } from "../../lib";
import type { CactusLogFields } from "../../lib/observability";

/** One JSON line per call: `{"level":"info","msg":"...",...fields}`, every level enabled. */
export function jsonLineLogger(write: (line: string) => void, bindings: CactusLogFields = {}): CactusLogger {
  const at =
    (level: string) =>
    (fields: CactusLogFields, msg: string): void =>
      write(JSON.stringify({ level, msg, ...bindings, ...fields }));
  return {
    debug: at("debug"),
    info: at("info"),
    warn: at("warn"),
    error: at("error"),
    child: (more) => jsonLineLogger(write, { ...bindings, ...more }),
  };
}
