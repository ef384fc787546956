import {
  CactusClient,
  CactusHandler,
  CactusHandlerError,
  CactusParseError,
  CactusValidationError,
  UnknownPushedEvent,
  type BaseThinEvent,
  type MovieCompletedPushedEvent,
  type OrderShippedPushedEvent,
} from "../../lib";
import { CactusEmulator } from "../../lib/emulator";

// A handler as a user writes one: overrides two methods and onOther, records what it saw.
class RecordingHandler extends CactusHandler {
  readonly calls: string[] = [];
  failWith: Error | undefined;

  override async onOrderShipped(event: OrderShippedPushedEvent): Promise<void> {
    this.calls.push(`shipped ${event.id}`);
    if (this.failWith) throw this.failWith;
  }
  override async onMovieCompleted(event: MovieCompletedPushedEvent): Promise<void> {
    const full = await event.pull();
    this.calls.push(`completed ${full.data.user} ${full.data.rating}`);
  }
  override async onOther(event: BaseThinEvent): Promise<void> {
    this.calls.push(`other ${event.type} ${event instanceof UnknownPushedEvent ? "unknown" : "known"}`);
  }
}

describe("CactusHandler", () => {
  let emulator: CactusEmulator;
  let handler: RecordingHandler;

  beforeAll(async () => {
    emulator = await CactusEmulator.start();
  });
  afterAll(() => emulator.close());
  beforeEach(() => {
    handler = new RecordingHandler({ apiKey: emulator.apiKey, baseUrl: emulator.url, maxRetries: 0 });
  });

  it("calls exactly the overridden method for its type", async () => {
    const result = await handler.handle(JSON.stringify(emulator.thinEventOf("evt_order_shipped")));
    expect(handler.calls).toEqual(["shipped evt_order_shipped"]);
    expect(result.handledBy).toBe("onOrderShipped");
    expect(result.event.id).toBe("evt_order_shipped");
  });

  it("binds events to its client, so overrides can pull()", async () => {
    await handler.handle(Buffer.from(JSON.stringify(emulator.thinEventOf("evt_movie_completed"))));
    expect(handler.calls).toEqual(["completed ada 4.5"]);
  });

  it("sends known types it does not override, and unknown types, to onOther", async () => {
    const lost = await handler.handle(emulator.thinEventOf("evt_order_lost"));
    const refunded = await handler.handle(emulator.thinEventOf("evt_order_refunded"));
    expect(handler.calls).toEqual(["other order.lost known", "other order.refunded unknown"]);
    expect(lost.handledBy).toBe("onOther");
    expect(refunded.handledBy).toBe("onOther");
  });

  it("rejects a handler failure with the event id, type and cause attached", async () => {
    const boom = new Error("database down");
    handler.failWith = boom;
    const failure = handler.handle(emulator.thinEventOf("evt_order_shipped"));
    await expect(failure).rejects.toBeInstanceOf(CactusHandlerError);
    await expect(failure).rejects.toMatchObject({ eventId: "evt_order_shipped", eventType: "order.shipped", cause: boom });
    await expect(failure).rejects.toThrow(/order.shipped event evt_order_shipped failed: database down/);
  });

  it("dispatches nothing for bad input", async () => {
    await expect(handler.handle("{oops")).rejects.toBeInstanceOf(CactusParseError);
    await expect(handler.handle({ id: "e", type: "order.shipped", related_object: { id: 1, type: "order" } })).rejects.toBeInstanceOf(
      CactusValidationError,
    );
    expect(handler.calls).toEqual([]);
  });

  it("routes runs and mixes of types and handlers alike, and calls a method replaced at run time", async () => {
    // Consecutive events of one type to one handler reuse their route: mixing types, handlers of
    // other classes and a replaced method must still reach the right method each time.
    class ShippedOnly extends CactusHandler {
      readonly seen: string[] = [];
      override async onOrderShipped(event: OrderShippedPushedEvent): Promise<void> {
        this.seen.push(`shipped-only ${event.id}`);
      }
      override async onOther(event: BaseThinEvent): Promise<void> {
        this.seen.push(`shipped-only other ${event.type}`);
      }
    }
    const other = new ShippedOnly(handler.client);
    const shipped = emulator.thinEventOf("evt_order_shipped");
    const lost = emulator.thinEventOf("evt_order_lost");
    const answers = [
      await handler.handle(shipped),
      await handler.handle(shipped),
      await other.handle(shipped),
      await handler.handle(lost),
      await handler.handle(shipped),
      await other.handle(lost),
    ];
    expect(answers.map((answer) => answer.handledBy)).toEqual(["onOrderShipped", "onOrderShipped", "onOrderShipped", "onOther", "onOrderShipped", "onOther"]);
    expect(handler.calls).toEqual(["shipped evt_order_shipped", "shipped evt_order_shipped", "other order.lost known", "shipped evt_order_shipped"]);
    expect(other.seen).toEqual(["shipped-only evt_order_shipped", "shipped-only other order.lost"]);
    const replaced: string[] = [];
    handler.onOrderShipped = async (event) => {
      replaced.push(event.id);
    };
    await handler.handle(shipped);
    expect(replaced).toEqual(["evt_order_shipped"]);
  });

  it("accepts an existing client", async () => {
    const client: CactusClient = handler.client;
    const shared = new RecordingHandler(client);
    expect(shared.client).toBe(client);
  });
});
