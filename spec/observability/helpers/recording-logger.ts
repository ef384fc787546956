import type { CactusLogger } from "../../../lib";
import type { CactusLogFields } from "../../../lib/observability";

/** One line a {@link RecordingLogger} received. */
export interface LoggedLine {
  readonly level: "debug" | "info" | "warn" | "error";
  readonly message: string;
  readonly fields: CactusLogFields;
}

/** A pino-shaped logger that keeps every line (children add their bindings). */
export class RecordingLogger implements CactusLogger {
  constructor(
    readonly lines: LoggedLine[] = [],
    private readonly bindings: CactusLogFields = {},
  ) {}

  debug(fields: CactusLogFields, message: string): void {
    this.lines.push({ level: "debug", message, fields: { ...this.bindings, ...fields } });
  }
  info(fields: CactusLogFields, message: string): void {
    this.lines.push({ level: "info", message, fields: { ...this.bindings, ...fields } });
  }
  warn(fields: CactusLogFields, message: string): void {
    this.lines.push({ level: "warn", message, fields: { ...this.bindings, ...fields } });
  }
  error(fields: CactusLogFields, message: string): void {
    this.lines.push({ level: "error", message, fields: { ...this.bindings, ...fields } });
  }
  child(bindings: CactusLogFields): RecordingLogger {
    return new RecordingLogger(this.lines, { ...this.bindings, ...bindings });
  }
}
