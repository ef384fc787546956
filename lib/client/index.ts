// cactus-sdk/client: CactusClient with its options, constants and the types of its calls.
import "reflect-metadata";

export { CactusClient, DEFAULT_BASE_URL, type CactusClientOptions } from "./cactus-client";
export { SDK_VERSION, type CactusFetch } from "./transport";
export { DEFAULT_MAX_RESPONSE_BYTES } from "./read-body";
export type { CactusAppInfo } from "./user-agent";
export type { CactusRequestOptions } from "./request-options";
export { MAX_LIST_LIMIT, type ListEventsParams, type CactusEventPage, type ListedEvent } from "./list-events";
export { CACTUS_API_VERSIONS, CURRENT_API_VERSION, type CactusApiVersion } from "../events/api-versions";
