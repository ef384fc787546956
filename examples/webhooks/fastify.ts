// Fastify 5: its JSON parser would consume the body before the signature is checked. In a scope
// of its own, replace the parsers with one that leaves the stream unread, then hand the raw
// request to the middleware (which streams it with its own size limit and timeout).
//   CACTUS_WEBHOOK_SECRET=whsec_... node dist/examples/webhooks/fastify.js
import Fastify, { type FastifyInstance } from "fastify";
import { createNodeMiddleware, type WebhookReceiver } from "../../lib";
import { exampleEnv, ExampleHandler } from "./example-handler";

/** A Fastify app with the Cactus endpoint at /webhooks and a JSON API next to it. */
export function createFastifyApp(handler: WebhookReceiver, secret: string): FastifyInstance {
  const app = Fastify();
  const webhooks = createNodeMiddleware(handler, { webhookSecret: secret });
  app.register(async (scope) => {
    scope.removeAllContentTypeParsers();
    // Leave the body unread: createNodeMiddleware reads the raw bytes itself.
    scope.addContentTypeParser("*", (_request, _payload, done) => done(null));
    scope.all("/webhooks", async (request, reply) => {
      reply.hijack(); // the middleware writes the response
      await webhooks(request.raw, reply.raw);
    });
  });
  app.post("/api/echo", async (request) => ({ received: request.body })); // JSON parsing as usual here
  return app;
}

if (require.main === module) {
  const { client, secret, port } = exampleEnv();
  const app = createFastifyApp(new ExampleHandler(client), secret);
  app.listen({ port }).then((address) => console.log(`listening on ${address}/webhooks`));
}
