// Type tests for cactus-sdk/testing: compiled by `tsc --noEmit` in `npm test`, never run.
import {
  createFullEvent,
  createPushedEvent,
  type StartedEmulator,
  type TestPushedEvent,
  type WireDataOverrides,
} from "../../lib/testing";
import type {
  MovieCompletedEvent,
  OrderLostEvent,
  OrderLostPushedEvent,
  OrderShippedPushedEvent,
  UnknownFullEvent,
  UnknownPushedEvent,
} from "../../lib";
import { UNKNOWN_TYPE } from "../helpers/emulator";

type Equal<A, B> = (<T>() => T extends A ? 1 : 2) extends <T>() => T extends B ? 1 : 2 ? true : false;
declare function assertTrue<T extends true>(): void;
declare const api: StartedEmulator;

// The return type follows from the string.
const lost = createPushedEvent("order.lost");
assertTrue<Equal<typeof lost, OrderLostPushedEvent>>();
assertTrue<Equal<ReturnType<typeof createPushedEvent<"order.shipped">>, OrderShippedPushedEvent>>();
assertTrue<Equal<TestPushedEvent<"order.refunded">, UnknownPushedEvent>>();
const refunded = createPushedEvent("order.refunded");
assertTrue<Equal<typeof refunded, UnknownPushedEvent>>();
assertTrue<Equal<ReturnType<typeof createFullEvent<"movie.completed">>, MovieCompletedEvent>>();
assertTrue<Equal<ReturnType<typeof createFullEvent<typeof UNKNOWN_TYPE>>, UnknownFullEvent>>();
assertTrue<Equal<ReturnType<typeof api.createPushedEvent<"order.lost">>, OrderLostPushedEvent>>();

// order.lost has no related object.
// @ts-expect-error fetchRelatedObject does not exist on OrderLostPushedEvent
void lost.fetchRelatedObject();
// @ts-expect-error a pushed event has no data
void lost.data;

// data overrides: wire names, typed, every field optional.
assertTrue<Equal<WireDataOverrides<"order.delivery_attempted">, { success?: boolean; attempt_num?: number; delivery_location?: string }>>();
assertTrue<Equal<WireDataOverrides<"movie.started">, { date?: string }>>();
export const full: OrderLostEvent = createFullEvent("order.lost", { data: { last_seen_city: "Paris" } });
// @ts-expect-error camelCase is not a wire name
createFullEvent("order.lost", { data: { lastSeenCity: "Paris" } });
// @ts-expect-error rating is a number
createFullEvent("movie.completed", { data: { rating: "5" } });
// @ts-expect-error pushed events carry no data
createPushedEvent("order.lost", { data: { last_seen_city: "Paris" } });
// Any data for an unknown type.
createFullEvent(UNKNOWN_TYPE, { data: { at_seconds: 42 } });
