// The emulator's public surface: the server, its options, and the wire types it serves.
import "reflect-metadata";
export {
  CactusEmulator,
  DEFAULT_EMULATOR_API_KEY,
  EMULATOR_CONTROL_HEADER,
  type CreateEventOverrides,
  type EmulatorOptions,
  type EmulatorRequest,
} from "./cactus-emulator";
export type { FailNextOptions } from "./failures";
export { DEFAULT_MAX_LOGGED_REQUESTS } from "./request-log";
export { FIXTURE_MOVIE, FIXTURE_ORDER, UNKNOWN_FIXTURE_TYPE, fixtureEventId } from "./fixtures";
export type {
  WireErrorBody,
  WireFullEvent,
  WireJson,
  WireMovie,
  WireObject,
  WireOrder,
  WireRelatedObject,
  WireThinEvent,
} from "./wire-types";
export type { EmulatorMount } from "./cactus-emulator";
export * from "./dashboard";
export * from "./forwarder";
