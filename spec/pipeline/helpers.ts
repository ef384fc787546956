import { CactusClient, CactusHandler, type BaseThinEvent, type CactusReceiverOptions, type OrderShippedPushedEvent } from "../../lib";

/** A client that never reaches the network (its port is closed). */
export function offlineClient(): CactusClient {
  return new CactusClient({ apiKey: "sk_test_pipeline", baseUrl: "http://127.0.0.1:9", maxRetries: 0 });
}

/**
 * A handler whose `onOrderShipped` runs `behaviour` (default: succeed), counting calls, so a test can
 * make it fail, hang or be slow. Everything else goes to `onOther`, also counted.
 */
export class ScriptedHandler extends CactusHandler {
  shipped = 0;
  other = 0;
  behaviour: (event: OrderShippedPushedEvent) => Promise<void> = async () => undefined;

  constructor(options: CactusReceiverOptions = {}) {
    super(offlineClient(), options);
  }

  override async onOrderShipped(event: OrderShippedPushedEvent): Promise<void> {
    this.shipped += 1;
    await this.behaviour(event);
  }

  override async onOther(event: BaseThinEvent): Promise<void> {
    void event;
    this.other += 1;
  }
}

/** A promise and the functions that settle it, for handlers a test releases by hand. */
export function deferred<T = void>(): { promise: Promise<T>; resolve: (value: T) => void; reject: (error: unknown) => void } {
  let resolve!: (value: T) => void;
  let reject!: (error: unknown) => void;
  const promise = new Promise<T>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  return { promise, resolve, reject };
}
