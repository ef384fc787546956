import { apiErrorFor, parseErrorBody } from "../../lib/client/api-errors";
import {
  CactusApiError,
  CactusAuthenticationError,
  CactusNotFoundError,
  CactusRateLimitError,
  CactusServerError,
} from "../../lib/errors";

const context = { path: "/v2/events/evt_1", requestId: "req_9", retryAfterMs: undefined, redact: (text: string) => text };
const body = JSON.stringify({ error: { type: "some_type", message: "Something broke" } });

describe("parseErrorBody", () => {
  it("reads error.type and error.message", () => {
    expect(parseErrorBody(body)).toEqual({ type: "some_type", message: "Something broke" });
  });

  it.each(["", "<html>502</html>", "null", "[]", '{"error":"flat"}', '{"error":{"type":1,"message":{}}}', '{"message":"x"}'])(
    "gives undefined fields for %j",
    (text) => {
      expect(parseErrorBody(text)).toEqual({ type: undefined, message: undefined });
    },
  );
});

describe("apiErrorFor", () => {
  it.each([
    [401, CactusAuthenticationError, "authentication_failed"],
    [403, CactusAuthenticationError, "authentication_failed"],
    [404, CactusNotFoundError, "not_found"],
    [429, CactusRateLimitError, "rate_limited"],
    [500, CactusServerError, "server_error"],
    [503, CactusServerError, "server_error"],
    [400, CactusApiError, "api_error"],
    [409, CactusApiError, "api_error"],
  ])("maps %i to %p", (status, cls, code) => {
    const error = apiErrorFor(body, { ...context, status });
    expect(error).toBeInstanceOf(cls);
    expect(error).toMatchObject({ code, status, errorType: "some_type", path: "/v2/events/evt_1", requestId: "req_9" });
    expect(error.message).toBe(`Cactus API GET /v2/events/evt_1 answered ${status}: Something broke`);
  });

  it("keeps the class and gives a generic message when the body is not a Cactus error", () => {
    const error = apiErrorFor("<html>Bad Gateway</html>", { ...context, status: 502 });
    expect(error).toBeInstanceOf(CactusServerError);
    expect(error.errorType).toBeUndefined();
    expect(error.message).toContain("server error (the body was not a Cactus JSON error)");
  });

  it("carries Retry-After on rate-limit errors", () => {
    const error = apiErrorFor(body, { ...context, status: 429, retryAfterMs: 1_000 });
    expect(error).toBeInstanceOf(CactusRateLimitError);
    expect(error instanceof CactusRateLimitError && error.retryAfterMs).toBe(1_000);
  });

  it("clips very long server messages", () => {
    const long = JSON.stringify({ error: { type: "x", message: "a".repeat(10_000) } });
    expect(apiErrorFor(long, { ...context, status: 500 }).message.length).toBeLessThan(700);
  });
});
