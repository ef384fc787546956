import { runtimeProcess } from "./node-builtins";

/**
 * Emits a warning with a stable code: `process.emitWarning` where it exists (Node, Bun, Deno,
 * workerd with nodejs_compat), `console.warn` elsewhere.
 */
export function emitRuntimeWarning(message: string, code: string): void {
  const running = runtimeProcess();
  if (typeof running?.emitWarning === "function") running.emitWarning(message, { code });
  else console.warn(`[${code}] ${message}`);
}
