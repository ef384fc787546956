import { spawn, type ChildProcess } from "node:child_process";
import { join, resolve } from "node:path";
import { CactusEmulator } from "../../lib/emulator";
import { generateWebhookSecret } from "../../lib/webhooks";
import { webhookRequest } from "../../lib/testing";

// The example app of docs/nestjs.md, run as a user runs it: its own node process (the TypeScript
// sources compiled on the fly), on a free port of 127.0.0.1, against the local Cactus API.
const root = resolve(__dirname, "..", "..");
const register = join(root, "spec", "helpers", "ts-register.js");

interface RunningApp {
  readonly url: string;
  readonly child: ChildProcess;
  readonly output: () => string;
  readonly exited: Promise<{ code: number | null; signal: NodeJS.Signals | null; stderr: string }>;
}

function startExample(platform: "express" | "fastify", env: Record<string, string>): Promise<RunningApp> {
  const child = spawn(process.execPath, ["-r", register, join(root, "examples", "nestjs", "main.ts")], {
    cwd: root,
    env: { ...process.env, ...env, PORT: "0", NEST_PLATFORM: platform },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let stdout = "";
  let stderr = "";
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null; stderr: string }>((done) => {
    child.on("exit", (code, signal) => done({ code, signal, stderr }));
  });
  child.stderr?.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
  return new Promise((resolveStart, rejectStart) => {
    child.stdout?.on("data", (chunk: Buffer) => {
      stdout += chunk.toString();
      const url = /listening on (\S+)/.exec(stdout)?.[1];
      if (url !== undefined) resolveStart({ url, child, output: () => stdout, exited });
    });
    void exited.then(({ code }) => rejectStart(new Error(`the example exited (${String(code)}) before listening: ${stderr}`)));
  });
}

describe.each(["express", "fastify"] as const)("examples/nestjs on %s", (platform) => {
  let emulator: CactusEmulator;
  let app: RunningApp | undefined;
  const secret = generateWebhookSecret();

  beforeAll(async () => {
    emulator = await CactusEmulator.start();
  });
  afterAll(async () => {
    if (app !== undefined && app.child.exitCode === null && app.child.signalCode === null) {
      app.child.kill("SIGKILL");
      await app.exited;
    }
    await emulator.close();
  });

  it("answers a signed delivery through its injected handlers, and shuts down on SIGTERM", async () => {
    app = await startExample(platform, { CACTUS_WEBHOOK_SECRET: secret, CACTUS_API_KEY: emulator.apiKey, CACTUS_API_BASE_URL: emulator.url });
    for (const id of ["evt_order_shipped", "evt_movie_completed"]) {
      const delivery = webhookRequest(JSON.stringify(emulator.thinEventOf(id)), secret, { url: app.url });
      const response = await fetch(delivery.url, { method: "POST", headers: delivery.headers, body: delivery.body });
      expect(response.status).toBe(200);
    }
    const unsigned = await fetch(app.url, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(emulator.thinEventOf("evt_order_lost")) });
    expect(unsigned.status).toBe(401);
    expect(app.output()).toContain("shipped via usps");
    expect(app.output()).toContain(`ada rated "The Prickly Pear" 4.5/5`);
    expect(app.output()).not.toContain("order lost");

    app.child.kill("SIGTERM");
    const { code, signal, stderr } = await app.exited;
    // The one line on stderr is the SDK's warning about the unsigned request.
    expect(stderr.trim().split("\n")).toEqual([expect.stringMatching(/^\[cactus-sdk\] delivery \(no id\) rejected: missing_header: /)]);
    // Nest closes the app, then re-raises the signal it caught.
    expect(code === 0 || signal === "SIGTERM").toBe(true);
  }, 60_000);
});
