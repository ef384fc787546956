import { cactusEventTypes, eventCatalog } from "../../events/catalog";
import { fixtureEvent } from "../fixtures";
import type { DashboardEventType } from "./api-types";

/** The types the Trigger form offers, in catalog order, each with valid sample data. */
export function dashboardEventTypes(): DashboardEventType[] {
  return cactusEventTypes.map((type) => ({
    type,
    relatedObject: eventCatalog[type].relatedObject,
    summary: eventCatalog[type].summary,
    sampleData: fixtureEvent(type).data,
  }));
}

