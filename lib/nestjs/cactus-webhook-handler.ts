import { Injectable } from "@nestjs/common";

/** The metadata key {@link CactusWebhookHandler} sets on a class. */
export const CACTUS_WEBHOOK_HANDLER: unique symbol = Symbol("cactus.nestjs.webhook-handler");

/**
 * Marks a provider whose methods handle CactusEvents with `@On(...)` / `@OnOther()`, so that
 * `CactusModule` finds it and subscribes its methods (bound to the instance, with its injected
 * services). Implies `@Injectable()`. A `CactusHandler` subclass needs no marker: the module finds
 * every provider that extends it.
 *
 * @example
 * ```ts
 * @CactusWebhookHandler()
 * export class MovieHandlers {
 *   constructor(private readonly ratings: RatingsService) {}
 *
 *   @On("movie.completed")
 *   async rated(event: MovieCompletedPushedEvent): Promise<void> {
 *     await this.ratings.record((await event.pull()).data.rating);
 *   }
 * }
 * ```
 */
export function CactusWebhookHandler(): ClassDecorator {
  return (target) => {
    Injectable()(target);
    Reflect.defineMetadata(CACTUS_WEBHOOK_HANDLER, true, target);
  };
}

/** Whether `type` (a provider's class) is marked with {@link CactusWebhookHandler}. */
export function isCactusWebhookHandler(type: unknown): boolean {
  return typeof type === "function" && Reflect.getMetadata(CACTUS_WEBHOOK_HANDLER, type) === true;
}
