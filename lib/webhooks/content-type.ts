/**
 * Whether a `content-type` header names JSON: `application/json` or any `+json` type, with no
 * charset or a UTF-8 one (Standard Webhooks bodies are UTF-8 JSON).
 */
export function isJsonContentType(header: string | undefined): boolean {
  if (header === undefined) return false;
  // The header every sender of this SDK sends, and the usual bare one: no parsing needed.
  if (header === "application/json" || header === "application/json; charset=utf-8") return true;
  const [mediaType = "", ...params] = header.split(";");
  const type = mediaType.trim().toLowerCase();
  if (type !== "application/json" && !/^application\/[a-z0-9.+-]+\+json$/.test(type)) return false;
  return params.every((param) => {
    const [name = "", value = ""] = param.split("=");
    if (name.trim().toLowerCase() !== "charset") return true;
    return ["utf-8", "utf8"].includes(value.trim().replace(/^"|"$/g, "").toLowerCase());
  });
}
