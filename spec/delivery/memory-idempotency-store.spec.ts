import { MemoryIdempotencyStore } from "../../lib/delivery/memory-idempotency-store";
import { idempotencyStoreContract } from "./idempotency-store-contract";

idempotencyStoreContract("MemoryIdempotencyStore", () => {
  let now = 1_000_000;
  return {
    make: (doneTtlMs) => new MemoryIdempotencyStore({ now: () => now, ...(doneTtlMs === undefined ? {} : { doneTtlMs }) }),
    pass: async (ms) => {
      now += ms;
    },
  };
});

describe("MemoryIdempotencyStore generations", () => {
  async function commitAt(store: MemoryIdempotencyStore, id: string): Promise<void> {
    const claim = await store.claim(id, 10_000);
    if (claim.status !== "claimed") throw new Error(`expected a claim of ${id}, got ${claim.status}`);
    await store.commit(id, claim.token);
  }

  it("remembers an id committed just before its generation rotates for its whole TTL, then forgets it", async () => {
    let now = 5_000;
    const store = new MemoryIdempotencyStore({ doneTtlMs: 1_000, now: () => now });
    now += 900;
    await commitAt(store, "evt_late");
    now += 200; // a claim past one TTL rotates the generations
    await commitAt(store, "evt_next");
    now += 700; // evt_late was committed 900 ms ago
    expect((await store.claim("evt_late", 10_000)).status).toBe("duplicate");
    now += 150; // 1,050 ms ago
    expect((await store.claim("evt_late", 10_000)).status).toBe("claimed");
    expect((await store.claim("evt_next", 10_000)).status).toBe("duplicate");
  });

  it("drops a generation older than two TTLs whole, and keeps counting what it holds", async () => {
    let now = 0;
    const store = new MemoryIdempotencyStore({ doneTtlMs: 100, now: () => now });
    for (let i = 0; i < 50; i++) await commitAt(store, `evt_${i}`);
    expect(store.size).toBe(50);
    now += 150;
    await commitAt(store, "evt_a"); // rotation: the 50 become the previous generation
    now += 150;
    await commitAt(store, "evt_b"); // rotation: the 50 go whole
    expect(store.size).toBe(2);
    expect((await store.claim("evt_0", 10_000)).status).toBe("claimed");
  });

  it("evicts the oldest done ids first when full, across generations", async () => {
    let now = 900;
    const store = new MemoryIdempotencyStore({ maxEntries: 3, doneTtlMs: 1_000, now: () => now });
    await commitAt(store, "evt_a");
    await commitAt(store, "evt_b");
    now = 1_000; // the next claim rotates: a and b (still within their TTL) are the previous generation
    await commitAt(store, "evt_c");
    await commitAt(store, "evt_d"); // full: a goes
    await commitAt(store, "evt_e"); // full: b goes
    expect(store.size).toBeLessThanOrEqual(3);
    for (const id of ["evt_c", "evt_d", "evt_e"]) expect((await store.claim(id, 10_000)).status).toBe("duplicate");
    await commitAt(store, "evt_f"); // the previous generation is empty: c, the oldest of the current one, goes
    for (const id of ["evt_d", "evt_e", "evt_f"]) expect((await store.claim(id, 10_000)).status).toBe("duplicate");
    expect((await store.claim("evt_a", 10_000)).status).toBe("claimed");
    expect((await store.claim("evt_c", 10_000)).status).toBe("claimed");
  });

  it("commits and releases a lease whose handler ran across a rotation of the generations", async () => {
    let now = 0;
    const store = new MemoryIdempotencyStore({ doneTtlMs: 100, now: () => now });
    const long = await store.claim("evt_long", 10_000);
    const failing = await store.claim("evt_failing", 10_000);
    if (long.status !== "claimed" || failing.status !== "claimed") throw new Error("expected two claims");
    now += 150;
    await commitAt(store, "evt_other"); // rotation: both leases are in the previous generation now
    expect((await store.claim("evt_long", 10_000)).status).toBe("in_progress");
    await store.commit("evt_long", long.token);
    await store.release("evt_failing", failing.token);
    expect((await store.claim("evt_long", 10_000)).status).toBe("duplicate");
    expect((await store.claim("evt_failing", 10_000)).status).toBe("claimed");
    now += 90; // the commit went to the current generation, with its own time: within its TTL still
    expect((await store.claim("evt_long", 10_000)).status).toBe("duplicate");
  });

  it("never evicts a live lease to make room, and evicts an expired one", async () => {
    let now = 0;
    const store = new MemoryIdempotencyStore({ maxEntries: 2, doneTtlMs: 1_000, now: () => now });
    const running = await store.claim("evt_running", 5_000);
    const abandoned = await store.claim("evt_abandoned", 100);
    if (running.status !== "claimed" || abandoned.status !== "claimed") throw new Error("expected two claims");
    now += 200; // evt_abandoned's lease expired (its process died); evt_running's has not
    await commitAt(store, "evt_a");
    await commitAt(store, "evt_b");
    expect((await store.claim("evt_running", 5_000)).status).toBe("in_progress");
    await store.commit("evt_running", running.token);
    expect((await store.claim("evt_running", 5_000)).status).toBe("duplicate");
    expect(store.size).toBeLessThanOrEqual(3);
  });
});
