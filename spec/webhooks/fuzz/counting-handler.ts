import { CactusClient, CactusHandler, type BaseThinEvent, type CactusReceiverOptions } from "../../../lib";

/** A handler that only counts calls (a list would grow over 100,000 runs and hide a leak). */
export class CountingHandler extends CactusHandler {
  count = 0;

  constructor(options?: CactusReceiverOptions) {
    super(new CactusClient({ apiKey: "sk_test_fuzz", baseUrl: "http://127.0.0.1:9", maxRetries: 0 }), options);
  }

  override async onOther(event: BaseThinEvent): Promise<void> {
    void event;
    this.count += 1;
  }
}
