// The README's quick start, compiled by `npm test` and run against the emulator in
// spec/examples/quick-start.spec.ts, so the README cannot drift from what works.
import {
  CactusClient, CactusHandler,
  type BaseThinEvent, type MovieCompletedPushedEvent, type OrderLostPushedEvent,
} from "../lib";

export class MyHandler extends CactusHandler {
  override async onMovieCompleted(event: MovieCompletedPushedEvent) {
    // The rating is on the pulled event's data; the title is on the related object.
    const [full, movie] = await Promise.all([event.pull(), event.fetchRelatedObject()]);
    console.log(`${full.data.user} rated "${movie.title}" ${full.data.rating}/5`);
  }

  override async onOrderLost(event: OrderLostPushedEvent) {
    const { data } = await event.pull(); // order.lost has no related object: no fetchRelatedObject()
    console.log(`lost near ${data.lastSeenCity}`);
  }

  // Everything else: known types you did not override, and types newer than this SDK.
  override async onOther(event: BaseThinEvent) {
    console.log(`not handled: ${event.type} ${event.id}`);
  }
}

/** Handles one webhook body with {@link MyHandler}. */
export async function quickStart(rawBody: string | Buffer, apiKey: string): Promise<void> {
  const handler = new MyHandler(new CactusClient({ apiKey }));
  await handler.handle(rawBody); // string, Buffer/Uint8Array, or an already-parsed object
}
