// Standard base64 (RFC 4648 section 4) without Buffer, so that secrets and signatures decode on
// every runtime the same way.

const ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
const VALUES = new Int16Array(128).fill(-1);
for (let index = 0; index < ALPHABET.length; index += 1) VALUES[ALPHABET.charCodeAt(index)] = index;

/** Encodes bytes as standard, padded base64. */
export function encodeBase64(bytes: Uint8Array): string {
  let out = "";
  let index = 0;
  for (; index + 2 < bytes.length; index += 3) {
    const n = ((bytes[index] ?? 0) << 16) | ((bytes[index + 1] ?? 0) << 8) | (bytes[index + 2] ?? 0);
    out += ALPHABET.charAt(n >>> 18) + ALPHABET.charAt((n >>> 12) & 63) + ALPHABET.charAt((n >>> 6) & 63) + ALPHABET.charAt(n & 63);
  }
  const rest = bytes.length - index;
  if (rest === 1) {
    const n = (bytes[index] ?? 0) << 16;
    out += ALPHABET.charAt(n >>> 18) + ALPHABET.charAt((n >>> 12) & 63) + "==";
  } else if (rest === 2) {
    const n = ((bytes[index] ?? 0) << 16) | ((bytes[index + 1] ?? 0) << 8);
    out += ALPHABET.charAt(n >>> 18) + ALPHABET.charAt((n >>> 12) & 63) + ALPHABET.charAt((n >>> 6) & 63) + "=";
  }
  return out;
}

/**
 * Decodes standard base64, padded or not. Returns `undefined` for anything else: a character
 * outside the alphabet (including URL-safe `-`/`_` and whitespace), padding in the middle or too
 * much of it, or a length no base64 string has. Leftover bits are ignored here; callers that need
 * the canonical form compare `encodeBase64(decoded)` with the input.
 */
export function decodeBase64(text: string): Uint8Array<ArrayBuffer> | undefined {
  let end = text.length;
  if (end > 0 && text.charCodeAt(end - 1) === 0x3d) end -= 1;
  if (end > 0 && text.charCodeAt(end - 1) === 0x3d) end -= 1;
  if (end !== text.length && text.length % 4 !== 0) return undefined;
  if (end % 4 === 1) return undefined;
  const out = new Uint8Array(Math.floor((end * 3) / 4));
  let bits = 0;
  let count = 0;
  let at = 0;
  for (let index = 0; index < end; index += 1) {
    const code = text.charCodeAt(index);
    const value = code < 128 ? (VALUES[code] ?? -1) : -1;
    if (value < 0) return undefined;
    bits = ((bits << 6) | value) & 0xffffff;
    count += 6;
    if (count >= 8) {
      count -= 8;
      out[at] = (bits >>> count) & 0xff;
      at += 1;
    }
  }
  return out;
}

interface NativeBase64 {
  from(text: string, encoding: "base64"): Uint8Array & { toString(encoding: "base64"): string };
}

// Node's and Bun's Buffer, looked up at the first call (never at import): its native codec is
// twice as fast as the loop above on a signature-sized input.
let native: NativeBase64 | null | undefined;

function nativeBase64(): NativeBase64 | null {
  if (native === undefined) {
    const candidate: unknown = Reflect.get(globalThis, "Buffer");
    native = isNativeBase64(candidate) ? candidate : null;
  }
  return native;
}

function isNativeBase64(value: unknown): value is NativeBase64 {
  return typeof value === "function" && typeof Reflect.get(value, "from") === "function";
}

/**
 * The bytes of `text` if it is canonical, padded standard base64 (what `encodeBase64` would
 * write for them), else `undefined`: the one form a signature entry is accepted in.
 */
export function decodeCanonicalBase64(text: string): Uint8Array | undefined {
  const buffer = nativeBase64();
  if (buffer !== null) {
    const decoded = buffer.from(text, "base64");
    return decoded.toString("base64") === text ? decoded : undefined;
  }
  const decoded = decodeBase64(text);
  return decoded !== undefined && encodeBase64(decoded) === text ? decoded : undefined;
}
