import * as path from "node:path";
import * as ts from "typescript";
import { CactusClient, CactusHandler, MovieStartedEvent, MovieStartedPushedEvent } from "../../lib";
import { CactusEmulator } from "../../lib/emulator";
import { fixtureEventId, UNKNOWN_FIXTURE_TYPE } from "../../lib/emulator/fixtures";
import { cactusEventTypes, eventCatalog, knownEventTypes, type EventCatalogRow } from "../../lib/events/catalog";
import { ActivityHandler } from "../../examples/inheritance/activity-handler";
import { derivedFiles } from "../docs/derived-files";
import { SEEDED_EVENT_IDS } from "../helpers/emulator";

describe("ExhaustiveCactusHandler", () => {
  it("is a CactusHandler at run time: same handle(), one method per event, unknown types to onOther", async () => {
    const emulator = await CactusEmulator.start();
    try {
      const client = new CactusClient({ apiKey: emulator.apiKey, baseUrl: emulator.url });
      const lines: string[] = [];
      const handler = new ActivityHandler(client, (line) => lines.push(line));
      expect(handler).toBeInstanceOf(CactusHandler);
      const handledBy: string[] = [];
      for (const id of SEEDED_EVENT_IDS) {
        handledBy.push((await handler.handle(emulator.thinEventOf(id))).handledBy);
      }
      // One method per catalog type, in catalog order, then onOther for the unknown fixture type.
      expect(handledBy).toEqual([...cactusEventTypes.map((type) => eventCatalog[type].handlerMethod), "onOther"]);
      expect(lines).toHaveLength(SEEDED_EVENT_IDS.length);
      expect(lines.at(-1)).toBe(`${UNKNOWN_FIXTURE_TYPE}: not a type this handler knows; kept for later (event ${fixtureEventId(UNKNOWN_FIXTURE_TYPE)})`);
    } finally {
      await emulator.close();
    }
  });
});

