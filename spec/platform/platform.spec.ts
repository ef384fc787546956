import fc from "fast-check";
import { readdirSync, readFileSync, statSync } from "node:fs";
import { join, relative } from "node:path";
import { CactusClient, CactusSignatureError } from "../../lib";
import { CactusRuntimeError } from "../../lib/errors/public";
import { generateWebhookSecret, signWebhook, signWebhookAsync, verifyWebhook, verifyWebhookAsync, WebhookSecrets } from "../../lib/webhooks";
import { decodeBase64, decodeCanonicalBase64, encodeBase64 } from "../../lib/platform/base64";
import { constantTimeEqual } from "../../lib/platform/crypto";
import { SECRET, OTHER_SECRET, shippedBody } from "../webhooks/helpers/fixtures";

const NOW = new Date("2026-03-01T12:00:00Z");
const now = (): Date => NOW;
const SECONDS = Math.floor(NOW.getTime() / 1000);

describe("base64 without Buffer", () => {
  it("encodes as Buffer does, and decodes back", () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 80 }), (bytes) => {
        const encoded = encodeBase64(bytes);
        expect(encoded).toBe(Buffer.from(bytes).toString("base64"));
        expect(Buffer.from(decodeBase64(encoded) ?? [])).toEqual(Buffer.from(bytes));
      }),
    );
  });

  it("refuses what is not standard base64", () => {
    for (const bad of ["a", "ab=c", "abc==", "ab-_", "ab c", "====", "ab\u00e9c", "YQ==="]) expect(decodeBase64(bad)).toBeUndefined();
    expect(decodeBase64("YQ")).toEqual(new Uint8Array([0x61])); // unpadded is read; callers check the canonical form
  });
});

describe("decodeCanonicalBase64", () => {
  it("accepts exactly the canonical padded form, with Buffer and without it", () => {
    const buffer = Reflect.get(globalThis, "Buffer");
    let withoutBuffer: typeof decodeCanonicalBase64 = () => undefined;
    Reflect.deleteProperty(globalThis, "Buffer");
    try {
      jest.isolateModules(() => {
        withoutBuffer = jest.requireActual<typeof import("../../lib/platform/base64")>("../../lib/platform/base64").decodeCanonicalBase64;
      });
      const canonical = encodeBase64(new Uint8Array([1, 2, 3, 4, 250]));
      for (const text of [canonical, canonical.replace(/=+$/, ""), `${canonical}A`, "AQIDBPq=", "AQIDBPp=", "ab-_", "YQ==", "YR==", ""]) {
        const plain = withoutBuffer(text);
        expect([text, plain === undefined ? undefined : [...plain]]).toEqual([text, text === canonical || text === "YQ==" || text === "" ? [...(decodeBase64(text) ?? [])] : undefined]);
      }
    } finally {
      Reflect.set(globalThis, "Buffer", buffer);
    }
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 64 }), fc.string({ maxLength: 8 }), (bytes, junk) => {
        const text = encodeBase64(bytes);
        expect([...(decodeCanonicalBase64(text) ?? [])]).toEqual([...bytes]);
        const mangled = text + junk;
        const ours = decodeCanonicalBase64(mangled);
        expect(ours === undefined ? undefined : [...ours]).toEqual(Buffer.from(mangled, "base64").toString("base64") === mangled ? [...Buffer.from(mangled, "base64")] : undefined);
      }),
    );
  });
});

describe("constantTimeEqual", () => {
  it("is equality of bytes", () => {
    fc.assert(
      fc.property(fc.uint8Array({ minLength: 1, maxLength: 40 }), fc.nat(), (bytes, at) => {
        expect(constantTimeEqual(bytes, bytes.slice())).toBe(true);
        const other = bytes.slice();
        const index = at % other.length;
        other[index] = ((other[index] ?? 0) + 1) & 0xff;
        expect(constantTimeEqual(bytes, other)).toBe(false);
        expect(constantTimeEqual(bytes, bytes.subarray(1))).toBe(false);
      }),
    );
  });
});

