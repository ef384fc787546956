// P3's servers, one per child process (started by bench/http.ts): `bare` answers 200 to anything,
// `cactus` is createNodeMiddleware with a CactusHandler, `octokit` is @octokit/webhooks' Node
// middleware. Each listens on 127.0.0.1, port 0, and prints its port as one JSON line.
import { createServer, type RequestListener } from "node:http";
import { CactusHandler, createNodeMiddleware, type BaseThinEvent } from "../lib";
import { benchClient, touch } from "./parse.bench";
import { loadOctokit } from "./webhooks.bench";

class HttpHandler extends CactusHandler {
  override async onOrderShipped(event: BaseThinEvent): Promise<void> {
    touch(event);
  }
  override async onOther(event: BaseThinEvent): Promise<void> {
    touch(event);
  }
}

async function listener(kind: string, secret: string): Promise<RequestListener> {
  switch (kind) {
    case "bare":
      return (req, res) => {
        req.resume();
        req.on("end", () => {
          res.writeHead(200, { "content-type": "application/json" });
          res.end('{"ok":true}');
        });
      };
    case "cactus":
      return createNodeMiddleware(new HttpHandler(benchClient), { secret, path: "/webhooks" }) as RequestListener;
    case "octokit": {
      const { Webhooks, createNodeMiddleware: octokitMiddleware } = await loadOctokit();
      const webhooks = new Webhooks({ secret });
      webhooks.on("ping", (event) => touch(event as unknown as BaseThinEvent));
      return octokitMiddleware(webhooks, { path: "/api/github/webhooks" }) as RequestListener;
    }
    default:
      throw new Error(`unknown server kind ${kind}`);
  }
}

async function main(): Promise<void> {
  const [kind = "bare"] = process.argv.slice(2);
  const handle = await listener(kind, process.env.BENCH_SECRET ?? "");
  // The parent asks for this process's CPU time (user + system, microseconds) before and after a
  // measured run, by a GET to /__cpu (answered here, outside the measured handler).
  const server = createServer((req, res) => {
    if (req.method === "GET" && req.url === "/__cpu") {
      const { user, system } = process.cpuUsage();
      res.writeHead(200, { "content-type": "application/json" });
      res.end(JSON.stringify({ micros: user + system }));
      return;
    }
    void handle(req, res);
  });
  server.keepAliveTimeout = 60_000;
  server.listen(0, "127.0.0.1", () => {
    const address = server.address();
    process.stdout.write(`${JSON.stringify({ port: typeof address === "object" && address ? address.port : 0 })}\n`);
  });
  process.on("SIGTERM", () => server.close(() => process.exit(0)));
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
