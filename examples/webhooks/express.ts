// Express 4 or 5: mount the middleware BEFORE express.json(). The signature covers the raw bytes,
// and express.json() would consume and re-shape them (the middleware answers 500 saying so).
// Any mounting works: app.use(mw) answers /webhooks; app.use("/hooks/cactus", mw) or
// app.post("/hooks/cactus", mw) answer /hooks/cactus.
//   CACTUS_WEBHOOK_SECRET=whsec_... node dist/examples/webhooks/express.js
import express, { type Express } from "express";
import { createNodeMiddleware, type WebhookReceiver } from "../../lib";
import { exampleEnv, ExampleHandler } from "./example-handler";

/** An Express app with the Cactus endpoint at POST /webhooks and a JSON API next to it. */
export function createExpressApp(handler: WebhookReceiver, secret: string): Express {
  const app = express();
  app.use(createNodeMiddleware(handler, { webhookSecret: secret })); // other paths fall through via next()
  app.use(express.json()); // the rest of your app may parse JSON as usual
  app.post("/api/echo", (req, res) => {
    res.json({ received: req.body });
  });
  return app;
}

if (require.main === module) {
  const { client, secret, port } = exampleEnv();
  createExpressApp(new ExampleHandler(client), secret).listen(port, () => console.log(`listening on http://localhost:${port}/webhooks`));
}
