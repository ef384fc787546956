// Deno: Deno.serve on a free port of 127.0.0.1, run with --allow-net only (no --allow-env); the
// secret comes on stdin's first line.
import { createApp } from "./app.mjs";

const secret = (await new Response(Deno.stdin.readable).text()).trim();
Deno.serve({ hostname: "127.0.0.1", port: 0, onListen: ({ port }) => console.log(`listening ${port}`) }, createApp(secret));
