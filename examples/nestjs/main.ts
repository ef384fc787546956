// A NestJS app receiving CactusEvents on POST /webhooks, on Express (default) or Fastify.
//   CACTUS_WEBHOOK_SECRET=whsec_... CACTUS_API_KEY=sk_test_... node dist/examples/nestjs/main.js
//   NEST_PLATFORM=fastify PORT=3000 ... node dist/examples/nestjs/main.js
// rawBody: true keeps the bytes the signature covers; enableShutdownHooks closes the endpoint on
// SIGTERM (deliveries in flight finish, new ones get 503 and Cactus redelivers them).
import { NestFactory } from "@nestjs/core";
import { FastifyAdapter, type NestFastifyApplication } from "@nestjs/platform-fastify";
import type { INestApplication } from "@nestjs/common";
import { AppModule } from "./app.module";

/** Creates and starts the app on `port` (0: a free one) of 127.0.0.1; resolves with its URL. */
export async function startApp(port: number, platform: "express" | "fastify" = "express"): Promise<{ app: INestApplication; url: string }> {
  const app =
    platform === "fastify"
      ? await NestFactory.create<NestFastifyApplication>(AppModule, new FastifyAdapter(), { rawBody: true, logger: ["error", "warn"] })
      : await NestFactory.create(AppModule, { rawBody: true, logger: ["error", "warn"] });
  app.enableShutdownHooks();
  await app.listen(port, "127.0.0.1");
  const address: unknown = app.getHttpServer().address();
  const bound = typeof address === "object" && address !== null && "port" in address ? Number(address.port) : port;
  return { app, url: `http://127.0.0.1:${bound}/webhooks` };
}

if (require.main === module) {
  const platform = process.env.NEST_PLATFORM === "fastify" ? "fastify" : "express";
  startApp(Number(process.env.PORT ?? 3000), platform)
    .then(({ url }) => console.log(`listening on ${url} (${platform})`))
    .catch((error: unknown) => {
      console.error(error);
      process.exitCode = 1;
    });
}
