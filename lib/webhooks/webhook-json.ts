import { CactusParseError, CactusValidationError } from "../errors";
import { readJsonBody } from "../events/parse";
import { MAX_JSON_DEPTH } from "../events/safe-json";
import { findJsonHazard } from "./json-hazards";
import type { WebhookRawBody } from "./raw-body";
import { CactusSignatureError } from "./signature-error";

const utf8 = new TextDecoder("utf-8", { fatal: true });

/**
 * Reads a **verified** delivery body strictly: UTF-8, one JSON object, no repeated keys, no
 * nesting past {@link MAX_JSON_DEPTH}; then checks that the body's `id` is the `webhook-id`
 * that was signed. Returns the plain object, for `handle()` to hydrate without parsing again.
 * Throws {@link CactusParseError}, {@link CactusValidationError} (no `id`) or
 * {@link CactusSignatureError} `id_mismatch`.
 */
export function readWebhookJson(rawBody: WebhookRawBody, signedId: string): Record<string, unknown> {
  let text: string;
  try {
    text = typeof rawBody === "string" ? rawBody : utf8.decode(rawBody);
  } catch (cause) {
    throw new CactusParseError("Event body is not valid UTF-8", { cause });
  }
  const plain = readJsonBody(text);
  const hazard = findJsonHazard(text, MAX_JSON_DEPTH);
  if (hazard !== undefined) throw new CactusParseError(`Event body is ambiguous or too deep: ${hazard}`);
  const id = plain["id"];
  if (typeof id !== "string" || id === "") {
    throw new CactusValidationError("event", [{ path: "id", rule: "isString", message: "id must be a non-empty string" }]);
  }
  if (id !== signedId) {
    // Both ids are public (they are in the request); saying which differ helps the sender debug.
    throw new CactusSignatureError("id_mismatch", `webhook-id header ${short(signedId)} does not match the body's id ${short(id)}`);
  }
  return plain;
}

// Ids come from the request: quote them, and cut them short so an answer never echoes a huge value.
function short(value: string): string {
  const quoted = JSON.stringify(value);
  return quoted.length > 80 ? `${quoted.slice(0, 77)}..."` : quoted;
}