describe("the async twins on Web Crypto agree with the sync functions on node:crypto", () => {
  it("signWebhookAsync signs exactly as signWebhook, one entry per secret", async () => {
    await fc.assert(
      fc.asyncProperty(fc.string({ minLength: 1, maxLength: 30 }), fc.oneof(fc.string(), fc.uint8Array()), async (id, body) => {
        const input = { id, body, webhookSecret: [SECRET, OTHER_SECRET], timestamp: SECONDS };
        expect(await signWebhookAsync(input)).toEqual(signWebhook(input));
      }),
      { numRuns: 50 },
    );
  });

  it("verifyWebhookAsync accepts and refuses what verifyWebhook does, with the same error", async () => {
    const body = shippedBody("evt_twin");
    const headers = signWebhook({ id: "evt_twin", body, webhookSecret: SECRET, timestamp: SECONDS });
    const cases: [string, Record<string, string>, string][] = [
      ["valid", headers, body],
      ["tampered body", headers, body.replace("ord_456", "ord_457")],
      ["other secret's signature", signWebhook({ id: "evt_twin", body, webhookSecret: OTHER_SECRET, timestamp: SECONDS }), body],
      ["signature of another id", { ...headers, "webhook-id": "evt_other" }, body],
      ["stale", signWebhook({ id: "evt_twin", body, webhookSecret: SECRET, timestamp: SECONDS - 3_600 }), body],
      ["non-canonical base64", { ...headers, "webhook-signature": `${headers["webhook-signature"]}A` }, body],
      ["no v1 entry", { ...headers, "webhook-signature": "v2,abc" }, body],
    ];
    for (const [name, caseHeaders, caseBody] of cases) {
      const sync = outcome(() => verifyWebhook(caseBody, caseHeaders, SECRET, { now }));
      const async_ = await verifyWebhookAsync(caseBody, caseHeaders, SECRET, { now }).then(
        (value) => ({ value }),
        (error: unknown) => ({ error }),
      );
      expect([name, async_]).toEqual([name, sync]);
    }
    expect(outcome(() => verifyWebhook(body, headers, SECRET, { now }))).toEqual({ value: { id: "evt_twin", timestamp: SECONDS } });
  });

  it("client.constructEventAsync returns the event constructEvent does, and rejects as it throws", async () => {
    const client = new CactusClient({ apiKey: "sk_test_twins", baseUrl: "http://127.0.0.1:9" });
    const body = shippedBody("evt_construct");
    const headers = signWebhook({ id: "evt_construct", body, webhookSecret: SECRET });
    const event = await client.constructEventAsync(body, headers, SECRET);
    expect(event).toEqual(client.constructEvent(body, headers, SECRET));
    expect(event.constructor.name).toBe("OrderShippedPushedEvent");
    await expect(client.constructEventAsync(`${body} `, headers, SECRET)).rejects.toThrow(CactusSignatureError);
  });

  it("generateWebhookSecret makes a parseable 32-byte secret (Web Crypto's getRandomValues)", () => {
    const secret = generateWebhookSecret();
    expect(WebhookSecrets.parse(secret).keys()[0]).toHaveLength(32);
    expect(secret).not.toBe(generateWebhookSecret());
  });
});

function outcome<T>(run: () => T): { value: T } | { error: unknown } {
  try {
    return { value: run() };
  } catch (error) {
    return { error };
  }
}

// A runtime without node:crypto and without node:async_hooks (a Worker without nodejs_compat, a
// browser): the package loaded afresh with both built-ins unavailable.
type Sdk = typeof import("../../lib") & typeof import("../../lib/webhooks");

function withoutNodeBuiltins<T>(run: (sdk: Sdk) => T): T {
  const getBuiltinModule = Reflect.get(process, "getBuiltinModule");
  Reflect.set(process, "getBuiltinModule", undefined);
  jest.doMock("node:crypto", () => {
    throw new Error("no node:crypto here");
  });
  jest.doMock("node:async_hooks", () => {
    throw new Error("no node:async_hooks here");
  });
  try {
    let result: T | undefined;
    jest.isolateModules(() => {
      result = run({ ...jest.requireActual<typeof import("../../lib")>("../../lib"), ...jest.requireActual<typeof import("../../lib/webhooks")>("../../lib/webhooks") });
    });
    return result as T;
  } finally {
    jest.dontMock("node:crypto");
    jest.dontMock("node:async_hooks");
    Reflect.set(process, "getBuiltinModule", getBuiltinModule);
  }
}

describe("a runtime without node:crypto", () => {
  it("loads, and each sync function throws CactusRuntimeError naming its async twin; the async ones work", async () => {
    const body = shippedBody("evt_nocrypto");
    const headers = signWebhook({ id: "evt_nocrypto", body, webhookSecret: SECRET });
    const { sync, pending } = withoutNodeBuiltins((sdk) => {
      const client = new sdk.CactusClient({ apiKey: "sk_test_nocrypto", baseUrl: "http://127.0.0.1:9" });
      return {
        sync: [
          outcome(() => sdk.verifyWebhook(body, headers, SECRET)),
          outcome(() => sdk.signWebhook({ id: "evt_nocrypto", body, webhookSecret: SECRET })),
          outcome(() => client.constructEvent(body, headers, SECRET)),
        ],
        pending: Promise.all([sdk.verifyWebhookAsync(body, headers, SECRET), sdk.signWebhookAsync({ id: "evt_nocrypto", body, webhookSecret: SECRET, timestamp: Number(headers["webhook-timestamp"]) })]),
        secret: sdk.generateWebhookSecret(),
      };
    });
    const messages = sync.map((result) => ("error" in result && result.error instanceof Error ? `${result.error.name} ${String(Reflect.get(result.error, "code"))}: ${result.error.message}` : "no error"));
    expect(messages[0]).toMatch(/^CactusRuntimeError runtime_unsupported: verifyWebhook\(\) is synchronous .*Use verifyWebhookAsync\(\) instead/);
    expect(messages[1]).toMatch(/^CactusRuntimeError runtime_unsupported: signWebhook\(\) .*Use signWebhookAsync\(\) instead/);
    expect(messages[2]).toMatch(/^CactusRuntimeError runtime_unsupported: client\.constructEvent\(\) .*Use client\.constructEventAsync\(\) instead/);
    const [verified, signed] = await pending;
    expect(verified.id).toBe("evt_nocrypto");
    expect(signed["webhook-signature"]).toBe(headers["webhook-signature"]);
    expect(new CactusRuntimeError("x").code).toBe("runtime_unsupported");
  });

  it("handleWebhook takes the Web Crypto path by itself", async () => {
    const body = shippedBody("evt_nocrypto_handle");
    const headers = signWebhook({ id: "evt_nocrypto_handle", body, webhookSecret: SECRET });
    const result = await withoutNodeBuiltins((sdk) => {
      class Handler extends sdk.CactusHandler {
        override async onOrderShipped(): Promise<void> {}
        override async onOther(): Promise<void> {}
      }
      return new Handler(new sdk.CactusClient({ apiKey: "sk_test_nocrypto", baseUrl: "http://127.0.0.1:9" }), { webhookSecret: SECRET }).handleWebhook(body, headers);
    });
    expect(result).toMatchObject({ outcome: "handled", handledBy: "onOrderShipped" });
  });
});

