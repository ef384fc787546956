import type { WebhookRawBody } from "../../lib/signature/raw-body";
import { createWebhookCore } from "../../lib/webhooks/core";
import { resolveWebhookOptions } from "../../lib/webhooks/options";
import { CountingHandler } from "./fuzz/counting-handler";
import { SECRET, signedDelivery } from "./helpers/fixtures";

// The declared content-length is checked before any byte of the body is read.
describe("the declared content-length", () => {
  const handler = new CountingHandler({ webhookSecret: SECRET });
  const core = createWebhookCore(handler, resolveWebhookOptions(handler, { secret: SECRET, maxBodyBytes: 1000, onError: () => undefined }, undefined, "declared-length"));

  async function answerWith(contentLength: string): Promise<{ status: number; bodyRead: boolean }> {
    const { body, headers } = signedDelivery();
    let bodyRead = false;
    const answer = await core.answer({
      method: "POST",
      url: "/",
      headers: { ...headers, "content-type": "application/json", "content-length": contentLength },
      readBody: (): Promise<WebhookRawBody> => {
        bodyRead = true;
        return Promise.resolve(body);
      },
    });
    return { status: answer.status, bodyRead };
  }

  it("answers 413 without reading the body when it is larger than maxBodyBytes, surrounding spaces or not", async () => {
    await expect(answerWith("1001")).resolves.toEqual({ status: 413, bodyRead: false });
    await expect(answerWith(" 99999999999999999999 ")).resolves.toEqual({ status: 413, bodyRead: false });
  });

  it("reads the body when the declared length fits, or is not a plain number (the byte count decides then)", async () => {
    await expect(answerWith("1000")).resolves.toEqual({ status: 200, bodyRead: true });
    await expect(answerWith("12a")).resolves.toEqual({ status: 200, bodyRead: true });
    await expect(answerWith("-5000")).resolves.toEqual({ status: 200, bodyRead: true });
    await expect(answerWith("")).resolves.toEqual({ status: 200, bodyRead: true });
  });
});
