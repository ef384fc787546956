import { Module } from "@nestjs/common";
import { MemoryIdempotencyStore } from "../../lib";
import { CactusModule } from "../../lib/nestjs";
import { MovieHandlers } from "./movie.handlers";
import { OrdersHandler } from "./orders.handler";
import { OrdersService } from "./orders.service";

/**
 * The app: CactusModule answers POST /webhooks; the handlers are ordinary providers. The options
 * are read from the environment when the app starts (with @nestjs/config, inject ConfigService
 * into the factory instead).
 */
@Module({
  imports: [
    CactusModule.forRootAsync({
      useFactory: () => ({
        webhookSecret: process.env.CACTUS_WEBHOOK_SECRET ?? "",
        client: { apiKey: process.env.CACTUS_API_KEY ?? "sk_test_emulator" },
        idempotency: new MemoryIdempotencyStore(),
      }),
    }),
  ],
  providers: [OrdersService, OrdersHandler, MovieHandlers],
})
export class AppModule {}
