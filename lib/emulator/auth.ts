import { createHash, timingSafeEqual } from "node:crypto";

/**
 * Whether an `Authorization` header carries `Bearer <apiKey>`. Compared in constant time over
 * hashes (equal lengths, and no early exit that would leak how much of a guess was right).
 */
export function isAuthorized(header: string | undefined, apiKey: string): boolean {
  if (header === undefined) return false;
  return timingSafeEqual(digest(header), digest(`Bearer ${apiKey}`));
}

function digest(text: string): Buffer {
  return createHash("sha256").update(text).digest();
}
