import "reflect-metadata";
import * as ts from "typescript";
import {
  CactusClient,
  CactusConfigError,
  CactusUnhandledEventError,
  CactusHandlersError,
  CactusRouter,
  On,
  OnOther,
  type BaseThinEvent,
  type CactusEventPattern,
  type MovieCompletedPushedEvent,
  type OrderDeliveryAttemptedPushedEvent,
  type OrderLostPushedEvent,
  type OrderShippedPushedEvent,
  type PushedThinEvent,
} from "../../lib";
import { ON_EVENT_METADATA, ON_OTHER_METADATA } from "../../lib/handler/constants";
import type { CactusEmulator } from "../../lib/emulator";
import { startEmulatorWithClient, thinBody } from "../helpers/emulator";

// A plain class, as a user writes one: its dependency (where lines go) comes in by constructor.
class Ratings {
  constructor(private readonly lines: string[]) {}

  @On("movie.completed")
  async rated(event: MovieCompletedPushedEvent): Promise<void> {
    const [full, movie] = await Promise.all([event.pull(), event.fetchRelatedObject()]);
    this.lines.push(`${full.data.user} rated "${movie.title}" ${full.data.rating}/5`);
  }

  @On("order.*")
  orders(event: OrderShippedPushedEvent | OrderDeliveryAttemptedPushedEvent | OrderLostPushedEvent): void {
    this.lines.push(`order ${event.type}`);
  }

  @OnOther()
  other(event: PushedThinEvent): void {
    this.lines.push(`other ${event.type}`);
  }

  // Not decorated: never subscribed.
  helper(): void {
    this.lines.push("helper");
  }
}

