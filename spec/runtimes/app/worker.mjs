// Cloudflare Workers: the module worker, bundled by the test as wrangler would; the secret is a binding.
import { createApp } from "./app.mjs";

let app;

export default {
  fetch(request, env) {
    app ??= createApp(env.CACTUS_WEBHOOK_SECRET);
    return app(request);
  },
};
