/** Anything with a graceful `close`: receivers, queues, workers, HTTP servers wrapped in a promise. */
export interface Closable {
  /** Stops taking new work and finishes (or gives up on) what is in flight. */
  close(options?: { timeoutMs?: number }): Promise<unknown>;
}

/** Options of {@link shutdownOnSignals}. */
export interface ShutdownOptions {
  /** Deadline for each `close`, in milliseconds. Default 10000. */
  readonly timeoutMs?: number;
  /** Signals to react to. Default `["SIGTERM", "SIGINT"]`. */
  readonly signals?: readonly NodeJS.Signals[];
  /** Called once everything closed (or failed to). Default: sets `process.exitCode = 0` and lets Node exit. */
  readonly onClosed?: (errors: readonly unknown[]) => void;
}

/**
 * Wires graceful shutdown: on the first SIGTERM or SIGINT, closes every part in order (receivers
 * first, so new deliveries get 503 and Cactus redelivers them; then workers and queues, which
 * finish their jobs; then your server), each with the deadline. A second signal is left to Node's
 * default (exit now). Returns a function that removes the listeners.
 *
 * @example
 * ```ts
 * const server = http.createServer(createNodeMiddleware(handler, { webhookSecret })).listen(3000);
 * shutdownOnSignals([handler, { close: () => new Promise((done) => server.close(() => done(undefined))) }]);
 * ```
 */
export function shutdownOnSignals(parts: readonly Closable[], options: ShutdownOptions = {}): () => void {
  const signals = options.signals ?? ["SIGTERM", "SIGINT"];
  const onSignal = (): void => {
    remove();
    void closeAll(parts, options.timeoutMs).then((errors) => {
      if (options.onClosed) options.onClosed(errors);
      else process.exitCode = errors.length > 0 ? 1 : 0;
    });
  };
  const remove = (): void => {
    for (const signal of signals) process.off(signal, onSignal);
  };
  for (const signal of signals) process.once(signal, onSignal);
  return remove;
}

/** Closes `parts` one after another; a part that throws does not stop the others. Resolves with the errors. */
export async function closeAll(parts: readonly Closable[], timeoutMs?: number): Promise<unknown[]> {
  const errors: unknown[] = [];
  for (const part of parts) {
    try {
      await part.close(timeoutMs === undefined ? undefined : { timeoutMs });
    } catch (error) {
      errors.push(error);
    }
  }
  return errors;
}
