/** The store's SQL, for one (already quoted) schema: parameterised statements only. */
export interface EventStoreSql {
  /** `<schema>.events`. */
  readonly events: string;
  /** The columns of a {@link StoredEvent} row, times as epoch milliseconds. */
  readonly columns: string;
  /** $1 id, $2 type, $3 object type, $4 object id, $5 created, $6 body, $7 token, $8 lease ms, $9 done TTL ms. */
  readonly claim: string;
  /** $1 id, $2 token, $3 handled by, $4 started (epoch ms), $5 duration ms, $6 source. */
  readonly commit: string;
  /** $1 id, $2 token, $3 error message, $4 error code, $5 started, $6 duration ms, $7 source. */
  readonly release: string;
  /** $1 object id, $2 types (or null), $3 limit. */
  readonly history: string;
  /** $1 id. */
  readonly get: string;
  /** $1 id. */
  readonly attempts: string;
  /** $1 cutoff (epoch ms), $2 batch size. */
  readonly prune: string;
  /** $1 id, $2 token, $3 lease ms: takes the lease on a recorded event whatever its status, unless a live lease holds it. */
  readonly replayClaim: string;
  /** $1 id, $2 token, $3 source: records the event as stale (skipped by policy). */
  readonly markStale: string;
}

const ms = (column: string, as: string): string => `(extract(epoch from ${column}) * 1000)::float8 AS ${as}`;

