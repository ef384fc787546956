// The one error family of cactus-sdk: every error the SDK throws extends CactusError.
export { CactusError } from "./cactus-error";
export type {
  CactusErrorCode,
  CactusApiErrorCode,
  CactusHandlerErrorCode,
  CactusEmulatorErrorCode,
  CactusSagaErrorCode,
  WebhookRequestFailure,
  WebhookSignatureFailure,
} from "./codes";
export { describeThrown, isInstanceOf } from "./describe";
export { CactusParseError, CactusValidationError, CactusNotBoundError, type CactusValidationIssue } from "./event-errors";
export { CactusConfigError, CliUsageError } from "./config-errors";
export {
  CactusApiError,
  CactusAuthenticationError,
  CactusNotFoundError,
  CactusRateLimitError,
  CactusServerError,
  CactusConnectionError,
  CactusTimeoutError,
  CactusResponseTooLargeError,
  CactusResponseMismatchError,
  CactusArgumentError,
  CactusInvalidIdError,
  CactusAbortError,
  type CactusApiErrorOptions,
} from "./client-errors";
export {
  CactusHandlerError,
  CactusHandlersError,
  CactusUnhandledEventError,
  CactusHandlerTimeoutError,
  CactusEventInProgressError,
  CactusObjectBusyError,
  CactusFloatingWorkError,
  type HandlerFailure,
  type FloatingWork,
} from "./handler-errors";
export { CactusSignatureError, CactusWebhookRequestError, CactusIdempotencyError, CactusLeaseExpiredError, CactusShuttingDownError, type LeaseExpiredOutcome } from "./webhook-errors";
export { CactusQueueUnavailableError } from "./queue-errors";
export { CactusEventStoreUnavailableError } from "./store-errors";
export { CactusRuntimeError } from "./runtime-errors";
export { CactusSagaError } from "./saga-errors";
