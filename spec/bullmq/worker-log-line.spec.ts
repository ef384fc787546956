import type { IdempotencyStore } from "../../lib/delivery/idempotency-store";
import { ControlledHandler, shipped } from "../delivery/controlled-handler";

// A store whose commit fails, as during a Redis failover between the handler's effect and its record.
const failingCommit: IdempotencyStore = {
  claim: async () => ({ status: "claimed", token: "t1" }),
  commit: async () => {
    throw new Error("CLUSTERDOWN The cluster is down");
  },
  release: async () => undefined,
};

function capturingLogger(): { lines: string[]; logger: ConstructorParameters<typeof ControlledHandler>[0] & object } {
  const lines: string[] = [];
  const none = (): void => undefined;
  return { lines, logger: { logger: { debug: none, info: none, warn: none, error: (_fields, message) => lines.push(message) } } };
}

describe("the line logged when a success cannot be recorded", () => {
  it("in a queue worker (a delivery with an attempt), says which job attempt, and no answer", async () => {
    const { lines, logger } = capturingLogger();
    const handler = new ControlledHandler(logger);
    await handler.receive(shipped("evt_w1"), { attempt: 2, maxAttempts: 5, idempotency: failingCommit });
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(/^queue job attempt 2, after the handler ran \(a worker answers nobody\): The idempotency store could not record event evt_w1 as done/);
    expect(lines[0]).not.toContain("answer (500)");
  });

  it("in a direct delivery, says it came after the answer", async () => {
    const { lines, logger } = capturingLogger();
    const handler = new ControlledHandler(logger);
    await handler.receive(shipped("evt_w2"), { idempotency: failingCommit });
    expect(lines).toEqual([expect.stringMatching(/^failure after the answer \(500\): The idempotency store could not record event evt_w2 as done/)]);
  });
});
