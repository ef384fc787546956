import { CactusInvalidIdError } from "../errors";

// Characters that end or change a path segment (`/`, `\` which URL parsers read as `/`, `?`, `#`)
// and control characters (C0 and DEL) that have no place in an id or a log line.
const PATH_CHANGING = /[/\\?#\u0000-\u001f\u007f]/;

/**
 * `id` as one percent-encoded path segment, e.g. for `GET /v1/orders/{id}`. Throws
 * {@link CactusInvalidIdError} before any request for an id that would address something else:
 * empty, `.` or `..` (dot segments that URL resolution removes, so `retrieveOrder("..")` would
 * send `GET /v1/` with the API key), or one holding `/`, `\`, `?`, `#` or a control character.
 */
export function idSegment(noun: string, id: unknown): string {
  if (typeof id !== "string") throw new CactusInvalidIdError(noun, id, "an id must be a string");
  if (id === "") throw new CactusInvalidIdError(noun, id, "an id must not be empty");
  if (id === "." || id === "..") throw new CactusInvalidIdError(noun, id, "an id must not be a dot segment");
  if (PATH_CHANGING.test(id)) {
    throw new CactusInvalidIdError(noun, id, "an id must not contain /, \\, ?, # or control characters");
  }
  return encodeURIComponent(id);
}
