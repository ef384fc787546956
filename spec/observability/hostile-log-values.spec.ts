import { CactusClient, CactusHandler, createFetchHandler, type BaseThinEvent, type CactusReceiverOptions, type OrderShippedPushedEvent } from "../../lib";
import { formatConsoleLine } from "../../lib/observability/logger";
import { OTHER_SECRET, SECRET, shippedBody, signedDelivery } from "../webhooks/helpers/fixtures";
import { RecordingLogger } from "./helpers/recording-logger";

// Ids, types and paths in log lines come from the network: a 1 MB id made a 1 MB line, and a
// newline in a type printed a second, forged `[cactus-sdk]` line.
const HUGE_ID = `evt_${"x".repeat(1024 * 1024)}`;
const FORGED_TYPE = "order.lost\n[cactus-sdk] forged";

class FailingHandler extends CactusHandler {
  constructor(options: CactusReceiverOptions = {}) {
    super(new CactusClient({ apiKey: "sk_test_logging", baseUrl: "http://127.0.0.1:9", maxRetries: 0 }), options);
  }

  override async onOrderShipped(_event: OrderShippedPushedEvent): Promise<void> {
    throw new Error("the warehouse is closed");
  }

  override async onOther(_event: BaseThinEvent): Promise<void> {
    throw new Error("no handler for this one");
  }
}

function post(headers: Record<string, string>, body: string): Request {
  return new Request("http://example.test/webhooks", { method: "POST", headers, body });
}

function captureConsole(method: "error" | "warn"): string[] {
  const printed: string[] = [];
  const record = (...args: unknown[]): void => void printed.push(args.map(String).join(" "));
  if (method === "error") jest.spyOn(console, "error").mockImplementation(record);
  else jest.spyOn(console, "warn").mockImplementation(record);
  return printed;
}

// The first line of a console entry: the message and its fields (then come the stack and causes).
function headOf(entry: string | undefined): string {
  return (entry ?? "").split("\n")[0] ?? "";
}

describe("log lines about hostile ids and types", () => {
  afterEach(() => jest.restoreAllMocks());

  it("a 1 MB event id: the default logger prints one bounded line, the id cut with an ellipsis", async () => {
    const printed = captureConsole("error");
    const webhooks = createFetchHandler(new FailingHandler(), { webhookSecret: SECRET, maxBodyBytes: 4 * 1024 * 1024 });
    const { body, headers } = signedDelivery(shippedBody(HUGE_ID));
    expect((await webhooks(post(headers, body))).status).toBe(500);
    expect(printed).toHaveLength(1);
    const head = headOf(printed[0]);
    expect(head).toMatch(/^\[cactus-sdk\] order\.shipped evt_x+… handler failed: the warehouse is closed/);
    expect(head.length).toBeLessThan(2_000);
    expect(head).toContain(`eventId=${HUGE_ID.slice(0, 199)}…`);
    expect(printed[0]?.length).toBeLessThan(10_000); // the stack follows, but nothing of the id beyond its first 200 characters
  });

  it('a type with "\\n[cactus-sdk] forged": one line, the newline escaped, in the message and the fields', async () => {
    const printed = captureConsole("error");
    const webhooks = createFetchHandler(new FailingHandler(), { webhookSecret: SECRET, maxBodyBytes: 4 * 1024 * 1024 });
    const { body, headers } = signedDelivery(JSON.stringify({ id: "evt_forge", type: FORGED_TYPE }));
    expect((await webhooks(post(headers, body))).status).toBe(500);
    expect(printed).toHaveLength(1);
    const lines = (printed[0] ?? "").split("\n");
    // Only the first line starts as a log line does; the stack's own first line quotes the type escaped.
    expect(lines.filter((line) => line.startsWith("[cactus-sdk]"))).toHaveLength(1);
    expect(lines[1]).toMatch(/^CactusHandlerError: .*order\.lost\\n\[cactus-sdk\] forged/);
    expect(lines[0]).toMatch(/^\[cactus-sdk\] order\.lost\\n\[cactus-sdk\] forged evt_forge handler failed: no handler for this one/);
    expect(lines[0]).toContain("eventType=order.lost\\n[cactus-sdk] forged");
  });

  it("a custom logger gets a one-line, bounded message and bounded fields (the value kept, cut at 200)", async () => {
    const logger = new RecordingLogger();
    const webhooks = createFetchHandler(new FailingHandler(), { webhookSecret: SECRET, maxBodyBytes: 4 * 1024 * 1024, logger });
    const huge = signedDelivery(shippedBody(HUGE_ID));
    expect((await webhooks(post(huge.headers, huge.body))).status).toBe(500);
    const forged = signedDelivery(JSON.stringify({ id: "evt_forge", type: FORGED_TYPE }));
    expect((await webhooks(post(forged.headers, forged.body))).status).toBe(500);
    const failures = logger.lines.filter((line) => line.level === "error");
    expect(failures).toHaveLength(2);
    for (const line of failures) {
      expect(line.message).not.toMatch(/[\n\r]/);
      expect(line.message.length).toBeLessThan(2_000);
      for (const key of ["eventId", "deliveryId", "correlationId", "eventType"]) expect(String(line.fields[key]).length).toBeLessThanOrEqual(200);
    }
    expect(failures[0]?.fields["eventId"]).toBe(`${HUGE_ID.slice(0, 199)}…`);
    expect(failures[1]?.message).toContain("order.lost\\n[cactus-sdk] forged evt_forge");
    // Structured fields keep the value as it came (a JSON logger encodes the newline itself).
    expect(failures[1]?.fields["eventType"]).toBe(FORGED_TYPE);
  });

  it("a rejected signature with a 1 MB webhook-id and a 5,000-character correlation id: one bounded warning line", async () => {
    const printed = captureConsole("warn");
    const webhooks = createFetchHandler(new FailingHandler(), { webhookSecret: SECRET, maxBodyBytes: 4 * 1024 * 1024 });
    const { body, headers } = signedDelivery(shippedBody(HUGE_ID), { secret: OTHER_SECRET });
    const response = await webhooks(post({ ...headers, "x-correlation-id": `corr_${"y".repeat(5_000)}` }, body));
    expect(response.status).toBe(401);
    expect(printed).toHaveLength(1);
    expect(printed[0]).not.toContain("\n");
    expect(printed[0]).toMatch(/^\[cactus-sdk\] delivery .{0,210} rejected: no_matching_signature/);
    expect(printed[0]?.length).toBeLessThan(2_000);
  });

  it("formatConsoleLine escapes and cuts every field, structured ones included, and the message", () => {
    const line = formatConsoleLine(
      { path: "/webhooks\u001b[2K\r", issues: [{ path: "a\nb".repeat(1_000), rule: "isString" }], count: 3 },
      `boom\n[cactus-sdk] forged ${"z".repeat(10_000)}`,
    );
    expect(line).not.toMatch(/[\n\r\u001b]/);
    expect(line).toContain("path=/webhooks\\x1b[2K\\r");
    expect(line).toContain("boom\\n[cactus-sdk] forged");
    expect(line).toContain("count=3");
    expect(line.length).toBeLessThan(4_000 + 1_200 + 300);
    expect(line).toContain("…");
  });
});
