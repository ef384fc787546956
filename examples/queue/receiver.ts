// The receiving side: verify each Cactus delivery and store it in Redis (202), nothing more.
// Run as many of these as you like, on any machines, against one Redis.
//   REDIS_URL=redis://127.0.0.1:6379 CACTUS_WEBHOOK_SECRET=whsec_... node dist/examples/queue/receiver.js
import { createServer, type Server } from "node:http";
import { createNodeMiddleware, shutdownOnSignals } from "../../lib";
import { CactusQueue } from "../../lib/bullmq";

/** A node:http server that answers POST /webhooks by queueing the verified event (202), 503 when Redis is down. */
export function createQueueReceiver(queue: CactusQueue, webhookSecret: string): Server {
  return createServer(createNodeMiddleware(queue, { webhookSecret }));
}

if (require.main === module) {
  const queue = new CactusQueue({ connection: process.env["REDIS_URL"] ?? "redis://127.0.0.1:6379" });
  const server = createQueueReceiver(queue, process.env["CACTUS_WEBHOOK_SECRET"] ?? "");
  const port = Number(process.env["PORT"] ?? 3000);
  server.listen(port, () => console.log(`queueing deliveries from http://localhost:${port}/webhooks`));
  // SIGTERM: new deliveries get 503 (Cactus redelivers them), the adds under way finish, then the server closes.
  shutdownOnSignals([queue, { close: () => new Promise((resolve) => server.close(() => resolve(undefined))) }]);
}
