// Type tests for the client: compiled by `tsc --noEmit` in `npm test`, never run. Each
// `@ts-expect-error` line must fail to compile; if a rule breaks (the line compiles), tsc reports
// an unused directive.
import { CactusClient, MovieStartedPushedEvent, Order, OrderShippedPushedEvent, UnknownPushedEvent, type FullThinEvent, type PushedThinEvent } from "../../lib";
import { type CactusEventPage, type CactusRequestOptions, type ListEventsParams } from "../../lib/client";

declare const client: CactusClient;
declare const rawBody: Buffer;
declare const headers: Record<string, string | string[] | undefined>;
declare function expectType<T>(value: T): void;

export function clientOptions(): void {
  new CactusClient({ apiKey: "sk", fetch: (url, init) => fetch(url, init), appInfo: { name: "acme", version: "1.0.0" }, maxResponseBytes: 2_000_000 });
  // @ts-expect-error appInfo needs a name
  new CactusClient({ apiKey: "sk", appInfo: { version: "1.0.0" } });
  // @ts-expect-error maxResponseBytes is a number of bytes
  new CactusClient({ apiKey: "sk", maxResponseBytes: "1mb" });
  // @ts-expect-error a fetch takes (url, init) and returns a Promise<Response>
  new CactusClient({ apiKey: "sk", fetch: (url: string) => url });
}

export async function perCallOptions(signal: AbortSignal): Promise<void> {
  const options: CactusRequestOptions = { signal, timeoutMs: 1_000, maxRetries: 0 };
  expectType<FullThinEvent>(await client.retrieveEvent("evt_1", options));
  expectType<Order>(await client.retrieveOrder("ord_1", { signal }));
  await client.retrieveMovie("mov_1", { maxRetries: 1 });
  await client.retrieveEvent("evt_1"); // options stay optional
  // @ts-expect-error timeoutMs is a number
  await client.retrieveOrder("ord_1", { timeoutMs: "5s" });
  // @ts-expect-error signal is an AbortSignal, not a controller
  await client.retrieveOrder("ord_1", { signal: new AbortController() });
  // @ts-expect-error misspelled option
  await client.retrieveMovie("mov_1", { maxRetry: 1 });
}

export async function listEventsTyping(): Promise<void> {
  for await (const event of client.listEvents({ type: "order.shipped", limit: 10 })) {
    expectType<OrderShippedPushedEvent>(event);
    expectType<Order>(await event.fetchRelatedObject());
    // @ts-expect-error a filtered list yields only its own type
    expectType<MovieStartedPushedEvent>(event);
  }
  for await (const event of client.listEvents({ createdAfter: new Date() })) {
    expectType<PushedThinEvent>(event);
    if (event instanceof UnknownPushedEvent) continue;
    // @ts-expect-error unfiltered events are a union: narrow before fetchRelatedObject (order.lost has none)
    await event.fetchRelatedObject();
  }
  for await (const event of client.listEvents()) expectType<PushedThinEvent>(event);

  // @ts-expect-error a misspelled type string does not compile
  client.listEvents({ type: "order.shiped" });
  // @ts-expect-error createdAfter is a Date
  client.listEvents({ createdAfter: "2024-05-01" });
  // @ts-expect-error limit is a number
  client.listEvents({ limit: "10" });
  // @ts-expect-error unknown params do not compile
  client.listEvents({ created_after: new Date() });

  const page = await client.listEventsPage({ type: "movie.started" });
  expectType<CactusEventPage<MovieStartedPushedEvent>>(page);
  expectType<MovieStartedPushedEvent | undefined>(page.data[0]);
  expectType<string | undefined>(page.nextStartingAfter);
  const params: ListEventsParams = { limit: 5 };
  expectType<CactusEventPage>(await client.listEventsPage(params, { signal: AbortSignal.timeout(1_000) }));
}

export function constructEventTyping(): void {
  const event = client.constructEvent(rawBody, headers, "whsec_x");
  expectType<PushedThinEvent>(event);
  client.constructEvent("{}", new Headers(), ["whsec_a", "whsec_b"], { toleranceSeconds: 60 });
  // @ts-expect-error the signature covers the raw bytes: a parsed object is not accepted
  client.constructEvent({ id: "evt_1" }, headers, "whsec_x");
  // @ts-expect-error a secret is required
  client.constructEvent(rawBody, headers);
}
