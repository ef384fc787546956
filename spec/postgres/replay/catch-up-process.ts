// The catch-up run the replay spec kills halfway: catches up from the emulator into a real
// PostgreSQL, each handler slow enough for the parent to SIGKILL it mid-run.
import { Pool } from "pg";
import { CactusClient, CactusHandler, type BaseThinEvent } from "../../../lib";
import { PostgresEventStore } from "../../../lib/postgres";

const quiet = (): void => undefined;

class SlowHandler extends CactusHandler {
  override async onOther(event: BaseThinEvent): Promise<void> {
    void event;
    await new Promise((resolve) => setTimeout(resolve, 40));
  }
}

async function main(): Promise<void> {
  const { url, apiUrl, apiKey, since } = JSON.parse(process.argv[2] ?? "{}") as { url: string; apiUrl: string; apiKey: string; since: string };
  const pool = new Pool({ connectionString: url, max: 4 });
  const client = new CactusClient({ apiKey, baseUrl: apiUrl, maxRetries: 0 });
  const store = new PostgresEventStore({ db: pool });
  const handler = new SlowHandler(client, { leaseMs: 500, logger: { debug: quiet, info: quiet, warn: quiet, error: quiet }, onError: quiet });
  await store.catchUp(handler, { since: new Date(since), onProgress: ({ done }) => process.stdout.write(`DONE ${done}\n`) });
  await pool.end();
  process.stdout.write("FINISHED\n");
}

void main().catch((error: unknown) => {
  process.stderr.write(`${String(error instanceof Error ? error.stack : error)}\n`);
  process.exit(1);
});
