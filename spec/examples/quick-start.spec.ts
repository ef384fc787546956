import { CactusEmulator } from "../../lib/emulator";
import { quickStart } from "../../examples/quick-start";

describe("the README quick start", () => {
  let emulator: CactusEmulator;
  const lines: string[] = [];
  let previousUrl: string | undefined;

  beforeAll(async () => {
    emulator = await CactusEmulator.start();
    previousUrl = process.env.CACTUS_API_BASE_URL;
    process.env.CACTUS_API_BASE_URL = emulator.url;
    jest.spyOn(console, "log").mockImplementation((line: string) => void lines.push(line));
  });
  afterAll(async () => {
    jest.restoreAllMocks();
    if (previousUrl === undefined) delete process.env.CACTUS_API_BASE_URL;
    else process.env.CACTUS_API_BASE_URL = previousUrl;
    await emulator.close();
  });

  it("prints the rating and title, the lost city, and the rest via onOther", async () => {
    for (const id of ["evt_movie_completed", "evt_order_lost", "evt_order_shipped", "evt_order_refunded"]) {
      await quickStart(JSON.stringify(emulator.thinEventOf(id)), emulator.apiKey);
    }
    expect(lines).toEqual([
      `ada rated "The Prickly Pear" 4.5/5`,
      "lost near Tucson",
      "not handled: order.shipped evt_order_shipped",
      "not handled: order.refunded evt_order_refunded",
    ]);
  });
});
