// node:http: the middleware is the whole request listener.
//   CACTUS_WEBHOOK_SECRET=whsec_... node dist/examples/webhooks/node-http.js
import { createServer, type Server } from "node:http";
import { createNodeMiddleware, type WebhookReceiver } from "../../lib";
import { exampleEnv, ExampleHandler } from "./example-handler";

/** A node:http server that answers Cactus deliveries on POST /webhooks (404 elsewhere). */
export function createNodeHttpServer(handler: WebhookReceiver, secret: string): Server {
  return createServer(createNodeMiddleware(handler, { webhookSecret: secret }));
}

if (require.main === module) {
  const { client, secret, port } = exampleEnv();
  createNodeHttpServer(new ExampleHandler(client), secret).listen(port, () => console.log(`listening on http://localhost:${port}/webhooks`));
}
