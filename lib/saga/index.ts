// cactus-sdk/saga: a business process per related object, its state kept in the event store
// (PostgresEventStore from cactus-sdk/postgres). Loads no database driver.
export { CactusSaga, type CactusSagaMethods } from "./cactus-saga";
export type { SagaMetrics } from "./engine";
export type { SagaDuration } from "./duration";
export type { SagaDeadlineScheduler, SagaDeadlineTrigger, SagaDeadlineFirer, SagaFireOutcome } from "./scheduler";
export type {
  SagaContext,
  SagaStatus,
  SagaStep,
  SagaStepOptions,
  SagaExpectOptions,
  SagaCompensations,
  SagaCompensationStatus,
  SagaHistoryEntry,
  SagaHistoryOutcome,
  SagaDeadline,
  SagaSnapshot,
} from "./types";
export { CactusSagaError, type CactusSagaErrorCode } from "../errors";
