// The end-to-end demo on the embedded defaults (`npm run demo`): the local Cactus API emulator on a
// free 127.0.0.1 port, one thin event of every known type plus one of a type this SDK does not know,
// each handled by ActivityHandler (examples/inheritance), a CactusHandler subclass that pulls events and fetches related objects over HTTP.
import "reflect-metadata";
import { CactusClient, cactusEventTypes } from "../lib";
import { CactusEmulator, attachDashboard } from "../lib/emulator";
import { fixtureEventId, UNKNOWN_FIXTURE_TYPE } from "../lib/emulator/fixtures";
import { assertAllExpected, runWebhookDemo } from "./demo-webhooks";
import { ActivityHandler } from "./inheritance/activity-handler";

/** Runs the demo, printing through `log`; resolves with the number of events handled. */
export async function runDemo(log: (line: string) => void = console.log): Promise<number> {
  const emulator = await CactusEmulator.start();
  try {
    const client = new CactusClient({ apiKey: emulator.apiKey, baseUrl: emulator.url });
    const handler = new ActivityHandler(client, (line) => log(`  ${line}`));
    log(`Cactus API emulator listening on ${emulator.url}`);
    log(`Dashboard (while the demo runs): ${attachDashboard(emulator).url}`);
    const types: string[] = [...cactusEventTypes, UNKNOWN_FIXTURE_TYPE];
    for (const type of types) {
      const body = JSON.stringify(emulator.thinEventOf(fixtureEventId(type)));
      log(`-> ${body}`);
      const { handledBy } = await handler.handle(body);
      log(`   handled by ${handledBy}`);
    }
    const calls = emulator.requests.length;
    log(`Handled ${types.length} events with ${calls} API calls.`);
    return types.length;
  } finally {
    await emulator.close();
  }
}

if (require.main === module) {
  // `npm run demo -- --webhooks`: the same events through HTTP and signatures (examples/demo-webhooks.ts).
  // `npm run demo -- --queue`: through a CactusQueue and a worker (examples/queue/demo-queue.ts).
  // `npm run demo -- --store`: on the event store, PGlite in memory (examples/store/demo-store.ts).
  // `npm run demo -- --saga`: the order fulfilment saga on the event store, PGlite (examples/saga/demo-saga.ts).
  const run = process.argv.includes("--saga")
    ? () => import("./saga/demo-saga").then(({ runSagaDemo, assertSagaDemo }) => runSagaDemo().then(assertSagaDemo))
    : process.argv.includes("--store")
    ? () => import("./store/demo-store").then(({ runStoreDemo, assertStoreDemo }) => runStoreDemo().then(assertStoreDemo))
    : process.argv.includes("--queue")
    ? () => import("./queue/demo-queue").then(({ runQueueDemo, assertQueueDemo }) => runQueueDemo().then(assertQueueDemo))
    : process.argv.includes("--webhooks") ? () => runWebhookDemo().then(assertAllExpected) : () => runDemo();
  run().catch((error: unknown) => {
    console.error(error);
    process.exitCode = 1;
  });
}
