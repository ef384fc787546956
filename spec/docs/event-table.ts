import "reflect-metadata";
import { CURRENT_API_VERSION } from "../../lib/events/api-versions";
import { eventCatalog, knownEventTypes, type EventCatalogRow } from "../../lib/events/catalog";
import { wirePropertiesOf } from "../../lib/events/wire";

/** Markers around the generated table in README.md. */
export const TABLE_START = "<!-- event-table:start (generated from lib/events/catalog.ts by `npm run generate`) -->";
export const TABLE_END = "<!-- event-table:end -->";

/** The README's event table, generated from the catalog and the classes' decorators. */
export function eventTable(): string {
  const rows = knownEventTypes().map((type) => {
    const row = eventCatalog[type];
    const related = row.relatedObject === null ? "none" : `\`${row.relatedObject[0]?.toUpperCase()}${row.relatedObject.slice(1)}\``;
    // The data class is the declared type of the full class's `data` property (decorator metadata).
    const dataClass: unknown = Reflect.getMetadata("design:type", row.full.prototype, "data");
    const fields = typeof dataClass === "function" ? propertiesOf(dataClass).join(", ") : "";
    return `| \`${type}\` | ${row.summary} | \`${row.pushed.name}\` | ${related} | ${fields} | \`${row.handlerMethod}\` | ${olderShapes(row)} |`;
  });
  return [
    `| type | what happened | pushed class | related object | \`data\` (on the pulled event, API version ${CURRENT_API_VERSION}) | handler method | older \`data\` (upcast on arrival) |`,
    "| --- | --- | --- | --- | --- | --- | --- |",
    ...rows,
    "| anything else | a type newer than this SDK | `UnknownPushedEvent` | as sent | untyped | `onOther` | as sent |",
  ].join("\n");
}

// `2025-06-01: \`user\`, \`stars\``, one entry per older shape, newest first; or "same in every version".
function olderShapes(row: EventCatalogRow): string {
  const older = row.versions?.older ?? [];
  if (older.length === 0) return "same in every version";
  return [...older].reverse().map((step) => `${step.apiVersion}: ${propertiesOf(step.data).join(", ")}`).join("; ");
}

function propertiesOf(cls: Function): string[] {
  const prototype: unknown = cls.prototype;
  if (typeof prototype !== "object" || prototype === null) return [];
  return wirePropertiesOf(cls as abstract new () => unknown).map((name) => {
    const type: unknown = Reflect.getMetadata("design:type", prototype, name);
    return type === Date ? `\`${name}\` (\`Date\`)` : `\`${name}\``;
  });
}

/** `readme` with the table between the markers replaced by `table`. */
export function withTable(readme: string, table: string): string {
  const start = readme.indexOf(TABLE_START);
  const end = readme.indexOf(TABLE_END);
  if (start < 0 || end < start) throw new Error(`README.md has no ${TABLE_START} ... ${TABLE_END} markers`);
  return `${readme.slice(0, start + TABLE_START.length)}\n${table}\n${readme.slice(end)}`;
}
