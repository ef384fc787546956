// Bun: Bun.serve on a free port of 127.0.0.1; the secret comes on stdin's first line.
import { createApp } from "./app.mjs";

const secret = (await new Response(Bun.stdin.stream()).text()).trim();
const server = Bun.serve({ hostname: "127.0.0.1", port: 0, fetch: createApp(secret) });
console.log(`listening ${server.port}`);