/** The statements of a store whose tables live in schema `s` (a quoted identifier). */
export function eventStoreSql(s: string): EventStoreSql {
  const events = `${s}.events`;
  // Free to claim: a handled event past its done TTL, or any other whose lease is absent or over.
  const free = `(CASE WHEN e.status = 'handled' THEN e.handled_at <= clock_timestamp() - $9::float8 * interval '1 millisecond' ELSE e.lease_until IS NULL OR e.lease_until <= clock_timestamp() END)`;
  const columns = [
    "event_id",
    "seq::text AS seq_text",
    "type",
    "object_type",
    "object_id",
    ms("created", "created_ms"),
    "body",
    ms("first_received_at", "first_ms"),
    ms("last_received_at", "last_ms"),
    "deliveries",
    "attempts",
    "status",
    ms("lease_until", "lease_ms"),
    ms("handled_at", "handled_ms"),
    "handled_by",
    "last_error_message",
    "last_error_code",
  ].join(", ");
  return {
    events,
    columns,
    claim: `INSERT INTO ${events} AS e (event_id, type, object_type, object_id, created, body, first_received_at, last_received_at, deliveries, attempts, status, lease_token, lease_until)
      VALUES ($1::text, $2::text, $3::text, $4::text, $5::timestamptz, $6::text, clock_timestamp(), clock_timestamp(), 1, 1, 'processing', $7::text, clock_timestamp() + $8::float8 * interval '1 millisecond')
      ON CONFLICT (event_id) DO UPDATE SET
        deliveries = e.deliveries + 1,
        last_received_at = excluded.last_received_at,
        type = coalesce(e.type, excluded.type),
        object_type = coalesce(e.object_type, excluded.object_type),
        object_id = coalesce(e.object_id, excluded.object_id),
        created = coalesce(e.created, excluded.created),
        body = coalesce(e.body, excluded.body),
        attempts = CASE WHEN ${free} THEN e.attempts + 1 ELSE e.attempts END,
        status = CASE WHEN ${free} THEN 'processing' ELSE e.status END,
        lease_until = CASE WHEN ${free} THEN excluded.lease_until ELSE e.lease_until END,
        lease_token = CASE WHEN ${free} THEN excluded.lease_token ELSE e.lease_token END
      RETURNING e.lease_token IS NOT DISTINCT FROM $7::text AS claimed, e.status, (extract(epoch from (e.lease_until - clock_timestamp())) * 1000)::float8 AS retry_after_ms,
        (extract(epoch from coalesce(e.created, e.first_received_at)) * 1000)::float8 AS at_ms`,
    commit: `WITH done AS (
        UPDATE ${events} SET status = 'handled', handled_at = clock_timestamp(), handled_by = $3::text, lease_token = NULL, lease_until = NULL
        WHERE event_id = $1::text AND lease_token = $2::text
        RETURNING event_id, attempts
      )
      INSERT INTO ${s}.attempts (event_id, attempt, started_at, duration_ms, outcome, source, handled_by)
      SELECT event_id, attempts, coalesce(to_timestamp($4::float8 / 1000), clock_timestamp()), $5::float8, 'handled', $6::text, $3::text FROM done
      ON CONFLICT (event_id, attempt) DO NOTHING`,
    release: `WITH failed AS (
        UPDATE ${events} SET status = 'failed', lease_token = NULL, lease_until = NULL, last_error_message = coalesce($3::text, last_error_message), last_error_code = coalesce($4::text, last_error_code)
        WHERE event_id = $1::text AND lease_token = $2::text AND status <> 'handled'
        RETURNING event_id, attempts
      )
      INSERT INTO ${s}.attempts (event_id, attempt, started_at, duration_ms, outcome, source, error_message, error_code)
      SELECT event_id, attempts, coalesce(to_timestamp($5::float8 / 1000), clock_timestamp()), $6::float8, 'failed', $7::text, $3::text, $4::text FROM failed
      ON CONFLICT (event_id, attempt) DO NOTHING`,
    history: `SELECT body FROM ${events}
      WHERE object_id = $1::text AND body IS NOT NULL AND ($2::text[] IS NULL OR type = ANY($2::text[]))
      ORDER BY coalesce(created, first_received_at), seq LIMIT $3::int`,
    get: `SELECT ${columns} FROM ${events} WHERE event_id = $1::text`,
    replayClaim: `UPDATE ${events} AS e SET attempts = e.attempts + 1, status = 'processing', lease_token = $2::text, lease_until = clock_timestamp() + $3::float8 * interval '1 millisecond'
      WHERE e.event_id = $1::text AND (e.status <> 'processing' OR e.lease_until IS NULL OR e.lease_until <= clock_timestamp())
      RETURNING true AS claimed, (extract(epoch from coalesce(e.created, e.first_received_at)) * 1000)::float8 AS at_ms`,
    markStale: `WITH stale AS (
        UPDATE ${events} SET status = 'stale', handled_at = clock_timestamp(), lease_token = NULL, lease_until = NULL
        WHERE event_id = $1::text AND lease_token = $2::text
        RETURNING event_id, attempts
      )
      INSERT INTO ${s}.attempts (event_id, attempt, started_at, duration_ms, outcome, source)
      SELECT event_id, attempts, clock_timestamp(), 0, 'stale', $3::text FROM stale
      ON CONFLICT (event_id, attempt) DO NOTHING`,
    attempts: `SELECT attempt, ${ms("started_at", "started_ms")}, duration_ms, outcome, source, handled_by, error_message, error_code
      FROM ${s}.attempts WHERE event_id = $1::text ORDER BY attempt`,
    prune: `WITH gone AS (
        DELETE FROM ${events} WHERE event_id = ANY(ARRAY(
          SELECT event_id FROM ${events}
          WHERE first_received_at < to_timestamp($1::float8 / 1000) AND (status <> 'processing' OR lease_until IS NULL OR lease_until <= clock_timestamp())
          ORDER BY first_received_at LIMIT $2::int
        )) RETURNING 1
      )
      SELECT count(*)::int AS deleted FROM gone`,
  };
}

/** The filters of a `list` call, checked and in SQL terms (times as epoch ms). */
export interface ListFilters {
  readonly sinceMs?: number | undefined;
  readonly untilMs?: number | undefined;
  readonly type?: string | undefined;
  readonly status?: string | undefined;
  readonly objectId?: string | undefined;
  /** A `seq` (decimal digits). */
  readonly cursor?: string | undefined;
  readonly order: "asc" | "desc";
  /** Rows to fetch (one more than the page, to know whether there is a next one). */
  readonly fetch: number;
}

