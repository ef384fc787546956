import { CactusHandler, MovieCompletedData, type BaseThinEvent, type MovieCompletedPushedEvent } from "../../lib";

const quiet = (): void => undefined;
/** A logger that prints nothing. */
export const silent = { debug: quiet, info: quiet, warn: quiet, error: quiet };

/**
 * Fails every `movie.completed` run until `ready`, then records what the handler saw of the pulled
 * event: today's rating, whether `data` is today's class, and the version the event arrived in.
 */
export class Ratings extends CactusHandler {
  ready = false;
  readonly seen: { rating: number; isCurrentClass: boolean; arrived: string }[] = [];
  override async onMovieCompleted(event: MovieCompletedPushedEvent): Promise<void> {
    if (!this.ready) throw new Error(`not ready for ${event.id}`);
    const full = await event.pull();
    this.seen.push({ rating: full.data.rating, isCurrentClass: full.data instanceof MovieCompletedData, arrived: event.apiVersion });
  }
  override async onOther(event: BaseThinEvent): Promise<void> {
    throw new Error(`unexpected ${event.type}`);
  }
}
