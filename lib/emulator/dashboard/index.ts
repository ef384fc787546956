// The local web dashboard served by the emulator: events, delivery attempts, Replay, Trigger, Fail next.
export { checkBrowserOrigin, checkDashboardAccess, DASHBOARD_TOKEN_HEADER, newDashboardToken, type BrowserOriginDenial, type BrowserOriginRequest, type DashboardAccessDenial, type DashboardAccessRequest } from "./access";
export { answerDashboardApi, dashboardConfig, dashboardRoutes, MAX_EDITED_BODY_LENGTH, type DashboardApiAnswer, type DashboardApiRequest, type DashboardContext, type DashboardRoute } from "./api";
export type {
  DashboardConfig,
  DashboardCurlAnswer,
  DashboardDeadLetter,
  DashboardDeadLetterAttempt,
  DashboardDeadLetterPage,
  DashboardDeadLetterReplayAnswer,
  DashboardDeadLetterSummary,
  DashboardErrorBody,
  DashboardEventContext,
  DashboardEventDetail,
  DashboardEventPage,
  DashboardEventType,
  DashboardFailNextAnswer,
  DashboardFailNextRequest,
  DashboardIssue,
  DashboardReplayAnswer,
  DashboardReplayRequest,
  DashboardTriggerAnswer,
  DashboardTriggerRequest,
} from "./api-types";
export { attachDashboard, DASHBOARD_PATH, type Dashboard, type DashboardOptions, type DashboardStreamStats } from "./attach-dashboard";
export { DashboardEventStream, DEFAULT_DASHBOARD_MAX_BUFFERED_BYTES, DEFAULT_DASHBOARD_MAX_STREAMS, type DashboardEventStreamOptions } from "./event-stream";
export { buildTriggeredEvent } from "../build-event";
export { dashboardEventTypes } from "./event-types";
export { DEAD_LETTERS_FEATURE } from "./api-types";
export { DEAD_LETTER_PAGE_LIMIT, DEFAULT_DEAD_LETTER_TIMEOUT_MS, deadLetterRoutes, summarizeDeadLetter, type DeadLetterRouteOptions, type DeadLetterSource } from "./dead-letter-routes";
