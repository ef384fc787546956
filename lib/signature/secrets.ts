import { CactusSignatureError } from "../errors";
import { decodeBase64, encodeBase64 } from "../platform/base64";
import { randomBytes, type Bytes } from "../platform/crypto";

/** The prefix of every Cactus webhook secret (Standard Webhooks). */
export const WEBHOOK_SECRET_PREFIX = "whsec_";

// Standard Webhooks: keys SHOULD be 24 to 64 bytes. A shorter key is more likely a typo or a
// placeholder than a real secret, so it is refused when the handler is configured.
const MIN_KEY_BYTES = 24;
const MAX_KEY_BYTES = 64;
const BASE64 = /^[A-Za-z0-9+/]+={0,2}$/;

/** One endpoint secret (`whsec_<base64 key>`) or several during a rotation. */
export type WebhookSecretInput = string | readonly string[];

/**
 * Parsed webhook secrets: the HMAC keys, checked once at configuration time. The key bytes live
 * in a private field, so logging or serializing this object shows nothing of them.
 */
export class WebhookSecrets {
  readonly #keys: readonly Bytes[];

  private constructor(keys: readonly Bytes[]) {
    this.#keys = keys;
  }

  /**
   * Parses one secret or a list (rotation: a delivery passes when any key matches).
   * Throws {@link CactusSignatureError} `malformed_secret` naming which entry is wrong, never its value.
   */
  static parse(input: WebhookSecretInput | WebhookSecrets): WebhookSecrets {
    if (input instanceof WebhookSecrets) return input;
    // verifyWebhook(rawBody, headers, process.env.SECRET) parses the same string on every call:
    // the last one parsed is kept (a WebhookSecrets never changes).
    if (typeof input === "string" && input === lastInput && lastParsed !== undefined) return lastParsed;
    const parsed = WebhookSecrets.#parseList(input);
    if (typeof input === "string") {
      lastInput = input;
      lastParsed = parsed;
    }
    return parsed;
  }

  static #parseList(input: WebhookSecretInput): WebhookSecrets {
    const list: readonly unknown[] = typeof input === "string" ? [input] : Array.isArray(input) ? input : [input];
    if (list.length === 0) throw malformed("no webhook secret was given (an empty list)");
    return new WebhookSecrets(list.map((secret, index) => parseKey(secret, list.length === 1 ? "webhook secret" : `webhook secret [${index}]`)));
  }

  /** How many keys are configured. */
  get size(): number {
    return this.#keys.length;
  }

  /** The key bytes, for the HMAC only (plain `Uint8Array`s, on every runtime). */
  keys(): readonly Bytes[] {
    return this.#keys;
  }

  /** Never the keys. */
  toJSON(): string {
    return `[WebhookSecrets: ${this.#keys.length} key(s)]`;
  }
}

let lastInput: string | undefined;
let lastParsed: WebhookSecrets | undefined;

function parseKey(secret: unknown, label: string): Bytes {
  if (typeof secret !== "string") throw malformed(`${label} must be a string, got ${secret === null ? "null" : typeof secret}`);
  // Describe the value by its shape only: the message may be logged, the secret must not be.
  if (!secret.startsWith(WEBHOOK_SECRET_PREFIX)) {
    throw malformed(`${label} must start with "${WEBHOOK_SECRET_PREFIX}" (got a ${secret.length}-character string that does not; is it the API key?)`);
  }
  const encoded = secret.slice(WEBHOOK_SECRET_PREFIX.length);
  const key = BASE64.test(encoded) ? decodeBase64(encoded) : undefined;
  if (key === undefined || encodeBase64(key).replace(/=+$/, "") !== encoded.replace(/=+$/, "")) {
    throw malformed(`${label} must be "${WEBHOOK_SECRET_PREFIX}" followed by standard base64 (it has other characters or bad padding)`);
  }
  if (key.length < MIN_KEY_BYTES || key.length > MAX_KEY_BYTES) {
    throw malformed(`${label} must encode a key of ${MIN_KEY_BYTES} to ${MAX_KEY_BYTES} bytes (it encodes ${key.length})`);
  }
  return key;
}

/** How to get a secret, appended to every missing- or malformed-secret message. */
export const HOW_TO_GET_A_WEBHOOK_SECRET =
  "Use your endpoint's signing secret from Cactus, or for local tests create one with generateWebhookSecret() or `cactus secret`.";

function malformed(message: string): CactusSignatureError {
  return new CactusSignatureError("malformed_secret", `Malformed ${message}. ${HOW_TO_GET_A_WEBHOOK_SECRET}`);
}

/**
 * A new random endpoint secret, `whsec_` + 32 random bytes in base64: for tests, the emulator
 * and `cactus trigger`. Works on every runtime (it uses Web Crypto's `getRandomValues`).
 *
 * @example
 * ```ts
 * const secret = generateWebhookSecret(); // "whsec_3q2+7w..."
 * ```
 */
export function generateWebhookSecret(): string {
  // Web Crypto's getRandomValues: synchronous, and on every runtime (no async twin needed).
  return WEBHOOK_SECRET_PREFIX + encodeBase64(randomBytes(32));
}

/**
 * The endpoint secret option, one name everywhere (middleware, receivers, `signWebhook`,
 * `deliverWebhook`): `webhookSecret`, or the deprecated `secret`.
 */
export type WebhookSecretOption =
  | {
      /** The endpoint secret `whsec_...`, or several during a rotation.  */
      readonly webhookSecret: WebhookSecretInput | WebhookSecrets;
      /** @deprecated Renamed `webhookSecret`. */
      readonly secret?: undefined;
    }
  | {
      /** @deprecated Renamed `webhookSecret`, the name receivers use too; `secret` still works in this release. */
      readonly secret: WebhookSecretInput | WebhookSecrets;
      /** The endpoint secret `whsec_...`. */
      readonly webhookSecret?: undefined;
    };

/** The secret an options object gives (`webhookSecret`, else the deprecated `secret`), if any. */
export function secretOfOption(option: { readonly webhookSecret?: WebhookSecretInput | WebhookSecrets | undefined; readonly secret?: WebhookSecretInput | WebhookSecrets | undefined }): WebhookSecretInput | WebhookSecrets | undefined {
  return option.webhookSecret ?? option.secret;
}
