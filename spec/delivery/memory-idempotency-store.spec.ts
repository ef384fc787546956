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
});
