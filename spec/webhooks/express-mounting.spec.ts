import express from "express";
import { createNodeMiddleware } from "../../lib";
import { SECRET, signedDelivery } from "./helpers/fixtures";
import { RecordingHandler } from "./helpers/recording-handler";
import { listen } from "./helpers/server";

// Express 4 is installed under the alias "express4"; its API is the one these tests use from 5.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const express4 = require("express4") as typeof express;

const quiet = { onError: (): void => undefined };
const versions = [
  { name: "Express 4", express: express4 },
  { name: "Express 5", express },
] as const;

type App = ReturnType<typeof express>;

/** An app built by `setup`, listening on 127.0.0.1; POSTs one signed delivery to `path`. */
async function deliver(
  expressOf: typeof express,
  setup: (app: App, middleware: ReturnType<typeof createNodeMiddleware>) => void,
  path: string,
  options: { path?: string } = {},
): Promise<{ status: number; text: string; calls: number }> {
  const handler = new RecordingHandler();
  const app = expressOf();
  setup(app, createNodeMiddleware(handler, { webhookSecret: SECRET, ...quiet, ...options }));
  const server = await listen(app.listen(0, "127.0.0.1"));
  try {
    const { body, headers } = signedDelivery();
    const response = await fetch(`${server.url}${path}`, { method: "POST", headers, body });
    return { status: response.status, text: await response.text(), calls: handler.calls.length };
  } finally {
    await server.close();
  }
}

describe.each(versions)("$name", ({ express: expressOf }) => {
  describe("body parsers mounted before the middleware", () => {
    it("express.urlencoded() skips a JSON delivery: it is handled", async () => {
      const result = await deliver(expressOf, (app, mw) => app.use(expressOf.urlencoded({ extended: false }), mw), "/webhooks");
      expect(result).toMatchObject({ status: 200, calls: 1 });
    });

    it("express.text() skips a JSON delivery: it is handled", async () => {
      const result = await deliver(expressOf, (app, mw) => app.use(expressOf.text(), mw), "/webhooks");
      expect(result).toMatchObject({ status: 200, calls: 1 });
    });

    it("express.json() consumed the bytes: 500 body_already_parsed with what to change", async () => {
      const result = await deliver(expressOf, (app, mw) => app.use(expressOf.json(), mw), "/webhooks");
      expect(result).toMatchObject({ status: 500, calls: 0 });
      expect(result.text).toContain("body_already_parsed");
      expect(result.text).toContain("mount createNodeMiddleware before express.json()");
    });
  });

  describe("mountings", () => {
    const mountings: ReadonlyArray<{ how: string; path: string; setup: (app: App, mw: ReturnType<typeof createNodeMiddleware>) => void }> = [
      { how: "app.use(mw) answers /webhooks", path: "/webhooks", setup: (app, mw) => app.use(mw) },
      { how: 'app.use("/webhooks", mw)', path: "/webhooks", setup: (app, mw) => app.use("/webhooks", mw) },
      { how: 'app.use("/hooks/cactus", mw)', path: "/hooks/cactus", setup: (app, mw) => app.use("/hooks/cactus", mw) },
      { how: 'app.use("/api", mw) answers /api/webhooks', path: "/api/webhooks", setup: (app, mw) => app.use("/api", mw) },
      { how: 'app.post("/hooks/cactus", mw)', path: "/hooks/cactus?attempt=2", setup: (app, mw) => app.post("/hooks/cactus", mw) },
      {
        how: 'router.post("/cactus", mw) under app.use("/hooks", router)',
        path: "/hooks/cactus",
        setup: (app, mw) => {
          const router = expressOf.Router();
          router.post("/cactus", mw);
          app.use("/hooks", router);
        },
      },
    ];

    it.each(mountings)("$how", async ({ path, setup }) => {
      expect(await deliver(expressOf, setup, path)).toMatchObject({ status: 200, calls: 1 });
    });

    it("a mount point answers its own path, not paths below it", async () => {
      const warned: string[] = [];
      const spy = jest.spyOn(console, "warn").mockImplementation((line: unknown) => void warned.push(String(line)));
      const result = await deliver(expressOf, (app, mw) => app.use("/hooks/cactus", mw), "/hooks/cactus/other").finally(() => spy.mockRestore());
      expect(result).toMatchObject({ status: 404, calls: 0 });
      // The first such 404 of the process says where receivers answer (at most once a minute).
      for (const line of warned) expect(line).toContain('a POST to "/hooks/cactus/other" with Standard Webhooks headers reached no receiver');
      expect(result.text).not.toContain("not_found"); // Express's own 404: the middleware called next()
    });

    it("an explicit path matches the full path or the path below the mount point", async () => {
      const full = await deliver(expressOf, (app, mw) => app.use("/hooks", mw), "/hooks/cactus", { path: "/hooks/cactus" });
      expect(full).toMatchObject({ status: 200, calls: 1 });
      const relative = await deliver(expressOf, (app, mw) => app.use("/api", mw), "/api/cactus", { path: "/cactus" });
      expect(relative).toMatchObject({ status: 200, calls: 1 });
      const unrouted = await deliver(expressOf, (app, mw) => app.use(mw), "/hooks/cactus", { path: "/hooks/cactus" });
      expect(unrouted).toMatchObject({ status: 200, calls: 1 });
    });

    it("an explicit path still restricts a routed or mounted middleware", async () => {
      const routed = await deliver(expressOf, (app, mw) => app.post("/hooks/cactus", mw), "/hooks/cactus", { path: "/webhooks" });
      expect(routed).toMatchObject({ status: 404, calls: 0 });
      const mounted = await deliver(expressOf, (app, mw) => app.use("/hooks", mw), "/hooks", { path: "/webhooks" });
      expect(mounted).toMatchObject({ status: 404, calls: 0 });
      const other = await deliver(expressOf, (app, mw) => app.use(mw), "/other");
      expect(other).toMatchObject({ status: 404, calls: 0 });
    });
  });
});
