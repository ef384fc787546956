import { CactusEmulator } from "../../lib/emulator";
import { CactusConfigError } from "../../lib/errors";
import { attachDashboard } from "../../lib/emulator/dashboard";
import { describeAttempt } from "../../lib/cli/listen-command";
import { printable } from "../../lib/cli/printable";
import type { DeliveryAttemptRecord, EventSummary } from "../../lib/emulator/forwarder";

const HOSTILE_TYPE = "order.\u001b]0;owned\u0007\u001b[2K\rshipped";

describe("the emulator refuses event types with control characters", () => {
  let emulator: CactusEmulator;
  beforeAll(async () => {
    emulator = await CactusEmulator.start({ port: 0 });
  });
  afterAll(() => emulator.close());
  const create = (body: string) =>
    fetch(`${emulator.url}/v2/events`, { method: "POST", headers: { authorization: `Bearer ${emulator.apiKey}`, "content-type": "application/json" }, body });

  it.each([HOSTILE_TYPE, "order.shipped\n[cactus-sdk] forged line", "a\u0000b", "a\u009bb"])("answers 400 to POST /v2/events with type %j", async (type) => {
    const answer = await create(JSON.stringify({ type }));
    expect(answer.status).toBe(400);
    expect(await answer.text()).toContain("control characters");
  });

  it("answers 400, not 500, to JSON nested 5,000 deep, on the API and the dashboard's Trigger", async () => {
    const deep = `{"type":"order.lost","data":{"x":${"[".repeat(5000)}${"]".repeat(5000)}}}`;
    const answer = await create(deep);
    expect(answer.status).toBe(400);
    expect(await answer.text()).toContain("nested");
    const dashboard = attachDashboard(emulator);
    const url = new URL(dashboard.url);
    const trigger = await fetch(`${url.origin}/_dashboard/api/trigger`, { method: "POST", headers: { "content-type": "application/json", "x-cactus-dashboard-token": url.searchParams.get("token") ?? "" }, body: deep });
    expect(trigger.status).toBe(400);
    dashboard.close();
  });

  it.each([101, 103, 199, 600])("refuses Fail next with status %i (an informational answer would leave requests hanging)", (status) => {
    expect(() => emulator.failNext({ status })).toThrow(CactusConfigError);
    expect(() => emulator.failNext({ status })).toThrow(/200 to 599/);
  });
});

describe("the CLI prints what came from the network with control characters escaped", () => {
  it("escapes C0, DEL and C1 controls, and leaves the rest", () => {
    expect(printable(HOSTILE_TYPE)).toBe("order.\\x1b]0;owned\\x07\\x1b[2K\\rshipped");
    expect(printable("line\nnext\ttab\u007f\u0085é✓")).toBe("line\\nnext\\ttab\\x7f\\x85é✓");
  });

  it("cactus listen's attempt line", () => {
    const summary: EventSummary = { seq: 1, id: "evt_\u001b[31mred", type: HOSTILE_TYPE, created: "", relatedObject: null, outcome: "failed", attemptCount: 1, lastStatus: null, nextRetryAt: null };
    const attempt: DeliveryAttemptRecord = {
      attempt: 1, trigger: "delivery", startedAt: "", latencyMs: 3, succeeded: false, nextRetryAt: null,
      request: { method: "POST", url: "http://127.0.0.1:1/", headers: {}, body: "" }, response: null, error: "reset\u001b[2K",
    };
    const line = describeAttempt(summary, attempt);
    expect(line).not.toMatch(/[\u0000-\u001f\u007f-\u009f]/);
    expect(line).toContain("order.\\x1b]0;owned");
  });
});