describe("@On and router.register", () => {
  let emulator: CactusEmulator;
  let client: CactusClient;
  const body = (id: string): string => thinBody(emulator, id);

  beforeAll(async () => {
    ({ emulator, client } = await startEmulatorWithClient());
  });
  afterAll(() => emulator.close());

  it("only records metadata on the class; it subscribes nothing by itself", () => {
    expect(Reflect.getOwnMetadata(ON_EVENT_METADATA, Ratings.prototype)).toEqual([
      { pattern: "movie.completed", method: "rated" },
      { pattern: "order.*", method: "orders" },
    ]);
    expect(Reflect.getOwnMetadata(ON_OTHER_METADATA, Ratings.prototype)).toEqual([{ pattern: null, method: "other" }]);
    // The methods themselves are untouched: a test can call one directly.
    expect(Object.getOwnPropertyDescriptor(Ratings.prototype, "rated")?.value).toBe(Ratings.prototype.rated);
  });

  it("register(instance) subscribes the decorated methods, bound to the instance", async () => {
    const lines: string[] = [];
    const router = new CactusRouter(client).register(new Ratings(lines));
    for (const id of ["evt_movie_completed", "evt_order_lost", "evt_movie_started", "evt_order_refunded"]) {
      await router.handle(body(id));
    }
    expect(lines).toEqual([`ada rated "The Prickly Pear" 4.5/5`, "order order.lost", "other movie.started", "other order.refunded"]);
  });

  it("labels each subscription with its class and method", async () => {
    const router = new CactusRouter(client).register(new Ratings([]));
    expect((await router.handle(body("evt_order_shipped"))).handledBy).toBe("order.* (Ratings.orders)");
    expect((await router.handle(body("evt_order_refunded"))).handledBy).toBe("onOther (Ratings.other)");
  });

  it("reads the metadata once, at registration, not per event", async () => {
    const router = new CactusRouter(client).register(new Ratings([]));
    const getOwn = jest.spyOn(Reflect, "getOwnMetadata");
    const get = jest.spyOn(Reflect, "getMetadata");
    try {
      await router.handle(body("evt_order_shipped"));
      await router.handle(body("evt_order_refunded"));
      expect(getOwn).not.toHaveBeenCalledWith(ON_EVENT_METADATA, expect.anything());
      expect(getOwn).not.toHaveBeenCalledWith(ON_OTHER_METADATA, expect.anything());
      expect(get).not.toHaveBeenCalledWith(ON_EVENT_METADATA, expect.anything());
    } finally {
      getOwn.mockRestore();
      get.mockRestore();
    }
  });

  it("keeps two instances of one class apart (each with its own dependencies)", async () => {
    const first: string[] = [];
    const second: string[] = [];
    const router = new CactusRouter(client).register(new Ratings(first)).register(new Ratings(second));
    await router.handle(body("evt_order_shipped"));
    expect(first).toEqual(["order order.shipped"]);
    expect(second).toEqual(["order order.shipped"]);
  });

  it("mixes with on(type, fn) and isolates a failing method like any handler", async () => {
    class Failing {
      @On("order.shipped")
      shipped(): void {
        throw new Error("warehouse API down");
      }
    }
    const ran: string[] = [];
    const router = new CactusRouter(client).register(new Failing()).on("order.shipped", () => void ran.push("fn"));
    const failure = router.handle(body("evt_order_shipped"));
    await expect(failure).rejects.toBeInstanceOf(CactusHandlersError);
    await expect(failure).rejects.toThrow("1 of 2 handlers for order.shipped event evt_order_shipped failed: order.shipped (Failing.shipped): warehouse API down");
    expect(ran).toEqual(["fn"]);
  });

  describe("inheritance", () => {
    class Base {
      readonly seen: string[] = [];
      @On("order.shipped")
      shipped(event: OrderShippedPushedEvent): void {
        this.seen.push(`base shipped ${event.id}`);
      }
      @On("order.lost")
      lost(event: OrderLostPushedEvent): void {
        this.seen.push(`base lost ${event.id}`);
      }
    }
    class Derived extends Base {
      // Overridden and decorated again: still one subscription, to the override.
      @On("order.shipped")
      override shipped(event: OrderShippedPushedEvent): void {
        this.seen.push(`derived shipped ${event.id}`);
      }
      // Overridden without a decorator: the base's subscription calls the override.
      override lost(event: OrderLostPushedEvent): void {
        this.seen.push(`derived lost ${event.id}`);
      }
      @On("movie.completed")
      completed(event: MovieCompletedPushedEvent): void {
        this.seen.push(`derived completed ${event.id}`);
      }
    }

    it("subscribes base-class methods too, each once, calling the most derived override", async () => {
      const derived = new Derived();
      const router = new CactusRouter(client).register(derived);
      for (const id of ["evt_order_shipped", "evt_order_lost", "evt_movie_completed"]) await router.handle(body(id));
      expect(derived.seen).toEqual(["derived shipped evt_order_shipped", "derived lost evt_order_lost", "derived completed evt_movie_completed"]);
    });

    it("does not leak a subclass's subscriptions into its base class", async () => {
      const base = new Base();
      const router = new CactusRouter(client).register(base);
      await expect(router.handle(body("evt_movie_completed"))).rejects.toBeInstanceOf(CactusUnhandledEventError);
      expect(base.seen).toEqual([]);
    });
  });

  describe("mistakes, caught before the first event", () => {
    it("register(Class) instead of an instance", () => {
      const router = new CactusRouter(client);
      expect(() => router.register(Ratings)).toThrow(new CactusConfigError("router.register(Ratings): pass an instance (new Ratings(...)), not the class"));
    });

    it("register(instance) of a class with no decorated method, subscribing nothing", async () => {
      class Plain {
        onMovieCompleted(event: BaseThinEvent): void {
          void event;
        }
      }
      const router = new CactusRouter(client);
      expect(() => router.register(new Plain())).toThrow(/router.register\(Plain\): no method is decorated with @On\(...\) or @OnOther\(\)/);
      await expect(router.handle(body("evt_movie_completed"))).rejects.toBeInstanceOf(CactusUnhandledEventError);
    });

    it("a pattern that is not one, when the class is defined", () => {
      const misspelled = "movie.complete" as CactusEventPattern; // what a JavaScript caller can pass
      expect(() => {
        class Misspelled {
          @On(misspelled)
          completed(): void {}
        }
        return Misspelled;
      }).toThrow(/@On: "movie.complete" is not an event pattern/);
    });

    it("@On on a static method, when the class is defined", () => {
      expect(() => {
        class Static {
          @On("order.shipped")
          static shipped(): void {}
        }
        return Static;
      }).toThrow(new CactusConfigError('@On("order.shipped") decorates instance methods; Static.shipped is static'));
    });
  });
});

