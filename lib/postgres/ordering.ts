import type { NewerHandledEvent } from "../delivery/delivery-runner";
import type { CactusQueryResult, CactusTransaction } from "../delivery/transaction";

/** The key the store orders and guards one related object by: `type:id`, e.g. `order:ord_456`. */
export function objectKeyOf(related: { readonly id: string; readonly type: string } | null | undefined): string | undefined {
  return related === undefined || related === null ? undefined : `${related.type}:${related.id}`;
}

/** The statements of the stale-event guard and the per-object lock, for one (quoted) schema `s`. */
export interface OrderingSql {
  /** $1 object key: the newest handled event of the object (`newest_ms`, `newest_event_id`, `newest_type`). */
  readonly newest: string;
  /** $1 object key, $2 event time (epoch ms), $3 event id, $4 type: keeps the newer of the two. */
  readonly advance: string;
  /** $1 lock key: takes the object's transaction-scoped advisory lock if it is free (`locked`). */
  readonly tryLock: string;
}

/** The ordering statements of a store whose tables live in schema `s` (a quoted identifier). */
export function orderingSql(s: string): OrderingSql {
  return {
    newest: `SELECT newest_event_id, newest_type, (extract(epoch from newest_at) * 1000)::float8 AS newest_ms FROM ${s}.objects WHERE object_key = $1::text`,
    advance: `INSERT INTO ${s}.objects AS o (object_key, newest_at, newest_event_id, newest_type, updated_at)
      VALUES ($1::text, to_timestamp($2::float8 / 1000), $3::text, $4::text, clock_timestamp())
      ON CONFLICT (object_key) DO UPDATE SET newest_at = excluded.newest_at, newest_event_id = excluded.newest_event_id, newest_type = excluded.newest_type, updated_at = excluded.updated_at
      WHERE o.newest_at < excluded.newest_at`,
    // hashtextextended: a 64-bit hash of schema and object key. Two keys that collide are only
    // serialised together (never run at once when they should not).
    tryLock: "SELECT pg_try_advisory_xact_lock(hashtextextended($1::text, 0)) AS locked",
  };
}

/** Where an event stands against the newest handled event of its object. */
export interface StaleCheck {
  /** It is older than the newest handled one (by `created`, else receipt). */
  readonly outOfOrder: boolean;
  /** The newest handled one, when `outOfOrder`. */
  readonly newerHandled: NewerHandledEvent | undefined;
}

type Query = (text: string, params: readonly unknown[]) => Promise<CactusQueryResult>;

/** Compares the event (`atMs`: its `created`, else its receipt) with its object's newest handled event. */
export async function checkStale(query: Query, sql: OrderingSql, key: string, eventId: string, atMs: number): Promise<StaleCheck> {
  const { rows } = await query(sql.newest, [key]);
  const row = rows[0];
  const newestMs = typeof row?.["newest_ms"] === "number" ? row["newest_ms"] : Number(row?.["newest_ms"] ?? Number.NaN);
  const id = row?.["newest_event_id"];
  const type = row?.["newest_type"];
  if (row === undefined || !(newestMs > atMs) || typeof id !== "string" || typeof type !== "string" || id === eventId) return { outOfOrder: false, newerHandled: undefined };
  return { outOfOrder: true, newerHandled: { id, type, created: new Date(Math.round(newestMs)) } };
}

/** Records a handled event as its object's newest, if it is newer than the one recorded. */
export async function advanceNewest(query: Query, sql: OrderingSql, key: string, atMs: number, eventId: string, type: string): Promise<void> {
  await query(sql.advance, [key, atMs, eventId, type]);
}

/** The query function of a transaction. */
export function queryOf(tx: CactusTransaction): Query {
  return (text, params) => tx.query(text, params);
}

/**
 * Per-object mutual exclusion inside one process, for PGlite (one process owns the database, and
 * its single connection cannot hold one transaction per object). Waiters are served in arrival order.
 */
export class LocalObjectLocks {
  readonly #held = new Map<string, (() => void)[]>();

  /** Runs `fn` holding `key`; `wait: false` answers `undefined` at once when it is held, else waits up to `waitMs` (then `undefined`). */
  async run<T>(key: string, wait: boolean, waitMs: number, fn: () => Promise<T>): Promise<{ readonly value: T } | undefined> {
    const queue = this.#held.get(key);
    if (queue !== undefined) {
      if (!wait) return undefined;
      const got = await new Promise<boolean>((resolve) => {
        const timer = setTimeout(() => {
          const at = queue.indexOf(wake);
          if (at !== -1) queue.splice(at, 1);
          resolve(false);
        }, waitMs);
        const wake = (): void => {
          clearTimeout(timer);
          resolve(true);
        };
        queue.push(wake);
      });
      if (!got) return undefined;
    } else {
      this.#held.set(key, []);
    }
    try {
      return { value: await fn() };
    } finally {
      const waiting = this.#held.get(key);
      const next = waiting?.shift();
      if (next === undefined) this.#held.delete(key);
      else next();
    }
  }
}
