import { runWebhookDemo } from "../../examples/demo-webhooks";

describe("examples/demo-webhooks", () => {
  it("delivers every type through HTTP and signatures, and refuses a forged delivery", async () => {
    const lines: string[] = [];
    // The forged delivery makes the server warn, as it would in a user's terminal: captured, checked.
    const warned: string[] = [];
    const spy = jest.spyOn(console, "warn").mockImplementation((line: unknown) => void warned.push(String(line)));
    const { expected, total } = await runWebhookDemo((line) => lines.push(line)).finally(() => spy.mockRestore());
    expect(warned).toEqual([expect.stringMatching(/^\[cactus-sdk\] delivery evt_order_shipped rejected: no_matching_signature/)]);
    expect(expected).toBe(total);
    const text = lines.join("\n");
    expect(text).toContain('"handledBy":"onMovieCompleted"');
    expect(text).toContain('"handledBy":"onOther"');
    expect(text).toContain("401");
    expect(text).toContain("rated \"The Prickly Pear\" 4.5/5");
  });
});
