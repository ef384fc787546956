// cactus-sdk/bullmq: the queue receiver, its workers and dead letters. Needs the optional peer
// dependencies `bullmq` and `ioredis`. Works as a program's first import (the event classes need reflect-metadata).
import "reflect-metadata";
export { CactusQueue, DEFAULT_QUEUE_NAME, DEFAULT_QUEUE_PREFIX, DEFAULT_ADD_TIMEOUT_MS, type CactusQueueOptions } from "./cactus-queue";
export { CactusWorker, type CactusWorkOptions, type CactusBackoff, type CactusJobResult } from "./cactus-worker";
export { DeadLetters, type DeadLetter, type DeadLetterAttempt, type ReplayOptions } from "./dead-letters";
export { jobIdOf, type CactusJobData } from "./job-data";
export type { CactusRedisConnection } from "./connection";
export { CactusQueueUnavailableError } from "../errors";
export {
  SagaDeadlineJobs,
  sagaDeadlineJobId,
  type SagaDeadlineJobsOptions,
  type SagaDeadlineWorkOptions,
  type SagaDeadlineWorker,
  type SagaDeadlineJobData,
  type SagaDeadlineJobResult,
} from "./saga-deadlines";
