import { All, Controller, Inject, Req, Res, type Type } from "@nestjs/common";
import { HttpAdapterHost } from "@nestjs/core";
import { CactusWebhooks } from "./cactus-webhooks";
import { readNestBody, type NestWebhookHttpRequest } from "./read-nest-body";

/**
 * A controller class answering deliveries on `path`. One class per module declaration: Nest reads
 * a controller's route from its class, and each `forRoot` may have its own path.
 *
 * Every method reaches the endpoint, so a GET is answered 405 (with `Allow: POST`) from the status
 * table rather than a framework 404. The response is written through Nest's HTTP adapter, so the
 * same code answers on Express and on Fastify.
 */
export function webhookControllerFor(path: string): Type<object> {
  @Controller(path)
  class CactusWebhookController {
    constructor(
      @Inject(CactusWebhooks) private readonly webhooks: CactusWebhooks,
      @Inject(HttpAdapterHost) private readonly adapterHost: HttpAdapterHost,
    ) {}

    @All()
    async deliver(@Req() req: NestWebhookHttpRequest, @Res() res: object): Promise<void> {
      const answer = await this.webhooks.answer({
        method: req.method ?? "GET",
        url: req.url ?? path,
        headers: req.headers,
        // Nest routed the request here: the path is this controller's (below any global prefix).
        pathMatched: true,
        readBody: (limits) => readNestBody(req, limits),
      });
      const adapter = this.adapterHost.httpAdapter;
      for (const [name, value] of Object.entries(answer.headers)) adapter.setHeader(res, name, value);
      adapter.reply(res, answer.body, answer.status);
    }
  }
  return CactusWebhookController;
}
