/** What the router answers: a status, a JSON body and extra headers. */
export interface RouteAnswer {
  /** HTTP status. */
  readonly status: number;
  /** Body, serialized as JSON. */
  readonly body: object;
  /** Extra headers (`allow` on 405). */
  readonly headers: Readonly<Record<string, string>>;
}
