import type { IdempotencyStore } from "../../lib/delivery/idempotency-store";
import { CactusLeaseExpiredError } from "../../lib/errors";

/** How a contract run gets a fresh store (and, for a real clock, how long to wait). */
export interface StoreUnderTest {
  /** A store with no event ids in it yet, remembering done ids for `doneTtlMs`. */
  make(doneTtlMs?: number): IdempotencyStore;
  /** Lets `ms` pass for the store (a fake clock moves; a real store just waits). */
  pass(ms: number): Promise<void>;
}

let counter = 0;
// Claims `id`, which must be free; its lease's token is what commit and release take.
async function claimed(store: IdempotencyStore, id: string, leaseMs: number): Promise<{ readonly token: string }> {
  const claim = await store.claim(id, leaseMs);
  if (claim.status !== "claimed") throw new Error(`expected a claim of ${id}, got ${claim.status}`);
  return claim;
}

const freshId = (): string => `evt_contract_${process.pid}_${Date.now()}_${(counter += 1)}`;

/** The behaviour every IdempotencyStore must have; run against the memory store and Redis. */
export function idempotencyStoreContract(name: string, setup: () => StoreUnderTest): void {
  describe(`${name} (IdempotencyStore contract)`, () => {
    let subject: StoreUnderTest;
    beforeEach(() => {
      subject = setup();
    });

    it("claims a new event with a token, then answers duplicate after commit", async () => {
      const store = subject.make();
      const id = freshId();
      const first = await store.claim(id, 5_000);
      expect(first.status).toBe("claimed");
      if (first.status !== "claimed") return;
      expect(first.token).toEqual(expect.any(String));
      await store.commit(id, first.token);
      expect(await store.claim(id, 5_000)).toEqual({ status: "duplicate" });
    });

    it("answers in_progress with the lease's remaining time while it is held", async () => {
      const store = subject.make();
      const id = freshId();
      expect((await store.claim(id, 10_000)).status).toBe("claimed");
      const second = await store.claim(id, 10_000);
      expect(second.status).toBe("in_progress");
      if (second.status !== "in_progress") return;
      expect(second.retryAfterMs).toBeGreaterThan(8_000);
      expect(second.retryAfterMs).toBeLessThanOrEqual(10_000);
    });

    it("lets the next delivery claim after a release", async () => {
      const store = subject.make();
      const id = freshId();
      const first = await claimed(store, id, 10_000);
      await store.release(id, first.token);
      const again = await store.claim(id, 10_000);
      expect(again.status).toBe("claimed");
    });

    it("lets a redelivery claim once a lease expired (its process died)", async () => {
      const store = subject.make();
      const id = freshId();
      expect((await store.claim(id, 60)).status).toBe("claimed");
      await subject.pass(150);
      expect((await store.claim(id, 60)).status).toBe("claimed");
    });

    it("leaves the lease alone on a commit or release with a token that no longer holds it (a commit may say so)", async () => {
      const store = subject.make();
      const id = freshId();
      const stale = await claimed(store, id, 60);
      await subject.pass(150);
      const current = await claimed(store, id, 10_000);
      await store.commit(id, stale.token).catch((error: unknown) => expect(error).toBeInstanceOf(CactusLeaseExpiredError));
      await store.release(id, stale.token);
      // Still held by the current holder: neither done nor free.
      expect((await store.claim(id, 10_000)).status).toBe("in_progress");
      await store.commit(id, current.token);
      expect((await store.claim(id, 10_000)).status).toBe("duplicate");
    });

    it("does not release a committed event", async () => {
      const store = subject.make();
      const id = freshId();
      const claim = await claimed(store, id, 10_000);
      await store.commit(id, claim.token);
      await store.release(id, claim.token);
      expect((await store.claim(id, 10_000)).status).toBe("duplicate");
    });

    it("forgets a done event after its done TTL", async () => {
      const store = subject.make(100);
      const id = freshId();
      const claim = await claimed(store, id, 10_000);
      await store.commit(id, claim.token);
      expect((await store.claim(id, 10_000)).status).toBe("duplicate");
      await subject.pass(200);
      expect((await store.claim(id, 10_000)).status).toBe("claimed");
    });

    it("gives exactly one of many concurrent claims the lease", async () => {
      const store = subject.make();
      const id = freshId();
      const claims = await Promise.all(Array.from({ length: 20 }, () => store.claim(id, 10_000)));
      expect(claims.filter((claim) => claim.status === "claimed")).toHaveLength(1);
      expect(claims.filter((claim) => claim.status === "in_progress")).toHaveLength(19);
    });

    it("keeps events apart by id", async () => {
      const store = subject.make();
      const [a, b] = [freshId(), freshId()];
      expect((await store.claim(a, 10_000)).status).toBe("claimed");
      expect((await store.claim(b, 10_000)).status).toBe("claimed");
    });
  });
}
