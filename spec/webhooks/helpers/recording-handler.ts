import {
  CactusClient,
  CactusHandler,
  type BaseThinEvent,
  type CactusReceiverOptions,
  type MovieCompletedPushedEvent,
  type OrderShippedPushedEvent,
} from "../../../lib";

/** One call a {@link RecordingHandler} received. */
export interface RecordedCall {
  readonly method: string;
  readonly id: string;
  readonly type: string;
}

/**
 * A handler that records every method call and never touches the network (its client points at
 * a closed port). `failWith` makes every method throw, to exercise the 500 row.
 */
export class RecordingHandler extends CactusHandler {
  readonly calls: RecordedCall[] = [];
  failWith: Error | undefined;

  constructor(options?: CactusReceiverOptions) {
    super(new CactusClient({ apiKey: "sk_test_recording", baseUrl: "http://127.0.0.1:9", maxRetries: 0 }), options);
  }

  override async onOrderShipped(event: OrderShippedPushedEvent): Promise<void> {
    this.record("onOrderShipped", event);
  }

  override async onMovieCompleted(event: MovieCompletedPushedEvent): Promise<void> {
    this.record("onMovieCompleted", event);
  }

  override async onOther(event: BaseThinEvent): Promise<void> {
    this.record("onOther", event);
  }

  private record(method: string, event: BaseThinEvent): void {
    if (this.failWith) throw this.failWith;
    this.calls.push({ method, id: event.id, type: event.type });
  }
}
