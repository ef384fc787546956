import { CactusConfigError } from "../errors";

/**
 * Who is calling the API, appended to the SDK's `User-Agent` (as stripe-node's `appInfo`), so the
 * API's logs can tell your integration apart.
 *
 * @example
 * ```ts
 * new CactusClient({ apiKey, appInfo: { name: "acme-shipping", version: "2.1.0", url: "https://acme.example" } });
 * // User-Agent: cactus-sdk/0.1.0 acme-shipping/2.1.0 (+https://acme.example)
 * ```
 */
export interface CactusAppInfo {
  /** Your application's name: letters, digits and `!#$%&'*+-.^_`|~` only. */
  name: string;
  /** Its version, same characters as `name`. */
  version?: string;
  /** A URL about it (visible ASCII, no spaces or parentheses). */
  url?: string;
}

// RFC 9110 §5.6.2 token: what a product name or version may be in User-Agent.
const TOKEN = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]{1,100}$/;
const URL_TEXT = /^[\x21-\x27\x2a-\x7e]{1,300}$/;

/** `sdk` followed by the app's product token, e.g. `cactus-sdk/0.1.0 acme/2.1.0 (+https://acme.example)`. */
export function userAgentWith(sdk: string, appInfo: CactusAppInfo | undefined): string {
  if (appInfo === undefined) return sdk;
  if (typeof appInfo !== "object" || appInfo === null) throw new CactusConfigError("appInfo must be an object { name, version?, url? }");
  const { name, version, url } = appInfo;
  if (typeof name !== "string" || !TOKEN.test(name)) {
    throw new CactusConfigError("appInfo.name must be 1-100 characters of letters, digits and !#$%&'*+-.^_`|~ (it is sent in the User-Agent header)");
  }
  if (version !== undefined && (typeof version !== "string" || !TOKEN.test(version))) {
    throw new CactusConfigError("appInfo.version must be 1-100 characters of letters, digits and !#$%&'*+-.^_`|~");
  }
  if (url !== undefined && (typeof url !== "string" || !URL_TEXT.test(url))) {
    throw new CactusConfigError("appInfo.url must be 1-300 visible ASCII characters without spaces or parentheses");
  }
  return `${sdk} ${name}${version === undefined ? "" : `/${version}`}${url === undefined ? "" : ` (+${url})`}`;
}
