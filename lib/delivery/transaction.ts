/** What a {@link CactusTransaction} query resolves to: the rows, and how many rows it touched. */
export interface CactusQueryResult<Row extends Record<string, unknown> = Record<string, unknown>> {
  /** The rows returned (empty for a statement without `RETURNING`). */
  readonly rows: Row[];
  /** Rows inserted, updated, deleted or returned. */
  readonly rowCount: number;
}

/**
 * The database transaction a transactional event store runs a handler in (`context.transaction`).
 * Whatever the handler writes through it commits together with the "handled" mark of the event,
 * or not at all: a throw rolls both back and the event is redelivered. Use `$1`, `$2`, ... for
 * parameters; it works the same on `pg` and PGlite.
 *
 * @example
 * ```ts
 * async onOrderShipped(event: OrderShippedPushedEvent, context: CactusEventContext) {
 *   await context.transaction?.query("insert into shipments (order_id, event_id) values ($1, $2)", [event.relatedObject.id, event.id]);
 * }
 * ```
 */
export interface CactusTransaction {
  /** Runs one parameterised statement in the transaction. */
  query<Row extends Record<string, unknown> = Record<string, unknown>>(text: string, params?: readonly unknown[]): Promise<CactusQueryResult<Row>>;
}
