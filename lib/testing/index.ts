// cactus-sdk/testing: build events, sign deliveries and run the local Cactus API in your tests.
// reflect-metadata first, so this can be a test file's first import.
import "reflect-metadata";

export {
  createPushedEvent,
  createFullEvent,
  type TestEventType,
  type TestPushedEvent,
  type TestFullEvent,
  type WireDataOverrides,
  type SnakeCase,
  type WireValue,
  type PushedEventOverrides,
  type FullEventOverrides,
} from "./create-event";
export { signedHeaders, type SignOptions } from "./signed-headers";
export { webhookRequest, type WebhookRequestOptions, type TestWebhookRequest } from "./webhook-request";
export { postWebhook, type PostableTestClient, type PostWebhookOptions } from "./post-webhook";
export { startEmulator, type StartEmulatorOptions, type StartedEmulator } from "./start-emulator";
export { handleAndSettle, type HandleAndSettleOptions, type HandlingReceiver } from "./handle-and-settle";
export { sagaTest, sagaEvent, SagaTest, type SagaTestEvent, type SagaTestOptions, type SagaTestResult } from "./saga-test";
export { CactusFloatingWorkError, type FloatingWork } from "../errors";
