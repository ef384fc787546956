// Hono: the Fetch handler takes the raw Request (c.req.raw). Do not call c.req.json() first.
// Runs anywhere Hono runs (Bun, Deno, Node); here it is served on node:http by ./serve-fetch.
//   CACTUS_WEBHOOK_SECRET=whsec_... node dist/examples/webhooks/hono.js
import { Hono } from "hono";
import { createFetchHandler, type WebhookReceiver } from "../../lib";
import { exampleEnv, ExampleHandler } from "./example-handler";
import { serveFetch } from "./serve-fetch";

/** A Hono app with the Cactus endpoint at /webhooks. */
export function createHonoApp(handler: WebhookReceiver, secret: string): Hono {
  const webhooks = createFetchHandler(handler, { webhookSecret: secret });
  const app = new Hono();
  app.all("/webhooks", (c) => webhooks(c.req.raw)); // all, not post: a GET gets the table's 405
  app.get("/health", (c) => c.text("fine"));
  return app;
}

if (require.main === module) {
  const { client, secret, port } = exampleEnv();
  const app = createHonoApp(new ExampleHandler(client), secret);
  serveFetch((request) => app.fetch(request)).listen(port, () => console.log(`listening on http://localhost:${port}/webhooks`));
}
