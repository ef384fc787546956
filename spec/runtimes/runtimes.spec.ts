// The packed package, installed into a throwaway project, run for real: Bun (Bun.serve), Deno
// (Deno.serve, no --allow-env) and Cloudflare's workerd through Miniflare, with nodejs_compat on
// an older compatibility date and without nodejs_compat at all. Every runtime comes from an npm
// devDependency; one whose binary cannot run on this machine is skipped with one line (with
// CACTUS_TEST_RUNTIMES=required it fails instead). `npm run test:runtimes`.
import { spawn, type ChildProcess } from "node:child_process";
import { build } from "esbuild";
import { Miniflare } from "miniflare";
import { generateWebhookSecret, signWebhook } from "../../lib/webhooks";
import { describeRuntime, installPackedApp, runtimeBinary, type PackedApp } from "./packed-app";

jest.setTimeout(120_000);

const SECRET = generateWebhookSecret();

interface Answer {
  readonly status: number;
  readonly body: unknown;
}

/** Sends a request to the app running in one runtime. */
type Send = (path: string, init?: { method?: string; headers?: Record<string, string>; body?: string }) => Promise<Answer>;

let app: PackedApp | undefined;

beforeAll(async () => {
  app = await installPackedApp();
}, 300_000);

afterAll(async () => {
  await app?.remove();
});

function packedDir(): string {
  if (app === undefined) throw new Error("the packed app was not installed");
  return app.dir;
}

function delivery(event: Record<string, unknown> & { id: string }): { headers: Record<string, string>; body: string } {
  const body = JSON.stringify(event);
  return { body, headers: { ...signWebhook({ id: event.id, body, webhookSecret: SECRET }) } };
}

/** The four deliveries every runtime must answer the same way, and the sync/async check. */
function deliveries(send: () => Send, expectSync: "works" | "names the async twin"): void {
  it("a signed delivery: 200, and the handler ran", async () => {
    const { headers, body } = delivery({ id: "evt_rt_shipped", type: "order.shipped", related_object: { id: "ord_rt_1", type: "order" } });
    const answer = await send()("/webhooks", { method: "POST", headers, body });
    expect(answer).toEqual({ status: 200, body: { ok: true, id: "evt_rt_shipped", handledBy: "onOrderShipped" } });
    expect((await send()("/seen")).body).toContain("onOrderShipped evt_rt_shipped ord_rt_1");
  });

  it("a tampered body: 401, and no handler ran", async () => {
    const { headers, body } = delivery({ id: "evt_rt_tampered", type: "order.shipped", related_object: { id: "ord_rt_1", type: "order" } });
    const answer = await send()("/webhooks", { method: "POST", headers, body: body.replace("ord_rt_1", "ord_rt_2") });
    expect(answer.status).toBe(401);
    expect(answer.body).toMatchObject({ error: { type: "no_matching_signature" } });
    expect(JSON.stringify((await send()("/seen")).body)).not.toContain("evt_rt_tampered");
  });

  it("an unknown type: onOther", async () => {
    const { headers, body } = delivery({ id: "evt_rt_unknown", type: "order.refunded", related_object: { id: "ord_rt_1", type: "order" } });
    const answer = await send()("/webhooks", { method: "POST", headers, body });
    expect(answer).toEqual({ status: 200, body: { ok: true, id: "evt_rt_unknown", handledBy: "onOther" } });
    expect((await send()("/seen")).body).toContain("onOther evt_rt_unknown order.refunded");
  });

  it("a handler that throws: 500 with the event id", async () => {
    const { headers, body } = delivery({ id: "evt_rt_lost", type: "order.lost" });
    const answer = await send()("/webhooks", { method: "POST", headers, body });
    expect(answer.status).toBe(500);
    expect(JSON.stringify(answer.body)).toContain("evt_rt_lost");
  });

  it("a handler past handlerTimeoutMs: 503, on every delivery (the deadline timer works across requests)", async () => {
    for (const id of ["evt_rt_hang_1", "evt_rt_hang_2", "evt_rt_hang_3"]) {
      // A quick delivery first: its deadline's timer stays armed after its request ended, and the
      // hanging delivery's deadline rides on it.
      const quick = delivery({ id: `${id}_quick`, type: "order.refunded" });
      expect((await send()("/hanging", { method: "POST", ...quick })).status).toBe(200);
      const { headers, body } = delivery({ id, type: "order.shipped", related_object: { id: "ord_rt_1", type: "order" } });
      const answer = await send()("/hanging", { method: "POST", headers, body });
      expect([id, answer.status, answer.body]).toMatchObject([id, 503, { error: { type: "handler_timeout", eventId: id } }]);
    }
  });

  it(`the async twins verify; the sync verifyWebhook ${expectSync}`, async () => {
    const { body } = await send()("/sync");
    if (expectSync === "works") expect(body).toEqual({ asyncId: "evt_sync", syncId: "evt_sync" });
    else {
      expect(body).toMatchObject({ asyncId: "evt_sync", syncError: { name: "CactusRuntimeError", code: "runtime_unsupported" } });
      expect(JSON.stringify(body)).toContain("Use verifyWebhookAsync() instead");
    }
  });
}

