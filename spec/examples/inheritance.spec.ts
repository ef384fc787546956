// examples/inheritance tested the way a user tests their own handler: a client pointed at the
// emulator, events created as each test needs them, assertions on what the handler did.
import { CactusClient, CactusHandlerError, CactusNotFoundError, type EventBody } from "../../lib";
import { CactusEmulator } from "../../lib/emulator";
import { ActivityHandler } from "../../examples/inheritance/activity-handler";
import { UNKNOWN_TYPE } from "../helpers/emulator";

describe("ActivityHandler", () => {
  let emulator: CactusEmulator;
  let lines: string[];
  let handler: ActivityHandler;
  const thin = (id: string): EventBody => JSON.stringify(emulator.thinEventOf(id));

  beforeAll(async () => {
    emulator = await CactusEmulator.start();
  });
  afterAll(() => emulator.close());
  beforeEach(() => {
    lines = [];
    handler = new ActivityHandler({ apiKey: emulator.apiKey, baseUrl: emulator.url, maxRetries: 0 }, (line) => lines.push(line));
  });

  it("prints a successful delivery from the event's own data", async () => {
    const event = emulator.createEvent("order.delivery_attempted", { data: { success: true, attempt_num: 2, delivery_location: "back porch" } });
    const result = await handler.handle(thin(event.id));
    expect(lines).toEqual(["order.delivery_attempted: attempt #2 at back porch delivered for order ord_456"]);
    expect(result.handledBy).toBe("onOrderDeliveryAttempted");
  });

  it("prints the rating (pulled data) and the title (related movie)", async () => {
    emulator.addMovie({ id: "mov_42", title: "Needles and Pins", release_year: 2023 });
    const event = emulator.createEvent("movie.completed", { data: { user: "lin", rating: 0 }, related_object: { id: "mov_42", type: "movie" } });
    await handler.handle(thin(event.id));
    expect(lines).toEqual([`movie.completed: lin rated "Needles and Pins" 0/5`]);
  });

  it("notes a type newer than the SDK instead of failing", async () => {
    const event = emulator.createEvent(UNKNOWN_TYPE);
    const result = await handler.handle(thin(event.id));
    expect(lines).toEqual([`${UNKNOWN_TYPE}: not a type this handler knows; kept for later (event ${event.id})`]);
    expect(result.handledBy).toBe("onOther");
  });

  it("rejects when the API cannot give the related object, so Cactus redelivers", async () => {
    const event = emulator.createEvent("order.shipped", { related_object: { id: "ord_missing", type: "order" } });
    const failure = handler.handle(thin(event.id));
    await expect(failure).rejects.toBeInstanceOf(CactusHandlerError);
    await expect(failure).rejects.toMatchObject({ eventId: event.id, eventType: "order.shipped", cause: expect.any(CactusNotFoundError) });
    expect(lines).toEqual([]);
  });

  it("can be tested one method at a time", async () => {
    const event = new CactusClient({ apiKey: emulator.apiKey, baseUrl: emulator.url }).parseEventV2(thin("evt_order_lost"));
    if (!event.known || event.type !== "order.lost") throw new Error(`parsed as ${event.type}`);
    await handler.onOrderLost(event);
    expect(lines).toEqual(["order.lost: parcel lost, last seen in Tucson"]);
  });
});
