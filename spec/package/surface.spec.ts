import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { entrySurfaces, surfaceTable, withSurfaceTable, type EntrySurface } from "./surface";

const DOC = join(__dirname, "..", "..", "docs", "entry-points.md");

// The root exported 193 names before the named entry points took the tools, constants and
// building blocks; the root keeps what a receiver author needs, at most half of that.
const ROOT_BEFORE = 193;

describe("the public surface of each entry point", () => {
  let surfaces: EntrySurface[];
  beforeAll(() => {
    surfaces = entrySurfaces();
  }, 60_000);

  const surface = (entry: string): EntrySurface => {
    const found = surfaces.find((s) => s.entry === entry);
    if (found === undefined) throw new Error(`no entry ${entry}`);
    return found;
  };

  it("documents the count of every entry in docs/entry-points.md (run `npm run docs:entries` after changing one)", () => {
    const doc = readFileSync(DOC, "utf8");
    const expected = withSurfaceTable(doc, surfaceTable(surfaces));
    if (process.env.UPDATE_DOCS === "1" && expected !== doc) writeFileSync(DOC, expected);
    else expect(doc).toBe(expected);
  });

  it("keeps the root at most half its former size, deprecated re-exports aside", () => {
    expect(surface(".").names.length).toBeLessThanOrEqual(ROOT_BEFORE / 2);
  });

  it("keeps every deprecated root name reachable from the entry point its deprecation names", () => {
    const root = surface(".");
    expect(root.deprecated.length).toBeGreaterThan(0);
    const source = readFileSync(join(__dirname, "..", "..", "lib", "index.ts"), "utf8");
    for (const name of root.deprecated) {
      const note = new RegExp(`@deprecated Import it from "cactus-sdk/([a-z]+)"[^\\n]*\\n\\s*(?:type )?${name},`).exec(source);
      expect({ name, entry: note?.[1] }).toEqual({ name, entry: expect.any(String) });
      expect({ name, in: surface(`./${note?.[1] ?? ""}`).names.includes(name) }).toEqual({ name, in: true });
    }
  });

  it("moves the sender and the signing helpers to cactus-sdk/webhooks, the hooks' types to cactus-sdk/observability", () => {
    for (const name of ["deliverWebhook", "signWebhook", "verifyWebhook", "generateWebhookSecret", "webhookStatusTable"]) {
      expect(surface("./webhooks").names).toContain(name);
      expect(surface(".").names).not.toContain(name);
    }
    for (const name of ["DeliveryTracker", "ApiCallTracker", "CactusInstrumentation", "defaultLogger"]) {
      expect(surface("./observability").names).toContain(name);
      expect(surface(".").names).not.toContain(name);
    }
    expect(surface(".").names.filter((name) => name.startsWith("DEFAULT_"))).toEqual([]);
  });

  it("exports every catalog type's classes from the root", () => {
    const { eventCatalog } = require("../../lib/events/catalog") as typeof import("../../lib/events/catalog");
    for (const row of Object.values(eventCatalog)) {
      expect(surface(".").names).toEqual(expect.arrayContaining([row.pushed.name, row.full.name]));
    }
  });
});
