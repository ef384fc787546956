import { runWebhookDemo } from "../../examples/demo-webhooks";

describe("examples/demo-webhooks", () => {
  it("delivers every type through HTTP and signatures, and refuses a forged delivery", async () => {
    const lines: string[] = [];
    const { expected, total } = await runWebhookDemo((line) => lines.push(line));
    expect(expected).toBe(total);
    const text = lines.join("\n");
    expect(text).toContain('"handledBy":"onMovieCompleted"');
    expect(text).toContain('"handledBy":"onOther"');
    expect(text).toContain("401");
    expect(text).toContain("rated \"The Prickly Pear\" 4.5/5");
  });
});
