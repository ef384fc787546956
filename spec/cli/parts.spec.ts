import { Command } from "commander";
import { shouldUseColor } from "../../lib/cli/cli-io";
import { rawArgsCommand } from "../../lib/cli/command";
import { closestKnownType } from "../../lib/cli/event-type-check";
import { percentile } from "../../lib/cli/percentile";
import { capture } from "./capture";
import { UNKNOWN_TYPE } from "../helpers/emulator";

describe("closestKnownType", () => {
  it.each([
    ["order.shiped", "order.shipped"],
    ["order.shippped", "order.shipped"],
    ["ORDER.SHIPPED", "order.shipped"],
    ["movie.strated", "movie.started"],
    ["order.delivery_atempted", "order.delivery_attempted"],
    ["order.lots", "order.lost"],
  ])("suggests %s -> %s", (typo, known) => {
    expect(closestKnownType(typo)).toBe(known);
  });

  it.each(["order.refunded", "invoice.paid", UNKNOWN_TYPE, "x"])("suggests nothing for %s, a different type", (type) => {
    expect(closestKnownType(type)).toBeUndefined();
  });
});

describe("percentile", () => {
  it("takes the nearest measured value", () => {
    const values = Array.from({ length: 100 }, (_, i) => 100 - i); // 100..1, unsorted on purpose
    expect(percentile(values, 50)).toBe(50);
    expect(percentile(values, 99)).toBe(99);
    expect(percentile([7], 99)).toBe(7);
    expect(percentile([3, 1, 2], 50)).toBe(2);
    expect(percentile([], 50)).toBeUndefined();
  });
});

describe("shouldUseColor", () => {
  it("colours a terminal only, and never with NO_COLOR or TERM=dumb", () => {
    expect(shouldUseColor({ isTTY: true }, {})).toBe(true);
    expect(shouldUseColor({ isTTY: false }, {})).toBe(false);
    expect(shouldUseColor({}, {})).toBe(false);
    expect(shouldUseColor({ isTTY: true }, { NO_COLOR: "1" })).toBe(false);
    expect(shouldUseColor({ isTTY: true }, { NO_COLOR: "" })).toBe(true);
    expect(shouldUseColor({ isTTY: true }, { TERM: "dumb" })).toBe(false);
  });
});

describe("rawArgsCommand", () => {
  it("hands everything after its name, --help and unknown options included, to the command", async () => {
    const received: (readonly string[])[] = [];
    let status = -1;
    const { io } = capture();
    const program = new Command("cactus").exitOverride();
    rawArgsCommand("listen", "forward deliveries", async (args) => {
      received.push(args);
      return 3;
    }).register(program, { io, run: async (work) => { status = await work(); } });
    await program.parseAsync(["listen", "--port", "3000", "--help", "extra"], { from: "user" });
    expect(received).toEqual([["--port", "3000", "--help", "extra"]]);
    expect(status).toBe(3);
  });
});
