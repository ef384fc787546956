import {
  CactusEventInProgressError,
  CactusHandlerError,
  CactusHandlerTimeoutError,
  CactusParseError,
  CactusSignatureError,
  CactusValidationError,
  CactusWebhookRequestError,
} from "../errors";
import { isKnownEventType } from "../events/catalog";
import type { DeliveryOutcome } from "./instrumentation";

/** The outcome a failed delivery counts as, from the error it failed with. */
export function outcomeOfError(error: unknown): DeliveryOutcome {
  if (error instanceof CactusSignatureError) return "rejected_signature";
  if (error instanceof CactusParseError || error instanceof CactusValidationError) return "invalid";
  if (error instanceof CactusHandlerTimeoutError) return "timeout";
  if (error instanceof CactusEventInProgressError) return "in_progress";
  if (error instanceof CactusHandlerError) return "handler_failed";
  if (error instanceof CactusWebhookRequestError) return error.code === "body_already_parsed" ? "error" : "rejected_request";
  return "error";
}

/** A bounded metric label for an event type: the type when this SDK knows it, else `"unknown"`. */
export function eventTypeLabel(type: string | undefined): string {
  return type !== undefined && isKnownEventType(type) ? type : "unknown";
}
