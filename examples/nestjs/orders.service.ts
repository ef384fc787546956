import { Injectable } from "@nestjs/common";

/** Your domain service: what the webhook handlers inject. Here it keeps a log in memory. */
@Injectable()
export class OrdersService {
  readonly log: string[] = [];

  record(line: string): void {
    this.log.push(line);
    console.log(line);
  }
}
