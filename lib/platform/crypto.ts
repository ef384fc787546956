import { CactusRuntimeError } from "../errors/runtime-errors";
import { loadNodeBuiltin } from "./node-builtins";

/** `node:crypto`, where the runtime has it (loaded on first use, never at import). */
export function nodeCrypto(): typeof import("node:crypto") | undefined {
  return loadNodeBuiltin("node:crypto");
}

/**
 * `node:crypto` for a synchronous function, or a {@link CactusRuntimeError} naming its async twin,
 * which runs on Web Crypto and works everywhere.
 */
export function requireNodeCrypto(syncName: string, asyncTwin: string): typeof import("node:crypto") {
  const found = nodeCrypto();
  if (found !== undefined) return found;
  throw new CactusRuntimeError(
    `${syncName} is synchronous and needs node:crypto, which this runtime does not have (a Worker without nodejs_compat, a browser or an edge runtime). ` +
      `Use ${asyncTwin} instead: it runs on Web Crypto (crypto.subtle) everywhere.`,
  );
}

/** The Web Crypto API of this runtime (`globalThis.crypto`), or a {@link CactusRuntimeError}. */
export function webCrypto(): Crypto {
  const found: unknown = typeof crypto === "undefined" ? undefined : crypto;
  if (isWebCrypto(found)) return found;
  throw new CactusRuntimeError("This runtime has no Web Crypto API (globalThis.crypto with subtle and getRandomValues); Node 20+, Bun, Deno, Cloudflare Workers and browsers all do.");
}

function isWebCrypto(value: unknown): value is Crypto {
  return typeof value === "object" && value !== null && "subtle" in value && "getRandomValues" in value;
}

/** `length` random bytes from the runtime's CSPRNG (Web Crypto's `getRandomValues`, everywhere). */
export function randomBytes(length: number): Bytes {
  return webCrypto().getRandomValues(new Uint8Array(length));
}

/** Bytes backed by a plain ArrayBuffer, as Web Crypto takes them. */
export type Bytes = Uint8Array<ArrayBuffer>;

// One CryptoKey per HMAC key: importKey is async and costs more than the HMAC of a small body.
const importedKeys = new WeakMap<Bytes, Promise<CryptoKey>>();

/** The Web Crypto HMAC-SHA256 key for `key`, imported once per key (non-extractable, sign only). */
export function hmacKey(key: Bytes): Promise<CryptoKey> {
  let imported = importedKeys.get(key);
  if (imported === undefined) {
    imported = webCrypto().subtle.importKey("raw", key, { name: "HMAC", hash: "SHA-256" }, false, ["sign"]);
    importedKeys.set(key, imported);
    // A failed import must not be cached: the next call tries again.
    imported.catch(() => importedKeys.delete(key));
  }
  return imported;
}

/** HMAC-SHA256 of `data` under `key`, on Web Crypto. */
export async function hmacSha256Async(key: Bytes, data: Bytes): Promise<Bytes> {
  return new Uint8Array(await webCrypto().subtle.sign("HMAC", await hmacKey(key), data));
}

/**
 * Whether two byte strings are equal, in time that depends only on their lengths (which are public:
 * an HMAC-SHA256 is always 32 bytes). Every byte is compared, with no early exit and no branch on
 * the data.
 */
export function constantTimeEqual(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  let difference = 0;
  for (let index = 0; index < a.length; index += 1) difference |= (a[index] ?? 0) ^ (b[index] ?? 0);
  return difference === 0;
}

/**
 * Whether `text` equals `within` from `offset` to its end, in time that depends only on their
 * lengths (public: a base64 HMAC-SHA256 is always 44 characters). Every character is compared,
 * with no early exit and no branch on the data.
 */
export function constantTimeEqualText(text: string, within: string, offset: number): boolean {
  if (within.length - offset !== text.length) return false;
  let difference = 0;
  for (let index = 0; index < text.length; index += 1) difference |= text.charCodeAt(index) ^ within.charCodeAt(offset + index);
  return difference === 0;
}
