// cactus-sdk/nestjs: a NestJS module for CactusEvents. Needs the optional peer dependencies
// @nestjs/common and @nestjs/core (11 or 12). Works as a program's first import.
import "reflect-metadata";

export { CactusModule, CactusWorkerModule } from "./cactus-module";
export { CactusWebhooks, DEFAULT_NEST_SHUTDOWN_TIMEOUT_MS } from "./cactus-webhooks";
export { CactusQueueWorker, CACTUS_WORKER_OPTIONS, type CactusWorkerModuleOptions, type CactusWorkerQueue } from "./cactus-worker-service";
export { CactusWebhookHandler } from "./cactus-webhook-handler";
export type { CactusHandlerRoute } from "./handler-table";
export { NEST_RAW_BODY_ADVICE } from "./read-nest-body";
export {
  CACTUS_MODULE_OPTIONS,
  DEFAULT_NEST_WEBHOOK_PATH,
  type CactusModuleOptions,
  type CactusModuleRootOptions,
  type CactusModuleAsyncOptions,
  type CactusModuleImport,
  type CactusInjectionToken,
} from "./options";
// What handlers are written with, so an app imports them from one place.
export { CactusClient, type CactusClientOptions } from "../client/cactus-client";
export { CactusHandler } from "../handler/cactus-handler";
export { On } from "../handler/on";
export { OnOther } from "../handler/on-other";
