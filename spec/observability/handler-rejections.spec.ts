import { execFile } from "node:child_process";
import { join, resolve } from "node:path";

// A handler that starts work without awaiting it, which then rejects: with the event context on,
// the SDK logs the rejection with the event's id and type, then Node's default goes on (a crash).
// Run in a fresh node process: the behaviour under test is the process's own.
const root = resolve(__dirname, "..", "..");
const register = join(root, "spec", "helpers", "ts-register.js");

function program(extra: string): string {
  return `
    const { CactusClient, CactusHandler } = require(${JSON.stringify(join(root, "lib"))});
    class Shipping extends CactusHandler {
      async onOrderShipped(event) {
        void new Promise((resolve) => setTimeout(resolve, 20)).then(() => { throw new Error("could not email the customer"); });
      }
      async onOther() {}
    }
    ${extra}
    const handler = new Shipping(new CactusClient({ apiKey: "sk_test_x", baseUrl: "http://127.0.0.1:9" }), { eventContext: true });
    handler.handle(JSON.stringify({ id: "evt_floating", type: "order.shipped", related_object: { id: "ord_1", type: "order" } }))
      .then((result) => console.log("answered", result.outcome));
    setTimeout(() => console.log("still running"), 300);
  `;
}

function run(source: string): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((done) => {
    execFile(process.execPath, ["-r", register, "-e", source], { cwd: root, timeout: 60_000 }, (error, stdout, stderr) => {
      done({ code: error ? (typeof error.code === "number" ? error.code : 1) : 0, stdout, stderr });
    });
  });
}

describe("an unhandled rejection from work a handler did not await (event context on)", () => {
  it("is logged with the event id and type, then crashes the process as Node would", async () => {
    const { code, stdout, stderr } = await run(program(""));
    expect(stdout).toContain("answered handled");
    expect(stdout).not.toContain("still running");
    expect(stderr).toMatch(/\[cactus-sdk\] unhandled rejection from work started by the handler of order\.shipped evt_floating: .*missing await/);
    expect(stderr).toContain("Error: could not email the customer");
    expect(stderr.indexOf("[cactus-sdk] unhandled rejection")).toBeLessThan(stderr.lastIndexOf("could not email the customer"));
    expect(code).toBe(1);
  }, 90_000);

  it("leaves the decision to the app's own unhandledRejection listener when it has one", async () => {
    const { code, stdout, stderr } = await run(program(`process.on("unhandledRejection", (reason) => console.log("app saw", reason.message));`));
    expect(stderr).toMatch(/unhandled rejection from work started by the handler of order\.shipped evt_floating/);
    expect(stdout).toContain("app saw could not email the customer");
    expect(stdout).toContain("still running");
    expect(code).toBe(0);
  }, 90_000);
});
