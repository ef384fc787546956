// Decorators below read type metadata while this module loads, whichever module a program imports first.
import "reflect-metadata";
import { Type } from "class-transformer";
import { IsDefined, IsNumber, IsObject, IsString, Max, Min, ValidateNested } from "class-validator";
import { BaseFullEvent, MoviePushedEvent, pullAs, type RelatedObjectRefOf } from "./base";
import { IsoDate, Wire } from "./wire";

// ---- movie.started --------------------------------------------------------------------------

/** `data` of `movie.started`. */
export class MovieStartedData {
  /** When the user pressed play. */
  @Wire() @IsoDate("timestamp") readonly date!: Date;
}

/** Full `movie.started` event, with its data. */
export class MovieStartedEvent extends BaseFullEvent {
  declare readonly type: "movie.started";
  declare readonly relatedObject: RelatedObjectRefOf<"movie">;
  /** When it started. */
  @Wire() @IsDefined() @IsObject() @ValidateNested() @Type(() => MovieStartedData)
  readonly data!: MovieStartedData;
}

/** Pushed `movie.started`: a user started a movie. */
export class MovieStartedPushedEvent extends MoviePushedEvent {
  declare readonly type: "movie.started";
  /** Retrieves the full event with its {@link MovieStartedData}. */
  pull(): Promise<MovieStartedEvent> {
    return pullAs(this, MovieStartedEvent);
  }
}

// ---- movie.completed ------------------------------------------------------------------------

/** `data` of `movie.completed`. */
export class MovieCompletedData {
  /** Who watched it. */
  @Wire() @IsString() readonly user!: string;
  /** Their rating, 0 to 5 inclusive. */
  @Wire() @IsNumber({ allowNaN: false, allowInfinity: false }) @Min(0) @Max(5) readonly rating!: number;
}

/** Full `movie.completed` event, with its data. */
export class MovieCompletedEvent extends BaseFullEvent {
  declare readonly type: "movie.completed";
  declare readonly relatedObject: RelatedObjectRefOf<"movie">;
  /** Who finished it and how they rated it. */
  @Wire() @IsDefined() @IsObject() @ValidateNested() @Type(() => MovieCompletedData)
  readonly data!: MovieCompletedData;
}

/** Pushed `movie.completed`: a user finished a movie. */
export class MovieCompletedPushedEvent extends MoviePushedEvent {
  declare readonly type: "movie.completed";
  /** Retrieves the full event with its {@link MovieCompletedData} (user and rating). */
  pull(): Promise<MovieCompletedEvent> {
    return pullAs(this, MovieCompletedEvent);
  }
}
