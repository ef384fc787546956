import { parseArgs } from "node:util";
import { CactusEmulator, DEFAULT_EMULATOR_API_KEY } from "../emulator/cactus-emulator";
import { cactusEventTypes } from "../events/catalog";
import { attachDashboard } from "../emulator/dashboard";
import { fixtureEventId, UNKNOWN_FIXTURE_TYPE } from "../emulator/fixtures";
import { integerOption, type CliIo } from "./cli-io";
import { DEFAULT_EMULATOR_PORT } from "./usage";

/** `cactus emulator [--port] [--host] [--api-key]`: serves until `io.signal` aborts (Ctrl-C). */
export async function emulatorCommand(args: readonly string[], io: CliIo): Promise<number> {
  const { values } = parseArgs({
    args: [...args],
    options: { port: { type: "string" }, host: { type: "string" }, "api-key": { type: "string" } },
  });
  const emulator = await CactusEmulator.start({
    port: integerOption("port", values.port, DEFAULT_EMULATOR_PORT, 0),
    host: values.host ?? "127.0.0.1",
    apiKey: values["api-key"] ?? process.env.CACTUS_API_KEY ?? DEFAULT_EMULATOR_API_KEY,
  });
  io.out(`Cactus API emulator listening on ${emulator.url}`);
  io.out(`  API key: ${emulator.apiKey === DEFAULT_EMULATOR_API_KEY ? emulator.apiKey : "(the one you passed)"}`);
  io.out(`  seeded events: ${[...cactusEventTypes, UNKNOWN_FIXTURE_TYPE].map(fixtureEventId).join(", ")}`);
  io.out(`  in your app: CACTUS_API_BASE_URL=${emulator.url}`);
  io.out(`  dashboard: ${emulator.url.startsWith("http://127.0.0.1:") ? attachDashboard(emulator).url : "only when the emulator listens on 127.0.0.1"}`);
  io.out(`  then: cactus trigger order.shipped --url http://localhost:3000/webhooks --secret whsec_... --api-url ${emulator.url}`);
  io.out("Press Ctrl-C to stop.");
  await new Promise<void>((resolve) => {
    if (!io.signal || io.signal.aborted) return resolve();
    io.signal.addEventListener("abort", () => resolve(), { once: true });
  });
  await emulator.close();
  io.out("emulator stopped");
  return 0;
}
