// Type tests for the dashboard and forwarder: compiled by `tsc --noEmit` in `npm test`, never run.
// Each `@ts-expect-error` line must fail to compile; if a rule breaks, tsc reports an unused directive.
import {
  attachDashboard,
  DeliveryLog,
  WebhookForwarder,
  type CactusEmulator,
  type DashboardRoute,
  type DashboardTriggerRequest,
  type DeliveryAttemptRecord,
  type DeliveryOutcome,
  type EventSummary,
} from "../../lib/emulator";

declare const emulator: CactusEmulator;
declare const summary: EventSummary;
declare const attempt: DeliveryAttemptRecord;

// The outcome is a closed union: a filter with a typo does not compile.
const outcome: DeliveryOutcome = summary.outcome;
// @ts-expect-error "succeeded" is not an outcome
const typo: DeliveryOutcome = "succeeded";
new DeliveryLog().list({ outcome: "retrying" });
// @ts-expect-error nor is "ok"
new DeliveryLog().list({ outcome: "ok" });

// An attempt's answer may be missing: reading its status needs a check.
// @ts-expect-error response is null when the endpoint never answered
const status: number = attempt.response.status;
const maybeStatus: number | undefined = attempt.response?.status;

// Records are read-only snapshots.
// @ts-expect-error
summary.outcome = "delivered";

// A trigger request needs a type, and its data is JSON (wire names), not class instances.
const trigger: DashboardTriggerRequest = { type: "order.shipped", data: { shipping_service: "usps" } };
// @ts-expect-error type is required
const noType: DashboardTriggerRequest = { data: {} };
// @ts-expect-error a Date is not JSON
const notJson: DashboardTriggerRequest = { type: "movie.started", data: { date: new Date() } };

// The forwarder needs a URL and a secret; the dashboard takes one of them, not its options.
// @ts-expect-error secret is required
new WebhookForwarder({ url: "http://localhost:3000/webhooks" });
// @ts-expect-error a forwarder, not its options
attachDashboard(emulator, { forwarder: { url: "http://localhost:3000/webhooks", secret: "whsec_x" } });

// Extra routes are GET or POST rows with an answer function.
const route: DashboardRoute = { method: "GET", pattern: /^\/dead-letters$/, answer: () => ({ status: 200, body: { data: [] } }) };
// @ts-expect-error only GET and POST
const put: DashboardRoute = { ...route, method: "PUT" };

export { outcome, typo, status, maybeStatus, trigger, noType, notJson, route, put };
