#!/usr/bin/env node
// Proves that a new event type is a handful of files: in a temporary copy of this repository it
// adds `movie.paused` (related Movie, data `{ position_seconds }`) the way docs/design.md says to
// (its classes, one catalog row, one fixture, a test, and a case in each example that is
// exhaustive on purpose), runs `npm run generate`, type-checks everything and runs the affected
// specs. Fails if any step fails or the addition touched more than MAX_FILES files.
// Run by `npm test`; alone: `node scripts/new-event-type-check.mjs [--keep]`.
import { execFileSync, spawnSync } from "node:child_process";
import { createHash } from "node:crypto";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { fileURLToPath } from "node:url";

const MAX_FILES = 12;
const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const keep = process.argv.includes("--keep");
const started = Date.now();

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), "cactus-new-type-"));
let failed = false;
try {
  // The working tree as it is (committed or not), without ignored files; node_modules linked.
  const files = execFileSync("git", ["ls-files", "-z", "--cached", "--others", "--exclude-standard"], { cwd: root, encoding: "utf8" })
    .split("\0")
    .filter((file) => file !== "" && fs.existsSync(path.join(root, file)));
  for (const file of files) {
    fs.mkdirSync(path.dirname(path.join(tmp, file)), { recursive: true });
    fs.copyFileSync(path.join(root, file), path.join(tmp, file));
  }
  fs.symlinkSync(path.join(root, "node_modules"), path.join(tmp, "node_modules"), "dir");
  const before = snapshot(tmp, files);

  addMoviePaused(tmp);
  step("npm run generate", "node", ["scripts/generate.js"]);
  step("tsc --noEmit", "node", [path.join("node_modules", "typescript", "bin", "tsc"), "--noEmit", "-p", "tsconfig.json"]);
  step("jest (affected specs)", "node", [
    path.join("node_modules", "jest", "bin", "jest.js"),
    "--silent",
    "spec/events/movie-paused.spec.ts",
    "spec/docs",
    "spec/emulator/fixtures.spec.ts",
    "spec/examples/styles.spec.ts",
    "spec/handler/router.spec.ts",
  ]);

  const after = snapshot(tmp, execFileSync("git", ["ls-files", "-z", "--cached", "--others", "--exclude-standard"], { cwd: root, encoding: "utf8" }).split("\0").filter(Boolean).concat(listNew(tmp, before)));
  const touched = [...new Set([...before.keys(), ...after.keys()])].filter((file) => before.get(file) !== after.get(file)).sort();
  console.log(`new-event-type check: adding movie.paused touched ${touched.length} files (at most ${MAX_FILES}), in ${Math.round((Date.now() - started) / 1000)} s:`);
  for (const file of touched) console.log(`  ${before.has(file) ? "changed" : "added  "} ${file}`);
  if (touched.length > MAX_FILES) fail(`a new event type touches ${touched.length} files, more than ${MAX_FILES}: derive the extra ones from lib/events/catalog.ts`);
} catch (error) {
  fail(error instanceof Error ? error.message : String(error));
} finally {
  if (keep) console.log(`kept ${tmp}`);
  else fs.rmSync(tmp, { recursive: true, force: true });
}
if (failed) process.exitCode = 1;

function fail(message) {
  failed = true;
  console.error(`new-event-type check failed: ${message}`);
}

function step(name, command, args) {
  const result = spawnSync(command, args, { cwd: tmp, encoding: "utf8", env: { ...process.env, FORCE_COLOR: "0" } });
  if (result.status !== 0) {
    throw new Error(`${name} failed in the copy with movie.paused added:\n${result.stdout}${result.stderr}`);
  }
}

function snapshot(dir, list) {
  const map = new Map();
  for (const file of list) {
    const full = path.join(dir, file);
    if (fs.existsSync(full) && fs.statSync(full).isFile()) map.set(file, createHash("sha1").update(fs.readFileSync(full)).digest("hex"));
  }
  return map;
}

// Files in the copy that did not exist before (outside node_modules and build output).
function listNew(dir, before) {
  const found = [];
  const walk = (relative) => {
    for (const entry of fs.readdirSync(path.join(dir, relative), { withFileTypes: true })) {
      const file = path.join(relative, entry.name);
      if (entry.name === "node_modules" || entry.name === "dist" || entry.name === ".git") continue;
      if (entry.isDirectory()) walk(file);
      else if (!before.has(file)) found.push(file);
    }
  };
  walk("");
  return found;
}

function edit(file, change) {
  const full = path.join(tmp, file);
  const source = fs.readFileSync(full, "utf8");
  const changed = change(source);
  if (changed === source) throw new Error(`could not add movie.paused to ${file}: its shape changed; update scripts/new-event-type-check.mjs with it`);
  fs.writeFileSync(full, changed);
}

function insertBefore(anchor, text) {
  return (source) => {
    const at = source.indexOf(anchor);
    return at < 0 ? source : source.slice(0, at) + text + source.slice(at);
  };
}