/** The `list` statement for `filters`: only the filters given become conditions, all parameterised. */
export function listStatement(sql: EventStoreSql, filters: ListFilters): { readonly text: string; readonly params: readonly unknown[] } {
  const where: string[] = [];
  const params: unknown[] = [];
  const add = (clause: (n: string) => string, value: unknown): void => {
    params.push(value);
    where.push(clause(`$${params.length}`));
  };
  if (filters.sinceMs !== undefined) add((n) => `first_received_at >= to_timestamp(${n}::float8 / 1000)`, filters.sinceMs);
  if (filters.untilMs !== undefined) add((n) => `first_received_at < to_timestamp(${n}::float8 / 1000)`, filters.untilMs);
  if (filters.type !== undefined) add((n) => `type = ${n}::text`, filters.type);
  if (filters.status !== undefined) add((n) => `status = ${n}::text`, filters.status);
  if (filters.objectId !== undefined) add((n) => `object_id = ${n}::text`, filters.objectId);
  if (filters.cursor !== undefined) add((n) => `seq ${filters.order === "desc" ? "<" : ">"} ${n}::bigint`, filters.cursor);
  params.push(filters.fetch);
  const text = `SELECT ${sql.columns} FROM ${sql.events}${where.length > 0 ? ` WHERE ${where.join(" AND ")}` : ""} ORDER BY seq ${filters.order} LIMIT $${params.length}`;
  return { text, params };
}

/** The replay page statement for `filters`: events in the store's order (`created`, else receipt; then `seq`) after a cursor. */
export function replayStatement(sql: EventStoreSql, filters: {
  readonly sinceMs?: number | undefined;
  readonly untilMs?: number | undefined;
  readonly type?: string | undefined;
  readonly status?: string | undefined;
  readonly objectId?: string | undefined;
  readonly eventId?: string | undefined;
  /** `<at in microseconds>:<seq>`. */
  readonly after?: string | undefined;
  readonly limit: number;
}): { readonly text: string; readonly params: readonly unknown[] } {
  const at = "coalesce(created, first_received_at)";
  const where: string[] = ["body IS NOT NULL", "type IS NOT NULL"];
  const params: unknown[] = [];
  const add = (clause: (n: string) => string, value: unknown): void => {
    params.push(value);
    where.push(clause(`$${params.length}`));
  };
  if (filters.sinceMs !== undefined) add((n) => `${at} >= to_timestamp(${n}::float8 / 1000)`, filters.sinceMs);
  if (filters.untilMs !== undefined) add((n) => `${at} < to_timestamp(${n}::float8 / 1000)`, filters.untilMs);
  if (filters.type !== undefined) add((n) => `type = ${n}::text`, filters.type);
  if (filters.status !== undefined) add((n) => `status = ${n}::text`, filters.status);
  if (filters.objectId !== undefined) add((n) => `object_id = ${n}::text`, filters.objectId);
  if (filters.eventId !== undefined) add((n) => `event_id = ${n}::text`, filters.eventId);
  if (filters.after !== undefined) {
    const [micros, seq] = filters.after.split(":");
    params.push(micros, seq);
    where.push(`((extract(epoch from ${at}) * 1000000)::bigint, seq) > ($${params.length - 1}::bigint, $${params.length}::bigint)`);
  }
  params.push(filters.limit);
  const text = `SELECT event_id, type, object_type, object_id, body, seq::text AS seq_text, (extract(epoch from ${at}) * 1000000)::bigint::text AS at_us
    FROM ${sql.events} WHERE ${where.join(" AND ")} ORDER BY ${at}, seq LIMIT $${params.length}`;
  return { text, params };
}

/** $1 ids: those the store received through anything but an unfinished catch-up. */
export function receivedStatement(s: string): string {
  return `SELECT e.event_id FROM ${s}.events e WHERE e.event_id = ANY($1::text[])
    AND (e.status IN ('handled', 'stale') OR EXISTS (SELECT 1 FROM ${s}.attempts a WHERE a.event_id = e.event_id AND a.source <> 'catch_up'))`;
}