/** Starts `command` in the packed app, gives it the secret on stdin, and waits for "listening <port>". */
function startServer(command: string, args: readonly string[]): Promise<{ child: ChildProcess; port: number }> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { cwd: packedDir(), stdio: ["pipe", "pipe", "pipe"], env: { ...process.env, NO_COLOR: "1", DENO_NO_UPDATE_CHECK: "1" } });
    let output = "";
    const onData = (chunk: Buffer): void => {
      output += chunk.toString("utf8");
      const port = /listening (\d+)/.exec(output)?.[1];
      if (port !== undefined) resolve({ child, port: Number(port) });
    };
    child.stdout?.on("data", onData);
    child.stderr?.on("data", (chunk: Buffer) => (output += chunk.toString("utf8")));
    child.once("error", reject);
    child.once("exit", (code) => reject(new Error(`${command} exited (${String(code)}) before listening:\n${output}`)));
    child.stdin?.end(`${SECRET}\n`);
  });
}

// An answer that is not JSON (a runtime's own error page) is kept as text, for the failure message.
function jsonOrText(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return { text: text.slice(0, 500) };
  }
}

function httpSend(port: () => number): Send {
  return async (path, init = {}) => {
    const response = await fetch(`http://127.0.0.1:${port()}${path}`, init);
    return { status: response.status, body: jsonOrText(await response.text()) };
  };
}

function describeServer(title: string, binary: ReturnType<typeof runtimeBinary>, args: readonly string[]): void {
  describeRuntime(title, binary, (path) => {
    let server: { child: ChildProcess; port: number } | undefined;
    beforeAll(async () => {
      server = await startServer(path, args);
    });
    afterAll(() => {
      server?.child.kill();
    });
    deliveries(() => httpSend(() => server?.port ?? 0), "works");
  });
}

describeServer("Bun (Bun.serve)", runtimeBinary("bun"), ["bun-server.mjs"]);
describeServer("Deno (Deno.serve, --allow-net only)", runtimeBinary("deno"), ["run", "--allow-net=127.0.0.1", "deno-server.mjs"]);

// workerd: the worker is bundled as wrangler does (esbuild, workerd/worker/browser conditions).
function describeWorkerd(title: string, compatibilityFlags: readonly string[], expectSync: "works" | "names the async twin"): void {
  describeRuntime(title, runtimeBinary("workerd"), () => {
    let miniflare: Miniflare | undefined;
    beforeAll(async () => {
      const bundle = await build({
        absWorkingDir: packedDir(),
        entryPoints: ["worker.mjs"],
        bundle: true,
        format: "esm",
        platform: "browser",
        conditions: ["workerd", "worker", "browser"],
        // With nodejs_compat the runtime provides node: modules; without it nothing may need one.
        external: compatibilityFlags.includes("nodejs_compat") ? ["node:*"] : [],
        write: false,
        logLevel: "silent",
      });
      const script = bundle.outputFiles[0]?.text ?? "";
      miniflare = new Miniflare({ modules: true, script, compatibilityDate: "2025-06-01", compatibilityFlags: [...compatibilityFlags], bindings: { CACTUS_WEBHOOK_SECRET: SECRET } });
      await miniflare.ready;
    });
    afterAll(async () => {
      await miniflare?.dispose();
    });
    const send: Send = async (path, init = {}) => {
      if (miniflare === undefined) throw new Error("workerd did not start");
      const response = await miniflare.dispatchFetch(`http://localhost${path}`, init);
      return { status: response.status, body: jsonOrText(await response.text()) };
    };
    deliveries(() => send, expectSync);
  });
}

describeWorkerd("workerd with nodejs_compat (compatibility date 2025-06-01)", ["nodejs_compat"], "works");
describeWorkerd("workerd without nodejs_compat", [], "names the async twin");