// What happens when Cactus adds a type (`movie.rewound` here): add one more catalog row, run the generator, compile
// the SDK in memory and read the compiler's answers. spec/types/generated/catalog.types.ts proves
// each existing method is abstract; this proves the generator keeps it that way for a new row.
describe("a new catalog row", () => {
  const root = path.resolve(__dirname, "../..");
  const catalogFile = path.join(root, "lib/events/catalog.ts");
  const userFile = path.join(root, "spec/handler/__virtual__/user-handlers.ts");
  const routerFile = path.join(root, "spec/handler/__virtual__/user-router.ts");

  // The router needs no edit at all: its typing and its shortcuts come from the catalog.
  const userRouter = `
    import { CactusRouter, type MovieStartedPushedEvent } from "../../../lib";
    declare const router: CactusRouter;
    router.on("movie.rewound", (event: MovieStartedPushedEvent) => void event.id);
    router.onMovieRewound((event) => void event.fetchRelatedObject());
    router.on("movie.*", (event) => void event.fetchRelatedObject());
  `;

  // An exhaustive subclass written before the new row: one method per type the catalog has now.
  const userHandlers = `
    import { CactusHandler, ExhaustiveCactusHandler } from "../../../lib";
    export class Exhaustive extends ExhaustiveCactusHandler {
${[...knownEventTypes().map((type) => eventCatalog[type].handlerMethod), "onOther"].map((name) => `      override async ${name}(): Promise<void> {}`).join("\n")}
    }
    export class Plain extends CactusHandler {
      override async onMovieCompleted(): Promise<void> {}
      override async onOther(): Promise<void> {}
    }
  `;

  const newRow: EventCatalogRow = {
    pushed: MovieStartedPushedEvent,
    full: MovieStartedEvent,
    relatedObject: "movie",
    handlerMethod: "onMovieRewound",
    summary: "A user rewound a movie.",
  };

  function withRow(source: string): string {
    const end = "} as const satisfies Record<string, EventCatalogRow>;";
    expect(source).toContain(end); // if the catalog's shape changed, update this test with it
    const row = `  "movie.rewound": { pushed: MovieStartedPushedEvent, full: MovieStartedEvent, relatedObject: "movie", handlerMethod: "${newRow.handlerMethod}", summary: "${newRow.summary}" },\n`;
    return source.replace(end, row + end);
  }

  // What `npm run generate` writes once the row is in the catalog (the same row, added in memory).
  function generatedWithRow(): Map<string, string> {
    Object.defineProperty(eventCatalog, "movie.rewound", { value: newRow, enumerable: true, configurable: true });
    try {
      const files = new Map<string, string>();
      for (const [file, content] of derivedFiles()) if (file.endsWith(".ts")) files.set(path.join(root, file), content);
      return files;
    } finally {
      Reflect.deleteProperty(eventCatalog, "movie.rewound");
    }
  }

  // Type-checks `roots` (and everything they import) with some files replaced; returns
  // "relative/path: message" for every error.
  function compile(replaced: ReadonlyMap<string, string>, roots: readonly string[] = [userFile]): string[] {
    const config = ts.getParsedCommandLineOfConfigFile(path.join(root, "tsconfig.json"), { noEmit: true }, {
      ...ts.sys,
      onUnRecoverableConfigFileDiagnostic: (diagnostic) => {
        throw new Error(ts.flattenDiagnosticMessageText(diagnostic.messageText, "\n"));
      },
    });
    if (!config) throw new Error("tsconfig.json did not parse");
    const host = ts.createCompilerHost(config.options);
    const files = new Map(replaced);
    files.set(userFile, userHandlers);
    files.set(routerFile, userRouter);
    const readFile = host.readFile.bind(host);
    const fileExists = host.fileExists.bind(host);
    host.readFile = (name) => files.get(path.resolve(name)) ?? readFile(name);
    host.fileExists = (name) => files.has(path.resolve(name)) || fileExists(name);
    const getSourceFile = host.getSourceFile.bind(host);
    host.getSourceFile = (name, language, onError) => {
      const text = files.get(path.resolve(name));
      return text === undefined ? getSourceFile(name, language, onError) : ts.createSourceFile(name, text, language);
    };
    // The project's ambient declarations (lib's *.d.ts) belong to every program over its sources.
    const ambient = config.fileNames.filter((name) => name.endsWith(".d.ts"));
    const program = ts.createProgram([...roots, ...ambient], config.options, host);
    return ts
      .getPreEmitDiagnostics(program)
      .filter((diagnostic) => diagnostic.category === ts.DiagnosticCategory.Error)
      .map((diagnostic) => {
        const file = diagnostic.file ? path.relative(root, diagnostic.file.fileName) : "";
        return `${file}: ${ts.flattenDiagnosticMessageText(diagnostic.messageText, " ")}`;
      });
  }

  const catalog = ts.sys.readFile(catalogFile) ?? "";

  it("compiles as is", () => {
    expect(compile(new Map())).toEqual([]);
  }, 60_000);

  it("before the generator runs, breaks the SDK's build at both handlers (the generated methods are stale)", () => {
    const errors = compile(new Map([[catalogFile, withRow(catalog)]]));
    expect(errors).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^lib\/handler\/cactus-handler\.ts: Class 'CactusHandler' incorrectly implements interface 'CactusHandlerMethods'\.\s+Property 'onMovieRewound' is missing/),
        expect.stringMatching(/^lib\/handler\/exhaustive-handler\.ts: Class 'ExhaustiveCactusHandler' incorrectly implements interface 'CactusHandlerMethods'\.\s+Property 'onMovieRewound' is missing/),
      ]),
    );
  }, 60_000);

  it("after the generator runs, the SDK compiles and every exhaustive subclass that does not handle it breaks, no plain one", () => {
    const generated = generatedWithRow();
    expect([...generated.keys()].map((file) => path.relative(root, file))).toEqual(
      expect.arrayContaining(["lib/handler/generated/handler-methods.ts", "lib/handler/generated/exhaustive-methods.ts"]),
    );
    const errors = compile(new Map([[catalogFile, withRow(catalog)], ...generated]));
    expect(errors).toEqual([
      "spec/handler/__virtual__/user-handlers.ts: Non-abstract class 'Exhaustive' does not implement inherited abstract member onMovieRewound from class 'ExhaustiveCactusHandler'.",
    ]);
  }, 60_000);

  it("reaches the router by itself: on(\"movie.rewound\", fn) and onMovieRewound(fn) compile with no router edit", () => {
    // Without the row, the same file does not compile (so the check below means something).
    expect(compile(new Map(), [routerFile])).toEqual(expect.arrayContaining([expect.stringMatching(/"movie.rewound"/)]));
    const errors = compile(new Map([[catalogFile, withRow(catalog)]]), [routerFile]);
    expect(errors.filter((error) => error.startsWith("spec/") || error.startsWith("lib/handler/router") || error.startsWith("lib/handler/seed"))).toEqual([]);
  }, 60_000);
});
