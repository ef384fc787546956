import { CactusHandler, CactusHandlerError, type BaseThinEvent, type OrderShippedPushedEvent } from "../../lib";
import { CactusFloatingWorkError, createPushedEvent, handleAndSettle, startEmulator, type StartedEmulator } from "../../lib/testing";

// A forgotten await acknowledges the event before its work is done; handleAndSettle fails the test.
describe("handleAndSettle", () => {
  let api: StartedEmulator;
  beforeAll(async () => {
    api = await startEmulator();
  });
  afterAll(() => api.stop());

  class Shipping extends CactusHandler {
    constructor(private readonly work: (event: OrderShippedPushedEvent) => Promise<void>) {
      super(api.client);
    }
    override async onOrderShipped(event: OrderShippedPushedEvent): Promise<void> {
      await this.work(event);
    }
    override async onOther(event: BaseThinEvent): Promise<void> {
      void event;
    }
  }
  const shipped = (): OrderShippedPushedEvent => api.createPushedEvent("order.shipped");

  it("resolves with the result when the handler awaited everything it started", async () => {
    const seen: string[] = [];
    const handler = new Shipping(async (event) => {
      const full = await event.pull();
      seen.push(full.data.shippingService);
    });
    await expect(handleAndSettle(handler, shipped())).resolves.toMatchObject({ outcome: "handled", handledBy: "onOrderShipped" });
    expect(seen).toHaveLength(1);
  });

  it("fails on a promise the handler did not await that then rejects, naming where it was created", async () => {
    const handler = new Shipping(async (event) => {
      // The bug: no await, so the delivery is answered before pull() and the throw.
      void event.pull().then(() => {
        throw new Error("could not notify the customer");
      });
    });
    const error = await handleAndSettle(handler, shipped(), { settleMs: 200 }).then(
      () => undefined,
      (thrown: unknown) => thrown,
    );
    expect(error).toBeInstanceOf(CactusFloatingWorkError);
    const floating = error as CactusFloatingWorkError;
    expect(floating.code).toBe("floating_work");
    expect(floating.eventType).toBe("order.shipped");
    expect(floating.work.some((item) => item.state === "rejected" && String(item.reason).includes("could not notify"))).toBe(true);
    expect(floating.work[0]?.createdAt).toMatch(/handle-and-settle\.spec\.ts:\d+/);
    expect(floating.message).toMatch(/Did you forget an await\?/);
  });

  it("fails on work still running after the settle time", async () => {
    const handler = new Shipping(async () => {
      void new Promise((resolve) => setTimeout(resolve, 1_000));
    });
    await expect(handleAndSettle(handler, shipped(), { settleMs: 20 })).rejects.toMatchObject({
      code: "floating_work",
      work: [expect.objectContaining({ state: "pending", createdAt: expect.stringMatching(/handle-and-settle\.spec\.ts/) })],
    });
  });

  it("passes the handler's own failure through", async () => {
    const handler = new Shipping(async () => {
      throw new Error("boom");
    });
    await expect(handleAndSettle(handler, shipped())).rejects.toBeInstanceOf(CactusHandlerError);
  });

  it("does not count the promises of other work running at the same time", async () => {
    const elsewhere = new Promise((resolve) => setTimeout(resolve, 300));
    const handler = new Shipping(async (event) => void (await event.fetchRelatedObject()));
    await expect(handleAndSettle(handler, createPushedEvent("order.shipped", { client: api.client }))).resolves.toMatchObject({ outcome: "handled" });
    await elsewhere;
  });
});