// What `tsc --init`, esbuild and tsx give users: standard (TC39) decorators. The class below is
// compiled the way such a project compiles it and run through a real router.
describe("@On with standard decorators (no experimentalDecorators)", () => {
  const source = `
    import { On, OnOther } from "cactus-sdk";
    class Base {
      seen = [];
      @On("order.shipped") shipped(event) { this.seen.push("base shipped " + event.id); }
      @On("order.lost") lost(event) { this.seen.push("base lost " + event.id); }
    }
    export class Derived extends Base {
      constructor(prefix) { super(); this.prefix = prefix; }
      @On("order.shipped") shipped(event) { this.seen.push(this.prefix + " shipped " + event.id); }
      @On("movie.completed") @On("movie.started") movies(event) { this.seen.push(this.prefix + " " + event.type); }
      @OnOther() other(event) { this.seen.push(this.prefix + " other " + event.type); }
    }
    export function defineStatic() {
      class Static { @On("order.lost") static lost() {} }
      return Static;
    }
    export function definePrivate() {
      class Private { @On("order.lost") #lost() {} }
      return Private;
    }
  `;

  interface Compiled {
    Derived: new (prefix: string) => { seen: string[] };
    defineStatic(): unknown;
    definePrivate(): unknown;
  }

  function compile(): Compiled {
    const { outputText } = ts.transpileModule(source, {
      compilerOptions: {
        target: ts.ScriptTarget.ES2022,
        module: ts.ModuleKind.CommonJS,
        experimentalDecorators: false,
        emitDecoratorMetadata: false,
        useDefineForClassFields: true,
      },
    });
    expect(outputText).toContain("__esDecorate"); // really the standard decorator runtime
    const module = { exports: {} as Record<string, unknown> };
    const load = (name: string): unknown => {
      if (name !== "cactus-sdk") throw new Error(`unexpected import ${name}`);
      return { On, OnOther };
    };
    new Function("require", "module", "exports", outputText)(load, module, module.exports);
    return module.exports as unknown as Compiled;
  }

  let emulator: CactusEmulator;
  let client: CactusClient;
  let compiled: Compiled;

  beforeAll(async () => {
    ({ emulator, client } = await startEmulatorWithClient());
    compiled = compile();
  });
  afterAll(() => emulator.close());

  it("router.register(instance) finds the methods, base classes' too, bound to the instance", async () => {
    const derived = new compiled.Derived("d");
    const router = new CactusRouter(client).register(derived);
    for (const id of ["evt_order_shipped", "evt_order_lost", "evt_movie_started", "evt_movie_completed", "evt_order_refunded"]) {
      await router.handle(thinBody(emulator, id));
    }
    expect(derived.seen).toEqual([
      "d shipped evt_order_shipped",
      "base lost evt_order_lost",
      "d movie.started",
      "d movie.completed",
      "d other order.refunded",
    ]);
    expect((await router.handle(thinBody(emulator, "evt_order_shipped"))).handledBy).toBe("order.shipped (Derived.shipped)");
  });

  it("keeps two instances apart", async () => {
    const first = new compiled.Derived("first");
    const second = new compiled.Derived("second");
    await new CactusRouter(client).register(first).handle(thinBody(emulator, "evt_movie_started"));
    expect(first.seen).toEqual(["first movie.started"]);
    expect(second.seen).toEqual([]);
  });

  it("rejects a static or private method when the class is defined, naming it", () => {
    expect(() => compiled.defineStatic()).toThrow(new CactusConfigError('@On("order.lost") decorates instance methods; Static.lost is static'));
    expect(() => compiled.definePrivate()).toThrow(/@On\("order.lost"\) decorates public methods; #lost is private/);
  });
});
