import * as path from "node:path";
import * as ts from "typescript";
import {
  CactusClient,
  CactusHandler,
  ExhaustiveCactusHandler,
  type BaseThinEvent,
  type MovieCompletedPushedEvent,
  type MovieStartedPushedEvent,
  type OrderDeliveryAttemptedPushedEvent,
  type OrderLostPushedEvent,
  type OrderShippedPushedEvent,
} from "../../lib";
import { CactusEmulator } from "../../lib/emulator";
import { SEEDED_EVENT_IDS } from "../helpers/emulator";

class Recorder extends ExhaustiveCactusHandler {
  readonly seen: string[] = [];
  override async onOrderShipped(event: OrderShippedPushedEvent): Promise<void> {
    this.seen.push(`shipped via ${(await event.pull()).data.shippingService}`);
  }
  override async onOrderDeliveryAttempted(event: OrderDeliveryAttemptedPushedEvent): Promise<void> {
    this.seen.push(`attempt ${event.id}`);
  }
  override async onOrderLost(event: OrderLostPushedEvent): Promise<void> {
    this.seen.push(`lost ${event.id}`);
  }
  override async onMovieStarted(event: MovieStartedPushedEvent): Promise<void> {
    this.seen.push(`started ${event.id}`);
  }
  override async onMovieCompleted(event: MovieCompletedPushedEvent): Promise<void> {
    this.seen.push(`completed ${event.id}`);
  }
  override async onOther(event: BaseThinEvent): Promise<void> {
    this.seen.push(`other ${event.type}`);
  }
}

describe("ExhaustiveCactusHandler", () => {
  it("is a CactusHandler at run time: same handle(), one method per event, unknown types to onOther", async () => {
    const emulator = await CactusEmulator.start();
    try {
      const handler = new Recorder(new CactusClient({ apiKey: emulator.apiKey, baseUrl: emulator.url }));
      expect(handler).toBeInstanceOf(CactusHandler);
      const handledBy: string[] = [];
      for (const id of SEEDED_EVENT_IDS) {
        handledBy.push((await handler.handle(emulator.thinEventOf(id))).handledBy);
      }
      expect(handler.seen).toEqual([
        "shipped via usps",
        "attempt evt_order_delivery_attempted",
        "lost evt_order_lost",
        "started evt_movie_started",
        "completed evt_movie_completed",
        "other order.refunded",
      ]);
      expect(handledBy).toEqual(["onOrderShipped", "onOrderDeliveryAttempted", "onOrderLost", "onMovieStarted", "onMovieCompleted", "onOther"]);
    } finally {
      await emulator.close();
    }
  });
});

// What happens when Cactus adds `movie.paused`: compile the SDK with one more catalog row, in
// memory, and read the compiler's answers. spec/types/exhaustive.types.ts proves each existing
// method is abstract; this proves the catalog keeps it that way.
describe("a new catalog row", () => {
  const root = path.resolve(__dirname, "../..");
  const catalogFile = path.join(root, "lib/events/catalog.ts");
  const exhaustiveFile = path.join(root, "lib/handler/exhaustive-handler.ts");
  const userFile = path.join(root, "spec/handler/__virtual__/user-handlers.ts");

  const routerFile = path.join(root, "spec/handler/__virtual__/user-router.ts");
  // The router needs no edit at all: its typing and its shortcuts come from the catalog.
  const userRouter = `
    import { CactusRouter, type MovieStartedPushedEvent } from "../../../lib";
    declare const router: CactusRouter;
    router.on("movie.paused", (event: MovieStartedPushedEvent) => void event.id);
    router.onMoviePaused((event) => void event.fetchRelatedObject());
    router.on("movie.*", (event) => void event.fetchRelatedObject());
  `;

  const userHandlers = `
    import { CactusHandler, ExhaustiveCactusHandler } from "../../../lib";
    export class Exhaustive extends ExhaustiveCactusHandler {
      override async onOrderShipped(): Promise<void> {}
      override async onOrderDeliveryAttempted(): Promise<void> {}
      override async onOrderLost(): Promise<void> {}
      override async onMovieStarted(): Promise<void> {}
      override async onMovieCompleted(): Promise<void> {}
      override async onOther(): Promise<void> {}
    }
    export class Plain extends CactusHandler {
      override async onMovieCompleted(): Promise<void> {}
      override async onOther(): Promise<void> {}
    }
  `;

  function withRow(source: string): string {
    const end = "} as const satisfies Record<string, EventCatalogRow>;";
    expect(source).toContain(end); // if the catalog's shape changed, update this test with it
    const row = `  "movie.paused": { pushed: MovieStartedPushedEvent, full: MovieStartedEvent, relatedObject: "movie", handlerMethod: "onMoviePaused", summary: "A user paused a movie." },\n`;
    return source.replace(end, row + end);
  }

  function withAbstractMethod(source: string): string {
    const anchor = "  /** Types this SDK does not know";
    expect(source).toContain(anchor);
    return source.replace(anchor, "  abstract onMoviePaused(event: MovieStartedPushedEvent): Promise<void>;\n" + anchor);
  }

  // Type-checks `userFile` (and everything it imports) with some files replaced; returns
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
  const exhaustive = ts.sys.readFile(exhaustiveFile) ?? "";

  it("compiles as is", () => {
    expect(compile(new Map())).toEqual([]);
  }, 60_000);

  it("breaks the SDK's build where the new type must be handled, ExhaustiveCactusHandler included", () => {
    const errors = compile(new Map([[catalogFile, withRow(catalog)]]));
    expect(errors).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^lib\/handler\/cactus-handler\.ts: Class 'CactusHandler' incorrectly implements interface 'CactusHandlerMethods'\.\s+Property 'onMoviePaused' is missing/),
        expect.stringMatching(/^lib\/handler\/exhaustive-handler\.ts: Class 'ExhaustiveCactusHandler' incorrectly implements interface 'CactusHandlerMethods'\.\s+Property 'onMoviePaused' is missing/),
      ]),
    );
  }, 60_000);

  it("then, once declared abstract there, breaks every exhaustive subclass that does not handle it, and no plain one", () => {
    const errors = compile(new Map([[catalogFile, withRow(catalog)], [exhaustiveFile, withAbstractMethod(exhaustive)]]));
    const inUserCode = errors.filter((error) => error.startsWith("spec/handler/__virtual__/"));
    expect(inUserCode).toEqual([
      "spec/handler/__virtual__/user-handlers.ts: Non-abstract class 'Exhaustive' does not implement inherited abstract member onMoviePaused from class 'ExhaustiveCactusHandler'.",
    ]);
    expect(errors.filter((error) => error.startsWith("lib/handler/exhaustive-handler.ts"))).toEqual([]);
  }, 60_000);

  it("reaches the router by itself: on(\"movie.paused\", fn) and onMoviePaused(fn) compile with no router edit", () => {
    // Without the row, the same file does not compile (so the check below means something).
    expect(compile(new Map(), [routerFile])).toEqual(expect.arrayContaining([expect.stringMatching(/"movie.paused"/)]));
    const errors = compile(new Map([[catalogFile, withRow(catalog)]]), [routerFile]);
    expect(errors.filter((error) => error.startsWith("spec/") || error.startsWith("lib/handler/router") || error.startsWith("lib/handler/seed"))).toEqual([]);
  }, 60_000);
});
