// The end-to-end demo through HTTP and signatures (`npm run demo:webhooks`): the Cactus API
// emulator, a node:http server with createNodeMiddleware around ActivityHandler, and one signed
// delivery of every known type plus one of a type this SDK does not know (order.refunded), then a
// redelivery of an event already handled (answered as a duplicate: nothing runs twice, thanks to
// the in-memory idempotency store) and one forged delivery that must be refused.
import "reflect-metadata";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { CactusClient, cactusEventTypes, createNodeMiddleware, MemoryIdempotencyStore } from "../lib";
import { generateWebhookSecret, signWebhook } from "../lib/webhooks";
import { CactusEmulator } from "../lib/emulator";
import { fixtureEventId, UNKNOWN_FIXTURE_TYPE } from "../lib/emulator/fixtures";
import { ActivityHandler } from "./inheritance/activity-handler";

/** Runs the demo, printing through `log`; resolves with the number of deliveries that got the expected status. */
export async function runWebhookDemo(log: (line: string) => void = console.log): Promise<{ expected: number; total: number }> {
  const emulator = await CactusEmulator.start();
  const secret = generateWebhookSecret();
  const client = new CactusClient({ apiKey: emulator.apiKey, baseUrl: emulator.url });
  const handler = new ActivityHandler(client, (line) => log(`    ${line}`), { idempotency: new MemoryIdempotencyStore() });
  const server = createServer(createNodeMiddleware(handler, { webhookSecret: secret }));
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const endpoint = `http://127.0.0.1:${portOf(server.address())}/webhooks`;
  log(`Cactus API emulator on ${emulator.url}; webhook endpoint ${endpoint}`);
  let expected = 0;
  const types: string[] = [...cactusEventTypes, UNKNOWN_FIXTURE_TYPE];
  try {
    for (const type of types) {
      const body = JSON.stringify(emulator.thinEventOf(fixtureEventId(type)));
      const status = await post(endpoint, body, signWebhook({ id: fixtureEventId(type), body, webhookSecret: secret }), log);
      if (status === 200) expected += 1;
    }
    log("Cactus redelivers an event that was already handled:");
    const again = JSON.stringify(emulator.thinEventOf(fixtureEventId("movie.completed")));
    const redelivered = await postAndRead(endpoint, again, signWebhook({ id: fixtureEventId("movie.completed"), body: again, webhookSecret: secret }), log);
    if (redelivered.status === 200 && redelivered.text.includes('"duplicate":true')) expected += 1;
    log("A forged delivery (signed with another secret):");
    const body = JSON.stringify(emulator.thinEventOf(fixtureEventId("order.shipped")));
    const forged = signWebhook({ id: fixtureEventId("order.shipped"), body, webhookSecret: generateWebhookSecret() });
    if ((await post(endpoint, body, forged, log)) === 401) expected += 1;
  } finally {
    await new Promise<void>((resolve) => server.close(() => resolve()));
    server.closeAllConnections();
    await emulator.close();
  }
  const total = types.length + 2;
  log(`${expected} of ${total} deliveries answered as expected.`);
  return { expected, total };
}

async function post(endpoint: string, body: string, headers: Record<string, string>, log: (line: string) => void): Promise<number> {
  const { status } = await postAndRead(endpoint, body, headers, log);
  return status;
}

async function postAndRead(endpoint: string, body: string, headers: Record<string, string>, log: (line: string) => void): Promise<{ status: number; text: string }> {
  log(`-> POST ${body}`);
  const response = await fetch(endpoint, { method: "POST", headers, body });
  const text = await response.text();
  log(`   ${response.status} ${text}`);
  return { status: response.status, text };
}

function portOf(address: string | AddressInfo | null): number {
  return typeof address === "object" && address !== null ? address.port : 0;
}

/** Fails the run when a delivery was not answered as expected. */
export function assertAllExpected({ expected, total }: { expected: number; total: number }): void {
  if (expected !== total) throw new Error(`${total - expected} of ${total} deliveries were not answered as expected`);
}

if (require.main === module) {
  runWebhookDemo()
    .then(assertAllExpected)
    .catch((error: unknown) => {
      console.error(error);
      process.exitCode = 1;
    });
}
