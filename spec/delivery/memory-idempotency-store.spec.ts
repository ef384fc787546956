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
