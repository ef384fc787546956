import { styleText } from "node:util";
import type { CliIo } from "./cli-io";

/** Colours for CLI output; each is the identity when `io.color` is off. */
export interface CliStyle {
  /** Success: green. */
  readonly ok: (text: string) => string;
  /** Failure: red. */
  readonly bad: (text: string) => string;
  /** Secondary detail: dim. */
  readonly dim: (text: string) => string;
  /** Emphasis: bold. */
  readonly bold: (text: string) => string;
}

/** The styles for `io`: ANSI colours on a terminal, plain text otherwise. */
export function styleFor(io: CliIo): CliStyle {
  if (io.color !== true) {
    const plain = (text: string): string => text;
    return { ok: plain, bad: plain, dim: plain, bold: plain };
  }
  // The decision (terminal, NO_COLOR) was made once for `io`; styleText must not redo it on stdout.
  const options = { validateStream: false };
  return {
    ok: (text) => styleText("green", text, options),
    bad: (text) => styleText("red", text, options),
    dim: (text) => styleText("dim", text, options),
    bold: (text) => styleText("bold", text, options),
  };
}
