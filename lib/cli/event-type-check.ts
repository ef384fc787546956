import { cactusEventTypes, isKnownEventType } from "../events/catalog";
import { CliUsageError } from "./cli-io";

/**
 * Checks the `<type>` of `cactus trigger`. A known type passes. Anything else needs `--unknown`
 * (receivers hand an unknown type to `onOther`, which is worth testing on purpose, not by a
 * typo); without it, a near miss of a known type says which one was meant.
 */
export function checkEventType(type: string, allowUnknown: boolean): void {
  if (isKnownEventType(type) || allowUnknown) return;
  const suggestion = closestKnownType(type);
  if (suggestion !== undefined) {
    throw new CliUsageError(`unknown event type ${JSON.stringify(type)}: did you mean ${suggestion}? (pass --unknown to send it as it is)`);
  }
  throw new CliUsageError(
    `${JSON.stringify(type)} is not an event type this SDK knows (${cactusEventTypes.join(", ")}). ` +
      "Pass --unknown to send it anyway: receivers hand it to onOther.",
  );
}

/** The known type within a few typing mistakes of `type`, if one is. */
export function closestKnownType(type: string): string | undefined {
  let best: { type: string; distance: number } | undefined;
  for (const known of cactusEventTypes) {
    const distance = editDistance(type.toLowerCase(), known);
    if (best === undefined || distance < best.distance) best = { type: known, distance };
  }
  // Two edits (a dropped and a doubled letter), or a third on long names: close enough to be a typo.
  return best !== undefined && best.distance <= Math.max(2, Math.floor(best.type.length / 6)) ? best.type : undefined;
}

// Optimal string alignment distance: insertions, deletions, substitutions and adjacent swaps.
function editDistance(a: string, b: string): number {
  const rows: number[][] = Array.from({ length: a.length + 1 }, (_, i) => Array.from({ length: b.length + 1 }, (_, j) => (i === 0 ? j : j === 0 ? i : 0)));
  const at = (i: number, j: number): number => rows[i]?.[j] ?? Number.POSITIVE_INFINITY;
  for (let i = 1; i <= a.length; i++) {
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let distance = Math.min(at(i - 1, j) + 1, at(i, j - 1) + 1, at(i - 1, j - 1) + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) distance = Math.min(distance, at(i - 2, j - 2) + 1);
      const row = rows[i];
      if (row) row[j] = distance;
    }
  }
  return at(a.length, b.length);
}
