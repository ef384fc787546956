// cactus-sdk/postgres: the event store on PostgreSQL. Needs the optional peer dependency `pg`
// (a server) or `@electric-sql/pglite` (embedded); this entry loads neither: you pass the database.
export {
  PostgresEventStore,
  DEFAULT_EVENT_STORE_TIMEOUT_MS,
  DEFAULT_KEEP_MS,
  DEFAULT_LOCK_WAIT_MS,
  type PostgresEventStoreOptions,
  type StoredEvent,
  type StoredEventStatus,
  type StoredEventWithAttempts,
  type StoredAttempt,
  type StoredError,
  type ListEventsOptions,
  type EventPage,
  type HistoryOptions,
} from "./postgres-event-store";
export type { EventStoreDb, PgPoolLike, PgPoolClientLike, PGliteLike } from "./database";
export { EVENT_STORE_SCHEMA_VERSION, MIGRATE_COMMAND, type MigrationResult } from "./schema";
export { MAX_STORED_ID_BYTES } from "./storable";
export type { CactusTransaction, CactusQueryResult } from "../delivery/transaction";
export type { DeliverySource, EventOrdering, StaleEventPolicy, NewerHandledEvent } from "../delivery/delivery-runner";
export type { IdempotencyStore, IdempotencyClaim } from "../delivery/idempotency-store";
export { CactusEventStoreUnavailableError, CactusObjectBusyError } from "../errors";
export {
  CactusRunInterruptedError,
  type ReplayOptions,
  type ReplaySummary,
  type CatchUpOptions,
  type CatchUpSummary,
  type CatchUpClient,
  type RunProgress,
  type RunFailure,
  type RunOutcome,
  type PlannedEvent,
} from "./replay";
export { SAGA_SCHEMA_VERSION } from "./saga/schema";
export type { DueTimeoutsResult, RunDueTimeoutsOptions, TimeoutRunner } from "./saga/saga-store";
export type { SagaDeadlineScheduler, SagaDeadlineTrigger, SagaFireOutcome } from "../saga/scheduler";
export type { SagaSnapshot, SagaStep, SagaHistoryEntry, SagaDeadline, SagaStatus, SagaCompensationStatus } from "../saga/types";
