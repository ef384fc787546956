import { CactusClient } from "../client/cactus-client";
import { CactusConfigError } from "../errors";
import type { Closable } from "../delivery/shutdown";
import type { CactusReceiverOptions } from "../pipeline/receiver-options";
import type { CactusModuleOptions } from "./options";

/** The module's client: the one given, one built from the options given, or one with `CACTUS_API_KEY`. */
export function clientFrom(options: Pick<CactusModuleOptions, "client">): CactusClient {
  const given = options.client;
  if (given instanceof CactusClient) return given;
  if (given !== undefined) return new CactusClient(given);
  const apiKey = process.env["CACTUS_API_KEY"];
  if (apiKey === undefined || apiKey === "") {
    throw new CactusConfigError("CactusModule needs a client: pass client: { apiKey: \"sk_...\" } (or a CactusClient), or set CACTUS_API_KEY");
  }
  return new CactusClient({ apiKey });
}

/** The receiver options among the module's (the same names `CactusHandler` and `CactusRouter` take). */
export function receiverOptionsFrom(options: CactusModuleOptions): CactusReceiverOptions {
  const picked: CactusReceiverOptions = { webhookSecret: options.webhookSecret };
  if (options.idempotency !== undefined) picked.idempotency = options.idempotency;
  if (options.leaseMs !== undefined) picked.leaseMs = options.leaseMs;
  if (options.toleranceSeconds !== undefined) picked.toleranceSeconds = options.toleranceSeconds;
  if (options.handlerTimeoutMs !== undefined) picked.handlerTimeoutMs = options.handlerTimeoutMs;
  if (options.onError !== undefined) picked.onError = options.onError;
  if (options.logger !== undefined) picked.logger = options.logger;
  if (options.instrumentation !== undefined) picked.instrumentation = options.instrumentation;
  if (options.eventContext !== undefined) picked.eventContext = options.eventContext;
  return picked;
}

/** What closes after the receiver at shutdown: `closeOnShutdown`, then the idempotency store if it can close. */
export function closablesOf(options: Pick<CactusModuleOptions, "closeOnShutdown" | "idempotency">): Closable[] {
  const parts = [...(options.closeOnShutdown ?? [])];
  const store: unknown = options.idempotency;
  if (isClosable(store) && !parts.includes(store)) parts.push(store);
  return parts;
}

function isClosable(value: unknown): value is Closable {
  return typeof value === "object" && value !== null && typeof Reflect.get(value, "close") === "function";
}
