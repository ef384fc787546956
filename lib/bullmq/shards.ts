// How a sharded CactusQueue lays its keys out and routes events: one BullMQ queue per shard, each
// with its own hash tag (so each shard lives on one Redis Cluster slot, and shards spread over the
// masters), and a stable hash of the event's related object (or of its id) to pick the shard.

/** Largest `shards` a queue accepts. */
export const MAX_QUEUE_SHARDS = 256;

/**
 * The hash tag Redis Cluster hashes a key by: the text between the first `{` and the first `}`
 * after it, when that text is not empty; `undefined` when the key has none (the whole key is hashed).
 *
 * @example
 * ```ts
 * hashTagOf("{cactus}");   // "cactus"
 * hashTagOf("shop");       // undefined
 * ```
 */
export function hashTagOf(key: string): string | undefined {
  const open = key.indexOf("{");
  if (open === -1) return undefined;
  const close = key.indexOf("}", open + 1);
  if (close === -1 || close === open + 1) return undefined;
  return key.slice(open + 1, close);
}

/**
 * The BullMQ prefix of shard `index` of a queue whose prefix is `prefix`, when it has `count`
 * shards. With one shard it is `prefix` itself (the unsharded layout). Otherwise the shard number
 * goes inside the hash tag (`{cactus}` → `{cactus:0}`, `{cactus:1}`, ...), so each shard hashes to
 * its own slot; a prefix without a tag (single Redis only) gets `:<index>` appended.
 */
export function shardPrefix(prefix: string, index: number, count: number): string {
  if (count === 1) return prefix;
  const open = prefix.indexOf("{");
  const tag = hashTagOf(prefix);
  if (tag === undefined) return `${prefix}:${index}`;
  const close = open + 1 + tag.length;
  return `${prefix.slice(0, close)}:${index}${prefix.slice(close)}`;
}

/**
 * Which of `count` shards an event goes to: a stable hash (32-bit FNV-1a of the UTF-8 text) of its
 * related object's id when it has one, so every event of one object lands in one shard and keeps
 * its order there, and of the event id otherwise. The same event always goes to the same shard.
 *
 * @example
 * ```ts
 * shardOf(routingKeyOf({ id: "evt_1", relatedObject: { id: "ord_9" } }), 3); // 0, 1 or 2; the same for every event of ord_9
 * ```
 */
export function shardOf(routingKey: string, count: number): number {
  if (count <= 1) return 0;
  let hash = 0x811c9dc5;
  for (const byte of new TextEncoder().encode(routingKey)) {
    hash ^= byte;
    hash = Math.imul(hash, 0x01000193) >>> 0;
  }
  return hash % count;
}

/** The key an event is routed by: `object:<related object id>`, or `event:<event id>` for an event without one. */
export function routingKeyOf(event: { readonly id: string; readonly relatedObject?: { readonly id: string } | null | undefined }): string {
  const objectId = event.relatedObject?.id;
  return typeof objectId === "string" && objectId.length > 0 ? `object:${objectId}` : `event:${event.id}`;
}

/**
 * The Redis Cluster slot of `key` (CRC16/XMODEM of its hash tag, or of the whole key, mod 16384):
 * where the node owning a shard is looked up.
 */
export function clusterSlotOf(key: string): number {
  const tag = hashTagOf(key);
  let crc = 0;
  for (const byte of new TextEncoder().encode(tag ?? key)) {
    crc ^= byte << 8;
    for (let bit = 0; bit < 8; bit += 1) crc = crc & 0x8000 ? ((crc << 1) ^ 0x1021) & 0xffff : (crc << 1) & 0xffff;
  }
  return crc % 16384;
}