describe("the event context on a runtime without AsyncLocalStorage", () => {
  it("is off: the handler runs, getEventContext() is undefined, one warning says why", async () => {
    const warnings = jest.spyOn(process, "emitWarning").mockImplementation(() => undefined);
    try {
      const seen = await withoutNodeBuiltins(async (sdk) => {
        const contexts: unknown[] = [];
        class Handler extends sdk.CactusHandler {
          override async onOrderShipped(): Promise<void> {
            contexts.push(sdk.getEventContext());
          }
          override async onOther(): Promise<void> {}
        }
        const handler = new Handler(new sdk.CactusClient({ apiKey: "sk_test_noals", baseUrl: "http://127.0.0.1:9" }), { eventContext: true });
        await handler.handle(shippedBody("evt_als_1"));
        await handler.handle(shippedBody("evt_als_2"));
        return contexts;
      });
      expect(seen).toEqual([undefined, undefined]);
      const missing = warnings.mock.calls.filter(([, options]) => JSON.stringify(options).includes("CACTUS_ASYNC_CONTEXT_MISSING"));
      expect(missing).toHaveLength(1);
    } finally {
      warnings.mockRestore();
    }
  });
});

describe("the environment is read only when allowed", () => {
  it("new CactusClient does not throw where reading process.env is refused (Deno without --allow-env)", () => {
    const env = process.env;
    const refused = new Proxy(env, {
      get() {
        throw Object.assign(new Error('Requires env access to "CACTUS_API_BASE_URL", run again with the --allow-env flag'), { name: "NotCapable" });
      },
    });
    Reflect.set(process, "env", refused);
    try {
      expect(() => new CactusClient({ apiKey: "sk_test_deno" })).not.toThrow();
    } finally {
      Reflect.set(process, "env", env);
    }
  });
});

describe("no Buffer at module scope, no node: import at load", () => {
  const lib = join(__dirname, "..", "..", "lib");
  // Node-only entry points and adapters may use Node; the runtime-neutral core may not.
  const NODE_ONLY = /^(cli|emulator|bullmq|redis|prometheus|testing|nestjs|postgres|webhooks\/node)\//;
  const sources = (dir: string): string[] =>
    readdirSync(dir).flatMap((name) => {
      const path = join(dir, name);
      return statSync(path).isDirectory() ? sources(path) : path.endsWith(".ts") ? [path] : [];
    });

  it("the runtime-neutral core names Buffer only in comments and strings, and imports node: only as types", () => {
    const offenders: string[] = [];
    for (const file of sources(lib)) {
      const name = relative(lib, file);
      if (NODE_ONLY.test(name)) continue;
      const code = readFileSync(file, "utf8")
        .replace(/\/\*[\s\S]*?\*\//g, "")
        .replace(/\/\/.*$/gm, "");
      if (/\bBuffer\b/.test(code.replace(/"(?:[^"\\\n]|\\.)*"/g, '""'))) offenders.push(`${name}: Buffer`);
      for (const match of code.matchAll(/^import (?!type ).*from "(node:[^"]+)"/gm)) offenders.push(`${name}: imports ${match[1]}`);
    }
    expect(offenders).toEqual([]);
  });

  it("the whole package loads with no Buffer global", () => {
    const buffer = Reflect.get(globalThis, "Buffer");
    let keys = 0;
    Reflect.deleteProperty(globalThis, "Buffer");
    try {
      jest.isolateModules(() => {
        keys = Object.keys(jest.requireActual<object>("../../lib")).length;
      });
    } finally {
      Reflect.set(globalThis, "Buffer", buffer);
    }
    expect(keys).toBeGreaterThan(50);
  });
});
