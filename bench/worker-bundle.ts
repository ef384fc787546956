// What a Cloudflare Worker that verifies and dispatches CactusEvents costs: esbuild bundles a
// minimal Worker (a CactusHandler subclass behind createFetchHandler) from the built package, as
// wrangler does (ESM, workerd/worker/browser conditions, minified), and prints its size minified
// and gzipped, which packages it is made of, and the same for the peers' smallest verifying
// Workers (stripe, @octokit/webhooks, standardwebhooks). `npm run bench:bundle`.
import { mkdtempSync, mkdirSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { gzipSync } from "node:zlib";
import { build, type Metafile } from "esbuild";

const repo = join(__dirname, "..", "..");

/** Stripe's Worker build is the target: a Worker on cactus-sdk must stay below it, minified. */
export const STRIPE_WORKER_TARGET_BYTES = 244 * 1024;

const WORKERS: Record<string, string> = {
  "cactus-sdk": `
    import { CactusClient, CactusHandler, createFetchHandler } from "cactus-sdk";
    class Orders extends CactusHandler {
      async onOrderShipped(event) { console.log("shipped", event.relatedObject.id); }
      async onOther(event) { console.log("other", event.type); }
    }
    let webhooks;
    export default {
      fetch(request, env) {
        webhooks ??= createFetchHandler(new Orders(new CactusClient({ apiKey: env.CACTUS_API_KEY })), { webhookSecret: env.CACTUS_WEBHOOK_SECRET });
        return webhooks(request);
      },
    };`,
  stripe: `
    import Stripe from "stripe";
    export default {
      async fetch(request, env) {
        const stripe = new Stripe(env.STRIPE_KEY);
        const event = await stripe.webhooks.constructEventAsync(await request.text(), request.headers.get("stripe-signature"), env.SECRET, undefined, Stripe.createSubtleCryptoProvider());
        if (event.type === "charge.succeeded") console.log("charge", event.id); else console.log("other", event.type);
        return new Response("ok");
      },
    };`,
  "@octokit/webhooks": `
    import { Webhooks } from "@octokit/webhooks";
    export default {
      async fetch(request, env) {
        const webhooks = new Webhooks({ secret: env.SECRET });
        webhooks.on("issues.opened", ({ payload }) => console.log("opened", payload.issue.number));
        webhooks.onAny(({ name }) => console.log("other", name));
        await webhooks.verifyAndReceive({ id: request.headers.get("x-github-delivery"), name: request.headers.get("x-github-event"), signature: request.headers.get("x-hub-signature-256"), payload: await request.text() });
        return new Response("ok");
      },
    };`,
  standardwebhooks: `
    import { Webhook } from "standardwebhooks";
    export default {
      async fetch(request, env) {
        const event = new Webhook(env.SECRET).verify(await request.text(), Object.fromEntries(request.headers));
        if (event.type === "order.shipped") console.log("shipped", event.id); else console.log("other", event.type);
        return new Response("ok");
      },
    };`,
};

/** One bundled Worker's size. */
export interface BundleSize {
  readonly name: string;
  readonly minified: number;
  readonly gzipped: number;
  /** Bytes in the output per package (the app itself as "(worker)"). */
  readonly packages: Readonly<Record<string, number>>;
}

function packageOf(input: string): string {
  const at = input.lastIndexOf("node_modules/");
  if (at < 0) return input.startsWith("worker") ? "(worker)" : "cactus-sdk";
  const [scope, name] = input.slice(at + "node_modules/".length).split("/");
  return scope?.startsWith("@") ? `${scope}/${name}` : (scope ?? input);
}

function byPackage(metafile: Metafile): Record<string, number> {
  const sizes: Record<string, number> = {};
  for (const output of Object.values(metafile.outputs)) {
    for (const [input, { bytesInOutput }] of Object.entries(output.inputs)) {
      const name = packageOf(input);
      sizes[name] = (sizes[name] ?? 0) + bytesInOutput;
    }
  }
  return sizes;
}

// For comparison: the same Worker on the CommonJS build (and CommonJS dependencies), as a bundler
// that only knows "require" and "main" sees the package; nothing of it can be tree-shaken.
const COMMONJS_WORKER = WORKERS["cactus-sdk"]?.replace('import { CactusClient, CactusHandler, createFetchHandler } from "cactus-sdk";', 'const { CactusClient, CactusHandler, createFetchHandler } = require("cactus-sdk");') ?? "";

async function bundle(dir: string, name: string, source: string, commonJs = false): Promise<BundleSize> {
  const entry = `worker-${name.replace(/[^a-z]/g, "")}.mjs`;
  writeFileSync(join(dir, entry), source);
  const result = await build({
    absWorkingDir: dir,
    entryPoints: [entry],
    bundle: true,
    minify: true,
    format: "esm",
    ...(commonJs ? { platform: "neutral", mainFields: ["main"], conditions: [] } : { platform: "browser", conditions: ["workerd", "worker", "browser"] }),
    // As wrangler does with nodejs_compat; none of the four Workers should need one.
    external: ["node:*"],
    metafile: true,
    write: false,
    logLevel: "silent",
  });
  const code = result.outputFiles[0]?.contents ?? new Uint8Array(0);
  return { name, minified: code.byteLength, gzipped: gzipSync(code, { level: 9 }).byteLength, packages: byPackage(result.metafile) };
}

const kb = (bytes: number): string => `${(bytes / 1024).toFixed(1)} KB`;

/** Bundles the four Workers and prints their sizes; throws if cactus-sdk's is past the target. */
export async function workerBundleBenchmark(): Promise<BundleSize[]> {
  // A throwaway project whose node_modules/cactus-sdk is this checkout (built), as if installed.
  const dir = mkdtempSync(join(tmpdir(), "cactus-worker-bundle-"));
  try {
    mkdirSync(join(dir, "node_modules"));
    symlinkSync(repo, join(dir, "node_modules", "cactus-sdk"), "dir");
    // The peers resolve from this checkout's devDependencies.
    for (const peer of ["stripe", "@octokit", "standardwebhooks"]) symlinkSync(join(repo, "node_modules", peer), join(dir, "node_modules", peer), "dir");
    const sizes: BundleSize[] = [];
    for (const [name, source] of Object.entries(WORKERS)) sizes.push(await bundle(dir, name, source));
    sizes.push(await bundle(dir, "cactus-sdk via CJS", COMMONJS_WORKER, true));
    console.log("\nWorker bundle: verify + dispatch, esbuild ESM, workerd/worker/browser conditions, minified (gzip -9)");
    for (const size of sizes) console.log(`  ${size.name.padEnd(18)} ${kb(size.minified).padStart(9)} minified ${kb(size.gzipped).padStart(9)} gzipped`);
    const [cactus] = sizes;
    if (cactus !== undefined) {
      const parts = Object.entries(cactus.packages).sort((a, b) => b[1] - a[1]);
      console.log(`  cactus-sdk's Worker, by package: ${parts.map(([name, bytes]) => `${name} ${kb(bytes)}`).join(", ")}`);
      for (const heavy of ["libphonenumber-js", "validator"]) {
        const bytes = cactus.packages[heavy] ?? 0;
        console.log(`  ${heavy}: ${bytes === 0 ? "tree-shaken away entirely" : `${kb(bytes)} left after tree-shaking`}`);
      }
      const verdict = cactus.minified < STRIPE_WORKER_TARGET_BYTES ? "below" : "ABOVE";
      console.log(`  target: below stripe's Worker build, 244 KB minified: ${verdict} (${kb(cactus.minified)})`);
      if (verdict === "ABOVE") process.exitCode = 1;
    }
    return sizes;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

if (require.main === module) {
  workerBundleBenchmark().catch((error: unknown) => {
    console.error(error);
    process.exitCode = 1;
  });
}
