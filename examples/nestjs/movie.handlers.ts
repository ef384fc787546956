import type { MovieCompletedPushedEvent } from "../../lib";
import { CactusWebhookHandler, On } from "../../lib/nestjs";
import { OrdersService } from "./orders.service";

/** The decorator style as a provider: `@On` methods, with injected services. */
@CactusWebhookHandler()
export class MovieHandlers {
  constructor(private readonly log: OrdersService) {}

  @On("movie.completed")
  async rated(event: MovieCompletedPushedEvent): Promise<void> {
    const [full, movie] = await Promise.all([event.pull(), event.fetchRelatedObject()]);
    this.log.record(`${full.data.user} rated "${movie.title}" ${full.data.rating}/5`);
  }
}