function addMoviePaused() {
  // 1. Its classes.
  edit("lib/events/movie.ts", (source) => `${source}
// ---- movie.paused ---------------------------------------------------------------------------

/** \`data\` of \`movie.paused\`. */
export class MoviePausedData {
  /** Where playback stopped, in seconds from the start. */
  @Wire("position_seconds") @IsNumber({ allowNaN: false, allowInfinity: false }) @Min(0) readonly positionSeconds!: number;
}

/** Full \`movie.paused\` event, with its data. */
export class MoviePausedEvent extends BaseFullEvent {
  declare readonly type: "movie.paused";
  declare readonly relatedObject: RelatedObjectRefOf<"movie">;
  /** Where it was paused. */
  @Wire() @IsDefined() @IsObject() @ValidateNested() @Type(() => MoviePausedData)
  readonly data!: MoviePausedData;
}

/** Pushed \`movie.paused\`: a user paused a movie. */
export class MoviePausedPushedEvent extends MoviePushedEvent {
  declare readonly type: "movie.paused";
  /** Retrieves the full event with its {@link MoviePausedData}. */
  pull(): Promise<MoviePausedEvent> {
    return pullAs(this, MoviePausedEvent);
  }
}
`);
  // 2. One catalog row.
  edit("lib/events/catalog.ts", (source) =>
    insertBefore("} as const satisfies Record<string, EventCatalogRow>;", `  "movie.paused": {
    pushed: MoviePausedPushedEvent,
    full: MoviePausedEvent,
    relatedObject: "movie",
    handlerMethod: "onMoviePaused",
    summary: "A user paused a movie.",
  },
`)(insertBefore("} from \"./movie\";", "  MoviePausedEvent,\n  MoviePausedPushedEvent,\n")(source)),
  );
  // 3. One fixture.
  edit("lib/emulator/fixtures.ts", insertBefore("};\n\n/** Type of the fixture event that this SDK does not know", `  "movie.paused": { position_seconds: 754 },\n`));
  // 4. A test.
  fs.writeFileSync(
    path.join(tmp, "spec/events/movie-paused.spec.ts"),
    `import { CactusClient, CactusHandler, CactusRouter, type BaseThinEvent } from "../../lib";
import { CactusEmulator } from "../../lib/emulator";
import { MoviePausedEvent, MoviePausedPushedEvent } from "../../lib/events/movie";

describe("movie.paused", () => {
  let emulator: CactusEmulator;
  let client: CactusClient;
  beforeAll(async () => {
    emulator = await CactusEmulator.start();
    client = new CactusClient({ apiKey: emulator.apiKey, baseUrl: emulator.url, maxRetries: 0 });
  });
  afterAll(() => emulator.close());

  it("parses, pulls its position and fetches its movie", async () => {
    const event = client.parseEventV2(JSON.stringify(emulator.thinEventOf("evt_movie_paused")));
    expect(event).toBeInstanceOf(MoviePausedPushedEvent);
    if (!(event instanceof MoviePausedPushedEvent)) return;
    const full = await event.pull();
    expect(full).toBeInstanceOf(MoviePausedEvent);
    expect(full.data.positionSeconds).toBe(754);
    expect((await event.fetchRelatedObject()).title).toBe("The Prickly Pear");
  });

  it("reaches onMoviePaused and router.onMoviePaused", async () => {
    const seen: string[] = [];
    class Handler extends CactusHandler {
      override async onMoviePaused(event: MoviePausedPushedEvent): Promise<void> {
        seen.push(\`handler \${(await event.pull()).data.positionSeconds}\`);
      }
      override async onOther(event: BaseThinEvent): Promise<void> {
        seen.push(\`other \${event.type}\`);
      }
    }
    const body = JSON.stringify(emulator.thinEventOf("evt_movie_paused"));
    await expect(new Handler(client).handle(body)).resolves.toMatchObject({ handledBy: "onMoviePaused" });
    const router = new CactusRouter(client).onMoviePaused(async (event) => void seen.push(\`router \${(await event.pull()).data.positionSeconds}\`));
    await router.handle(body);
    expect(seen).toEqual(["handler 754", "router 754"]);
  });
});
`,
  );
  // 5. The examples that are exhaustive on purpose: the compiler names each until it has a case.
  const line = "`${event.type}: \"${movie.title}\" paused at ${full.data.positionSeconds} s`";
  edit("examples/switch/activity-switch.ts", (source) =>
    insertBefore("/** Types this SDK does not know", `/** \`movie.paused\`: the position from the pulled data, the title from the related movie. */
export async function moviePaused(event: MoviePausedPushedEvent, log: Log): Promise<void> {
  const [full, movie] = await Promise.all([event.pull(), event.fetchRelatedObject()]);
  log(${line});
}

`)(insertBefore("    default: {", `    case "movie.paused":\n      return moviePaused(event, log);\n`)(insertBefore("} from \"../../lib\";", "} from \"../../lib\";\nimport type { MoviePausedPushedEvent } from \"../../lib/events/movie\";\n// ")(source))).replace("// } from \"../../lib\";\n", ""),
  );
  edit("examples/inheritance/activity-handler.ts", (source) =>
    insertBefore("  /** Types this SDK does not know", `  /** The position from the pulled data, the title from the related movie. */
  override async onMoviePaused(event: MoviePausedPushedEvent): Promise<void> {
    const [full, movie] = await Promise.all([event.pull(), event.fetchRelatedObject()]);
    this.log(${line});
  }

`)(source.replace("} from \"../../lib\";\n", "} from \"../../lib\";\nimport type { MoviePausedPushedEvent } from \"../../lib/events/movie\";\n")),
  );
  edit("examples/migration/after.ts", insertBefore("    default: {", `    case "movie.paused": {
      const [full, movie] = await Promise.all([event.pull(), event.fetchRelatedObject()]);
      log(${line});
      return;
    }
`));
}
