import { runCli } from "../../lib/cli/main";
import { PostgresEventStore } from "../../lib/postgres";
import { capture } from "../cli/capture";
import { describePostgres, usePostgres } from "./describe-postgres";

describePostgres("cactus db migrate", () => {
  const server = usePostgres();

  it("creates the tables, then finds them current; a store on them is ready", async () => {
    const first = capture();
    expect(await runCli(["db", "migrate", "--database-url", server.url, "--schema", "cli_app"], first.io)).toBe(0);
    expect(first.out).toEqual(['migrated the event store tables in schema "cli_app" from version 0 to 2']);
    const second = capture();
    expect(await runCli(["db", "migrate", "--database-url", server.url, "--schema", "cli_app"], second.io)).toBe(0);
    expect(second.out).toEqual(['event store tables in schema "cli_app" are current (version 2)']);
    await expect(new PostgresEventStore({ db: server.pool, schema: "cli_app" }).ready()).resolves.toBeUndefined();
  });

  it("refuses a missing or wrong URL with a usage error, never printing a password", async () => {
    const saved = process.env["DATABASE_URL"];
    delete process.env["DATABASE_URL"];
    try {
      const missing = capture();
      expect(await runCli(["db", "migrate"], missing.io)).toBe(2);
      expect(missing.err.join("\n")).toContain("cactus db migrate needs --database-url <url> (or DATABASE_URL)");
      const wrong = capture();
      expect(await runCli(["db", "migrate", "--database-url", "mysql://root:hunter2@db/app"], wrong.io)).toBe(2);
      expect(wrong.err.join("\n")).toContain("mysql://***@db/app");
      expect(wrong.err.join("\n")).not.toContain("hunter2");
    } finally {
      if (saved !== undefined) process.env["DATABASE_URL"] = saved;
    }
  });

  it("exits 1 with the database's refusal when the server is unreachable", async () => {
    const run = capture();
    expect(await runCli(["db", "migrate", "--database-url", "postgres://postgres:secret-pw@127.0.0.1:1/postgres"], run.io)).toBe(1);
    expect(run.err.join("\n")).toMatch(/ECONNREFUSED|connect/);
    expect(run.err.join("\n")).not.toContain("secret-pw");
  });
});
