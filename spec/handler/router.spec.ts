import { CactusClient, CactusConfigError, CactusHandlerError, CactusHandlersError, CactusUnhandledEventError, CactusParseError, CactusRouter, CactusValidationError, CactusSignatureError, MovieCompletedPushedEvent, OrderShippedPushedEvent, UnknownPushedEvent, cactusEventTypes, type CactusEventPattern, type PushedThinEvent } from "../../lib";
import { generateWebhookSecret, signWebhook } from "../../lib/webhooks";
import { eventCatalog } from "../../lib/events";
import type { CactusEmulator } from "../../lib/emulator";
import { SEEDED_EVENT_IDS, startEmulatorWithClient, thinBody } from "../helpers/emulator";


describe("CactusRouter", () => {
  let emulator: CactusEmulator;
  let client: CactusClient;
  let router: CactusRouter;
  const body = (id: string): string => thinBody(emulator, id);

  beforeAll(async () => {
    ({ emulator, client } = await startEmulatorWithClient());
  });
  afterAll(() => emulator.close());
  beforeEach(() => {
    router = new CactusRouter(client);
  });

  describe("on(type, fn)", () => {
    it("calls the handler with the typed, bound event, so it can pull()", async () => {
      const lines: string[] = [];
      router.on("movie.completed", async (event) => {
        const [full, movie] = await Promise.all([event.pull(), event.fetchRelatedObject()]);
        lines.push(`${event.constructor.name}: ${full.data.user} rated "${movie.title}" ${full.data.rating}/5`);
      });
      const result = await router.handle(body("evt_movie_completed"));
      expect(lines).toEqual([`MovieCompletedPushedEvent: ada rated "The Prickly Pear" 4.5/5`]);
      expect(result.event).toBeInstanceOf(MovieCompletedPushedEvent);
      expect(result.handledBy).toBe("movie.completed");
      expect(result.handlers).toEqual(["movie.completed"]);
    });

    it("calls only the handlers of the event's type", async () => {
      const seen: string[] = [];
      router.on("order.shipped", (event) => void seen.push(`shipped ${event.id}`));
      router.on("movie.completed", (event) => void seen.push(`completed ${event.id}`));
      await router.handle(body("evt_order_shipped"));
      expect(seen).toEqual(["shipped evt_order_shipped"]);
    });

    it("names a handler in results and errors by its function name when it has one", async () => {
      router.on("order.shipped", function notifyWarehouse() {});
      expect((await router.handle(body("evt_order_shipped"))).handledBy).toBe("order.shipped (notifyWarehouse)");
    });

    it("accepts the body as a string, bytes or an already-parsed object", async () => {
      const ids: string[] = [];
      router.on("order.lost", (event) => void ids.push(event.id));
      await router.handle(body("evt_order_lost"));
      await router.handle(Buffer.from(body("evt_order_lost")));
      await router.handle(emulator.thinEventOf("evt_order_lost"));
      expect(ids).toEqual(["evt_order_lost", "evt_order_lost", "evt_order_lost"]);
    });

    it("sees subscriptions added after the first event", async () => {
      const seen: string[] = [];
      router.on("order.shipped", () => void seen.push("first"));
      await router.handle(body("evt_order_shipped"));
      router.on("order.shipped", () => void seen.push("second"));
      await router.handle(body("evt_order_shipped"));
      expect(seen).toEqual(["first", "first", "second"]);
    });
  });

  describe("several handlers for one type", () => {
    it("runs all of them, started in registration order", async () => {
      const started: number[] = [];
      for (const n of [1, 2, 3]) router.on("order.shipped", () => void started.push(n));
      const result = await router.handle(body("evt_order_shipped"));
      expect(started).toEqual([1, 2, 3]);
      expect(result.handlers).toHaveLength(3);
    });

    it("keeps running the others when one throws, and rejects with every failure", async () => {
      const ran: string[] = [];
      const syncError = new TypeError("sync boom");
      const asyncError = new Error("async boom");
      router.on("order.shipped", function throwsAtOnce() {
        ran.push("throwsAtOnce");
        throw syncError;
      });
      router.on("order.shipped", async function rejectsLater() {
        await new Promise((resolve) => setTimeout(resolve, 5));
        ran.push("rejectsLater");
        throw asyncError;
      });
      router.on("order.shipped", async function succeeds() {
        await new Promise((resolve) => setTimeout(resolve, 10));
        ran.push("succeeds");
      });

      const error = await router.handle(body("evt_order_shipped")).then(
        () => undefined,
        (reason: unknown) => reason,
      );
      // Rejected only after every handler finished, the slow successful one included.
      expect(ran).toEqual(["throwsAtOnce", "rejectsLater", "succeeds"]);
      expect(error).toBeInstanceOf(CactusHandlersError);
      expect(error).toBeInstanceOf(CactusHandlerError); // same family and code as CactusHandler's failures
      if (!(error instanceof CactusHandlersError)) return;
      expect(error.code).toBe("handler_failed");
      expect(error.eventId).toBe("evt_order_shipped");
      expect(error.eventType).toBe("order.shipped");
      expect(error.handlerCount).toBe(3);
      expect(error.errors).toEqual([syncError, asyncError]);
      expect(error.failures).toEqual([
        { handler: "order.shipped (throwsAtOnce)", error: syncError },
        { handler: "order.shipped (rejectsLater)", error: asyncError },
      ]);
      expect(error.cause).toBeInstanceOf(AggregateError);
      expect(error.cause instanceof AggregateError && error.cause.errors).toEqual([syncError, asyncError]);
      expect(error.message).toBe(
        "2 of 3 handlers for order.shipped event evt_order_shipped failed: " +
          "order.shipped (throwsAtOnce): sync boom; order.shipped (rejectsLater): async boom",
      );
    });

    it("wraps a single failure the same way, keeping a thrown non-Error value", async () => {
      router.on("order.lost", () => {
        throw "plain string"; // what a careless dependency might throw
      });
      await expect(router.handle(body("evt_order_lost"))).rejects.toMatchObject({
        eventId: "evt_order_lost",
        errors: ["plain string"],
        failures: [{ handler: "order.lost", error: "plain string" }],
      });
    });
  });

  describe("prefix and catch-all subscriptions", () => {
    it('"order.*" receives every known order type and nothing else', async () => {
      const seen: string[] = [];
      const other: string[] = [];
      router.on("order.*", (event) => void seen.push(event.type)).onOther((event) => void other.push(event.type));
      for (const id of SEEDED_EVENT_IDS) await router.handle(body(id));
      const isOrder = (type: string): boolean => type.startsWith("order.");
      expect(seen).toEqual(cactusEventTypes.filter(isOrder));
      expect(seen).toEqual(expect.arrayContaining(["order.shipped", "order.delivery_attempted", "order.lost"]));
      expect(other).toEqual([...cactusEventTypes.filter((type) => !isOrder(type)), "order.refunded"]);
      expect(other).toEqual(expect.arrayContaining(["movie.started", "movie.completed"]));
    });

    it('"*" receives every event, including types this SDK does not know', async () => {
      const seen: PushedThinEvent[] = [];
      router.on("*", (event) => void seen.push(event));
      for (const id of SEEDED_EVENT_IDS) await router.handle(body(id));
      expect(seen.map((event) => event.type)).toEqual([...cactusEventTypes, "order.refunded"]);
      expect(seen.at(-1)).toBeInstanceOf(UnknownPushedEvent);
    });

    it("runs type, prefix and catch-all handlers together, in registration order", async () => {
      const seen: string[] = [];
      router.on("*", () => void seen.push("*"));
      router.on("order.shipped", () => void seen.push("order.shipped"));
      router.on("order.*", () => void seen.push("order.*"));
      router.on("movie.*", () => void seen.push("movie.*"));
      const result = await router.handle(body("evt_order_shipped"));
      expect(seen).toEqual(["*", "order.shipped", "order.*"]);
      expect(result.handledBy).toBe("*, order.shipped, order.*");
    });
  });

  describe("onOther", () => {
    it("receives known types nothing subscribed to, and unknown types", async () => {
      const seen: string[] = [];
      router.on("order.shipped", () => void seen.push("shipped"));
      router.onOther((event) => void seen.push(`other ${event.type} ${event.known ? "known" : "unknown"}`));
      for (const id of ["evt_order_shipped", "evt_movie_started", "evt_order_refunded"]) await router.handle(body(id));
      expect(seen).toEqual(["shipped", "other movie.started known", "other order.refunded unknown"]);
    });

    it('does not run when a type or prefix handler matched; a "*" handler does not count as a match', async () => {
      const seen: string[] = [];
      router.on("order.*", () => void seen.push("order.*"));
      router.on("*", (event) => void seen.push(`* ${event.type}`));
      router.onOther((event) => void seen.push(`other ${event.type}`));
      const shipped = await router.handle(body("evt_order_shipped"));
      const completed = await router.handle(body("evt_movie_completed"));
      expect(seen).toEqual(["order.*", "* order.shipped", "* movie.completed", "other movie.completed"]);
      expect(shipped.handledBy).toBe("order.*, *");
      expect(completed.handledBy).toBe("*, onOther");
    });

    it("rejects, so Cactus redelivers, when nothing matched and there is no onOther: an event nobody decided about is not lost", async () => {
      router.on("order.shipped", () => undefined);
      const failure = router.handle(body("evt_order_refunded"));
      await expect(failure).rejects.toBeInstanceOf(CactusUnhandledEventError);
      await expect(failure).rejects.toMatchObject({ code: "unhandled_event", eventId: "evt_order_refunded", eventType: "order.refunded" });
      await expect(failure).rejects.toThrow(/add router.onOther\(fn\)/);
      router.onOther(() => undefined);
      expect((await router.handle(body("evt_order_refunded"))).event).toBeInstanceOf(UnknownPushedEvent);
    });

    it("fails like any other handler, with isolation", async () => {
      const ran: string[] = [];
      router.onOther(() => {
        throw new Error("no idea");
      });
      router.on("*", () => void ran.push("*"));
      await expect(router.handle(body("evt_order_refunded"))).rejects.toThrow(
        "1 of 2 handlers for order.refunded event evt_order_refunded failed: onOther: no idea",
      );
      expect(ran).toEqual(["*"]);
    });
  });

  describe("bad input", () => {
    it("rejects with the parse or validation error and runs nothing", async () => {
      const ran: string[] = [];
      router.on("*", () => void ran.push("*"));
      router.onOther(() => void ran.push("other"));
      await expect(router.handle("{not json")).rejects.toBeInstanceOf(CactusParseError);
      await expect(
        router.handle({ id: "evt_1", type: "order.shipped", related_object: { id: "mov_1", type: "movie" } }),
      ).rejects.toBeInstanceOf(CactusValidationError);
      expect(ran).toEqual([]);
    });

    it("rejects a pattern that is not one, at registration (JavaScript callers, computed strings)", () => {
      // The casts stand for what the compiler cannot see: JavaScript callers and computed strings.
      for (const bad of ["order.shiped", "order", "invoice.*", "", "order.**"]) {
        expect(() => router.on(bad as CactusEventPattern, () => undefined)).toThrow(CactusConfigError);
      }
      expect(() => router.on("order.shiped" as CactusEventPattern, () => undefined)).toThrow(
        /router.on: "order.shiped" is not an event pattern. Use a known type, a domain prefix or "\*": order.shipped, /,
      );
    });

    it("rejects a handler that is not a function, at registration", () => {
      const notAFunction: unknown = "handler";
      expect(() => router.on("order.shipped", notAFunction as () => void)).toThrow(CactusConfigError);
      expect(() => router.onOther(notAFunction as () => void)).toThrow(/onOther: the handler must be a function, got string/);
    });
  });

  describe("the seed's shape: one registration method per catalog type", () => {
    it("exists for every catalog row, named by its handlerMethod", () => {
      for (const type of cactusEventTypes) {
        expect(typeof Reflect.get(router, eventCatalog[type].handlerMethod)).toBe("function");
      }
      // Not enumerable, like methods written in a class body.
      expect(Object.keys(CactusRouter.prototype)).toEqual([]);
    });

    it("is on(type, fn), and chains", async () => {
      const seen: string[] = [];
      router
        .onOrderShipped((event) => void seen.push(`${event.constructor.name}`))
        .onMovieCompleted(async (event) => void seen.push(`rating ${(await event.pull()).data.rating}`));
      await router.handle(body("evt_order_shipped"));
      await router.handle(body("evt_movie_completed"));
      expect(seen).toEqual([OrderShippedPushedEvent.name, "rating 4.5"]);
      expect((await router.handle(body("evt_movie_completed"))).handledBy).toBe("movie.completed");
    });
  });

  it("builds its own client from options", async () => {
    const own = new CactusRouter({ apiKey: emulator.apiKey, baseUrl: emulator.url });
    expect(own.client).toBeInstanceOf(CactusClient);
    const titles: string[] = [];
    own.on("movie.started", async (event) => void titles.push((await event.fetchRelatedObject()).title));
    await own.handle(body("evt_movie_started"));
    expect(titles).toEqual(["The Prickly Pear"]);
  });

  it("takes the receiver options (webhookSecret) and verifies deliveries with handleWebhook", async () => {
    const secret = generateWebhookSecret();
    const seen: string[] = [];
    const signed = new CactusRouter(client, { webhookSecret: secret }).on("order.lost", (event) => void seen.push(event.id));
    const raw = body("evt_order_lost");
    const result = await signed.handleWebhook(raw, signWebhook({ id: "evt_order_lost", body: raw, webhookSecret: secret }));
    expect(result.handledBy).toBe("order.lost");
    await expect(signed.handleWebhook(raw, signWebhook({ id: "evt_order_lost", body: raw, webhookSecret: generateWebhookSecret() }))).rejects.toBeInstanceOf(
      CactusSignatureError,
    );
    expect(seen).toEqual(["evt_order_lost"]);
  });
});
