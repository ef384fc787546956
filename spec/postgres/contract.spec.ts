import { idempotencyStoreContract } from "../delivery/idempotency-store-contract";
import { describePostgres } from "./describe-postgres";
import { usePGlite, useRealPostgres, type DatabaseUnderTest } from "./store-under-test";

const realTime = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

function contractOn(database: DatabaseUnderTest): void {
  idempotencyStoreContract(`PostgresEventStore on ${database.name}`, () => ({
    make: (doneTtlMs) => database.store(doneTtlMs === undefined ? {} : { doneTtlMs }),
    pass: realTime,
  }));
}

describe("PostgresEventStore on PGlite", () => {
  contractOn(usePGlite());
});

describePostgres("PostgresEventStore on a real PostgreSQL server", () => {
  contractOn(useRealPostgres());
});
