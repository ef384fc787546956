// A --receiver module for the `cactus replay` / `cactus catch-up` specs: its default export is a
// CactusHandler subclass instance that records each run on globalThis, for the spec to read.
import { CactusClient, CactusHandler, type BaseThinEvent, type CactusEventContext } from "../../../lib";

const quiet = (): void => undefined;

/** What each run saw. */
export interface CliRun {
  readonly id: string;
  readonly replay: boolean | undefined;
}

const runs: CliRun[] = [];
Reflect.set(globalThis, "__cactusCliRuns", runs);

class CliReceiver extends CactusHandler {
  override async onOther(event: BaseThinEvent, context: CactusEventContext): Promise<void> {
    runs.push({ id: event.id, replay: context.replay });
    if (event.id.includes("_fails_")) throw new Error(`planned failure of ${event.id}`);
  }
}

const apiUrl = process.env["CACTUS_CLI_TEST_API_URL"] ?? "http://127.0.0.1:9";
export default new CliReceiver(new CactusClient({ apiKey: "sk_test_emulator", baseUrl: apiUrl, maxRetries: 0 }), { logger: { debug: quiet, info: quiet, warn: quiet, error: quiet }, onError: quiet });
