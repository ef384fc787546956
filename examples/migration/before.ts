// @ts-nocheck -- on purpose. This is the webhook handler as a user wrote it on the deprecated v1
// parser, and every bug in it is one the editor was already underlining (or could not see). It
// is kept out of the strict type check: tsconfig.json excludes it from `tsc`, and this directive
// lets ts-jest (which type-checks each file it loads) load it anyway, so that
// spec/examples/migration.spec.ts can run it against the emulator and show each bug failing the
// way its comment says. Do not copy it: after.ts is the fixed version, and
// docs/migrating-from-v1.md walks from one to the other.
import type {
  CactusClient,
  OrderDeliveryAttemptedPushedEvent,
  OrderLostPushedEvent,
  OrderShippedEvent,
} from "../../lib";

/** Handles one webhook body, printing one line per event with `log`. Broken; see after.ts. */
export async function handleEvent(client: CactusClient, log: (line: string) => void, body: string | Buffer): Promise<void> {
  // Editor: The signature '(body: EventBody): GenericThinEvent' of 'client.parseEventV1' is
  // deprecated. ts(6387) -- struck through, and ignored.
  const event = client.parseEventV1(body);

  if (event.type === "order.shipped") {
    // Editor: 'event.relatedObject' is possibly 'null' or 'undefined'. ts(18049) -- true for
    // order.lost, harmless here, ignored along with the rest.
    const order = await client.retrieveOrder(event.relatedObject.id);
    // BUG 1: a pushed (thin) event has no `data`; only the pulled event does. The double cast
    // silences the compiler, not the run time:
    //   TypeError: Cannot read properties of undefined (reading 'shippingService')
    const shipped = event as unknown as OrderShippedEvent;
    log(`${event.type}: order ${order.id} (${order.numItems} items) shipped with ${shipped.data.shippingService}`);
  } else if (event.type === "order.delivery_attempted") {
    // BUG 2: parseEventV1 returns a GenericThinEvent, which has no pull(); the cast claims
    // otherwise:
    //   TypeError: attempt.pull is not a function
    const attempt = event as unknown as OrderDeliveryAttemptedPushedEvent;
    const { data } = await attempt.pull();
    const outcome = data.success ? "delivered" : "failed";
    log(`${event.type}: attempt #${data.attemptNum} at ${data.deliveryLocation} ${outcome} for order ${event.relatedObject.id}`);
  } else if (event.type === "order.lost") {
    // BUG 3: order.lost has no related object, so there is nothing to fetch.
    // Editor: Property 'fetchRelatedObject' does not exist on type 'OrderLostPushedEvent'. ts(2551)
    //   TypeError: lost.fetchRelatedObject is not a function
    const lost = event as unknown as OrderLostPushedEvent;
    const order = await lost.fetchRelatedObject();
    log(`${event.type}: order ${order.id} lost`);
  } else if (event.type === "movie.start") {
    // BUG 4: the type is "movie.started". On v1 `type` is a plain string, so no tool can tell;
    // this branch never runs and every movie.started event falls into the `else` below:
    //   Error: Unhandled event type: movie.started
    const movie = await client.retrieveMovie(event.relatedObject.id);
    log(`${event.type}: "${movie.title}" started`);
  } else {
    // BUG 5: throwing on a type this code does not handle makes the webhook answer 500, and
    // Cactus redelivers the event for days. It hits movie.completed (no branch yet) and every
    // type Cactus adds later (here order.refunded):
    //   Error: Unhandled event type: movie.completed
    //   Error: Unhandled event type: order.refunded
    throw new Error(`Unhandled event type: ${event.type}`);
  }
}
