// Why a delivery failed, where the SDK answers: error.detail in the 5xx body (on outside
// production), recorded by the forwarder and printed by `cactus listen`.
import { CactusClient, CactusHandler, createNodeMiddleware, type CactusReceiverOptions, type MovieCompletedPushedEvent } from "../../lib";
import { CactusHandlerError } from "../../lib/errors";
import { describeAttempt } from "../../lib/cli/listen-command";
import { CactusEmulator, WebhookForwarder, type DeliveryAttemptRecord } from "../../lib/emulator";
import { errorAnswer } from "../../lib/webhooks/status-table";
import type { WebhookMiddlewareSettings } from "../../lib/webhooks/options";
import { failureDetail, MAX_FAILURE_DETAIL_LENGTH } from "../../lib/webhooks/failure-detail";
import { silent } from "../helpers/ratings-handler";
import { SECRET } from "../webhooks/helpers/fixtures";
import { listen, type TestServer } from "../webhooks/helpers/server";

class Ratings extends CactusHandler {
  override async onMovieCompleted(event: MovieCompletedPushedEvent): Promise<void> {
    await event.fetchRelatedObject();
  }
  override async onOther(): Promise<void> {
    // nothing else is sent here
  }
}

describe("failureDetail", () => {
  it("is the handler's cause chain, each message once, on one line", () => {
    const api = new Error("Cactus API GET /v1/movies/mov_789 answered 500: Injected 500", { cause: new TypeError("socket\nhang up") });
    const failed = new CactusHandlerError("evt_1", "movie.completed", api);
    expect(failureDetail(failed)).toBe("Cactus API GET /v1/movies/mov_789 answered 500: Injected 500 <- caused by: TypeError: socket hang up");
    // A message that repeats its cause's is not followed by the cause again.
    const wrapped = new Error("saving failed: db down", { cause: new Error("db down") });
    expect(failureDetail(new CactusHandlerError("evt_1", "order.shipped", wrapped))).toBe("saving failed: db down");
  });

  it("redacts what looks like a key, a token, a password or URL credentials", () => {
    const leaky = new Error(
      "bad key sk_test_4eC39HqLyjWDarjtT1zdp7dc, secret whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw, Authorization: Bearer abc.def.ghi, password=hunter2, postgres://app:s3cret@db:5432/x",
    );
    const detail = failureDetail(leaky) ?? "";
    for (const secret of ["4eC39HqLyjWDarjtT1zdp7dc", "MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw", "abc.def.ghi", "hunter2", "s3cret"]) expect(detail).not.toContain(secret);
    expect(detail).toContain("password=[redacted]");
    expect(failureDetail(new Error("db password is hunter2"))).toBe("db password is [redacted]");
    expect(detail).toContain("postgres://[redacted]@db:5432/x");
  });

  it("is bounded, and never a stack", () => {
    const long = failureDetail(new Error("x".repeat(5000))) ?? "";
    expect(long).toHaveLength(MAX_FAILURE_DETAIL_LENGTH);
    expect(long.endsWith("\u2026")).toBe(true);
    const error = new Error("short");
    expect(failureDetail(error)).toBe("short");
  });

  it("is added to 5xx answers only, and only when asked", () => {
    const failed = new CactusHandlerError("evt_1", "order.shipped", new Error("db down"));
    expect(JSON.parse(errorAnswer(failed, true).body)).toEqual({ error: expect.objectContaining({ type: "handler_failed", eventId: "evt_1", detail: "db down" }) });
    expect(JSON.parse(errorAnswer(failed).body).error.detail).toBeUndefined();
    expect(JSON.parse(errorAnswer(failed, false).body).error.detail).toBeUndefined();
  });
});

describe("error.detail through the middleware, the forwarder and cactus listen", () => {
  let emulator: CactusEmulator;
  const servers: TestServer[] = [];
  const forwarders: WebhookForwarder[] = [];
  const savedEnv = process.env.NODE_ENV;

  beforeAll(async () => {
    emulator = await CactusEmulator.start({ port: 0 });
  });
  afterEach(async () => {
    process.env.NODE_ENV = savedEnv;
    emulator.reset();
    for (const forwarder of forwarders.splice(0)) await forwarder.close();
    for (const server of servers.splice(0)) await server.close();
  });
  afterAll(() => emulator.close());

  // A handler whose fetchRelatedObject() meets the emulator's injected 500, behind the Node middleware.
  async function failedAttempt(receiverOptions: CactusReceiverOptions = {}, middleware: WebhookMiddlewareSettings = {}): Promise<DeliveryAttemptRecord> {
    const client = new CactusClient({ apiKey: emulator.apiKey, baseUrl: emulator.url, maxRetries: 0 });
    const handler = new Ratings(client, { logger: silent, ...receiverOptions });
    const server = await listen(createNodeMiddleware(handler, { webhookSecret: SECRET, logger: silent, ...middleware }));
    servers.push(server);
    const forwarder = new WebhookForwarder({ url: `${server.url}/webhooks`, secret: SECRET, maxAttempts: 1 });
    forwarders.push(forwarder);
    emulator.failNext({ status: 500, pathPrefix: "/v1/movies" });
    const event = emulator.createEvent("movie.completed");
    return forwarder.forward(emulator.thinEventOf(event.id));
  }

  it("outside production, the failed attempt carries the cause: the API call that failed", async () => {
    process.env.NODE_ENV = "development";
    const attempt = await failedAttempt();
    expect(attempt.response?.status).toBe(500);
    const body = JSON.parse(attempt.response?.body ?? "{}");
    expect(body.error).toMatchObject({ type: "handler_failed", detail: expect.stringMatching(/^Cactus API GET \/v1\/movies\/mov_789 answered 500: Injected 500/) });
    expect(attempt.detail).toBe(body.error.detail);
    expect(body.error.detail).not.toContain("at ");
    const line = describeAttempt({ seq: 1, id: "evt_1", type: "movie.completed", created: "", relatedObject: null, outcome: "failed", attemptCount: 1, lastStatus: 500, nextRetryAt: null }, attempt);
    expect(line).toContain("; cause: Cactus API GET /v1/movies/mov_789 answered 500");
  });

  it("is off by default in production, and each option forces it on or off", async () => {
    process.env.NODE_ENV = "production";
    expect((await failedAttempt()).detail).toBeUndefined();
    expect((await failedAttempt({}, { errorDetail: true })).detail).toMatch(/^Cactus API GET/);
    expect((await failedAttempt({ errorDetail: true })).detail).toMatch(/^Cactus API GET/);
    process.env.NODE_ENV = "test";
    expect((await failedAttempt({ errorDetail: false })).detail).toBeUndefined();
    expect((await failedAttempt({ errorDetail: true }, { errorDetail: false })).detail).toBeUndefined();
  });

  it("refuses an errorDetail that is not a boolean", () => {
    const client = new CactusClient({ apiKey: "sk_test_x" });
    // @ts-expect-error errorDetail is a boolean
    expect(() => new Ratings(client, { errorDetail: "yes" })).toThrow(/errorDetail must be true or false/);
    // @ts-expect-error errorDetail is a boolean
    expect(() => createNodeMiddleware(new Ratings(client), { webhookSecret: SECRET, errorDetail: 1 })).toThrow(/errorDetail must be true or false/);
  });
});
