import type { WireErrorBody } from "./wire-types";

/** `{"error": {"type": type, "message": message}}`, the shape of every Cactus error answer. */
export function errorBody(type: string, message: string): WireErrorBody {
  return { error: { type, message } };
}

const typesByStatus: ReadonlyMap<number, string> = new Map([
  [400, "invalid_request_error"],
  [401, "authentication_error"],
  [403, "permission_error"],
  [404, "not_found"],
  [405, "method_not_allowed"],
  [408, "request_timeout"],
  [409, "conflict"],
  [429, "rate_limit_error"],
  [500, "api_error"],
  [502, "bad_gateway"],
  [503, "service_unavailable"],
  [504, "gateway_timeout"],
]);

/** The `error.type` the emulator sends with `status`, e.g. `rate_limit_error` for 429. */
export function errorTypeForStatus(status: number): string {
  return typesByStatus.get(status) ?? (status >= 500 ? "api_error" : "invalid_request_error");
}
