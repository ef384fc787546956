// The cheap checks on the hot path give the same verdicts as the thorough ones they skip:
// the colon count before the duplicate-key scan, plain paths taken as their own pathname, and
// header values left untrimmed when no end can be whitespace.
import fc from "fast-check";
import { CactusClient, CactusParseError } from "../../lib";
import { MAX_JSON_DEPTH } from "../../lib/events/safe-json";
import { decodeJsonObject } from "../../lib/events/json";
import { findJsonHazard } from "../../lib/events/json-hazards";
import { pathnameOf } from "../../lib/webhooks/core";
import { jsonString } from "../../lib/webhooks/status-table";
import { checkWebhookHeaderValues, type CheckedWebhookHeaders } from "../../lib/signature/verify";
import { CactusSignatureError } from "../../lib/errors";

// JSON object text built entry by entry, so keys may repeat; keys and strings are drawn from a
// small alphabet rich in colons, quotes, backslashes and escaped spellings of the same key.
const KEYS = ["a", "b", ":", "a:b", "\\u0061", "__proto__", 'q\\"'];
const key = fc.constantFrom(...KEYS).map((raw) => `"${raw}"`);
const scalar = fc.oneof(fc.constantFrom('"x:y"', '"::"', '"{\\"a\\":1,\\"a\\":2}"', "1", "true", "null", '"a"'), fc.string().map((text) => JSON.stringify(text)));
const space = fc.constantFrom("", " ", "\n ");
const { value } = fc.letrec<{ value: string; object: string; array: string }>((tie) => ({
  value: fc.oneof({ depthSize: "small", withCrossShrink: true }, scalar, tie("object"), tie("array")),
  object: fc.array(fc.tuple(key, space, tie("value")), { maxLength: 5 }).map((entries) => `{${entries.map(([name, gap, item]) => `${name}${gap}:${gap}${item}`).join(",")}}`),
  array: fc.array(tie("value"), { maxLength: 3 }).map((items) => `[${items.join(",")}]`),
}));
const objectText = fc.array(fc.tuple(key, space, value), { maxLength: 6 }).map((entries) => `{${entries.map(([name, gap, item]) => `${name}${gap}:${item}`).join(",")}}`);

describe("duplicate keys in a signed body", () => {
  it("decodeJsonObject refuses exactly the texts the full scan finds a repeated key in", () => {
    fc.assert(
      fc.property(objectText, (text) => {
        const hazard = findJsonHazard(text, Number.POSITIVE_INFINITY);
        let refused: unknown;
        try {
          decodeJsonObject(text, { rejectDuplicateKeys: true });
        } catch (error) {
          refused = error;
        }
        expect(refused === undefined).toBe(hazard === undefined);
        if (refused !== undefined) expect(refused).toBeInstanceOf(CactusParseError);
      }),
      { numRuns: 2000 },
    );
  });

  it("a colon inside a string does not hide a repeated key, nor does space before a colon", () => {
    for (const text of ['{"a":"x:y","a":1}', '{"a" :1,"a":2}', '{"b":{"c":"::","c":1}}', '{"a":1,"\\u0061":2}']) {
      expect(() => decodeJsonObject(text, { rejectDuplicateKeys: true })).toThrow(/duplicate key/);
    }
    expect(decodeJsonObject('{"a":"x:y","b":{"c":"::"}}', { rejectDuplicateKeys: true })).toEqual({ a: "x:y", b: { c: "::" } });
  });
});

// The URL parser's answer (a target it cannot parse stands for itself, as in pathnameOf).
function parsedPathname(url: string): string {
  try {
    return new URL(url, "http://localhost").pathname;
  } catch {
    return url;
  }
}

describe("pathnameOf", () => {
  it("gives what the URL parser gives, for plain paths and every other request target", () => {
    const segment = fc.stringMatching(/^[A-Za-z0-9_~.%?#\-/\\ ]{0,12}$/);
    fc.assert(
      fc.property(fc.array(segment, { maxLength: 4 }), (parts) => {
        const url = `/${parts.join("/")}`;
        expect(pathnameOf(url)).toBe(parsedPathname(url));
      }),
      { numRuns: 3000 },
    );
  });
});

describe("the depth limit with the bracket count shortcut", () => {
  const client = new CactusClient({ apiKey: "sk_test_depth", baseUrl: "http://127.0.0.1:9" });
  const body = (depth: number): string =>
    `{"id":"evt_1","type":"order.shipped","related_object":{"id":"ord_1","type":"order"},"extra":${"[".repeat(depth)}${"]".repeat(depth)}}`;

  it("a text body nested past the limit is refused as before; one below it parses", () => {
    expect(() => client.parseEventV2(body(MAX_JSON_DEPTH + 1))).toThrow(CactusParseError);
    expect(() => client.parseEventV2(JSON.parse(body(MAX_JSON_DEPTH + 1)) as object)).toThrow(CactusParseError);
    // Many brackets side by side (not nested) take the walk instead, and pass.
    const wide = `{"id":"evt_1","type":"order.shipped","related_object":{"id":"ord_1","type":"order"},"extra":[${Array.from({ length: 100 }, () => "[]").join(",")}]}`;
    expect(client.parseEventV2(wide).id).toBe("evt_1");
    expect(client.parseEventV2(body(MAX_JSON_DEPTH - 3)).id).toBe("evt_1");
  });
});

describe("the header trim shortcut", () => {
  // Values as they may arrive: Cactus's own, or wrapped in ASCII and Unicode whitespace.
  const edge = fc.constantFrom("", " ", "\t", "\u00a0", "\ufeff", "\u2028", "\u3000", "x", "~", "\u00e9");
  const core = fc.oneof(fc.constantFrom("evt_1", "1765000000", "v1,abc="), fc.string({ maxLength: 6 }), fc.constantFrom(" ", "\u00a0"));
  const header = fc.tuple(edge, core, edge).map(([before, middle, after]) => `${before}${middle}${after}`);

  it("checkWebhookHeaderValues reads every header exactly as String.prototype.trim() leaves it", () => {
    fc.assert(
      fc.property(header, header, (id, signature) => {
        const now = 1_765_000_000;
        let checked: CheckedWebhookHeaders | undefined;
        try {
          checked = checkWebhookHeaderValues(id, ` ${now} `, signature, 300, () => new Date(now * 1000));
        } catch (error) {
          // Refused only when a header is empty once trimmed, with a typed error.
          expect(error).toBeInstanceOf(CactusSignatureError);
          expect(id.trim() === "" || signature.trim() === "").toBe(true);
          return;
        }
        expect(checked).toEqual({ id: id.trim(), timestamp: now, rawTimestamp: String(now), signature: signature.trim() });
      }),
      { numRuns: 2000 },
    );
  });
});

describe("the answer's JSON strings", () => {
  it("jsonString gives what JSON.stringify gives, for plain ids and for any string", () => {
    const plain = fc.stringMatching(/^[\x20-\x7e]{0,40}$/);
    const any = fc.string({ unit: "binary", maxLength: 40 });
    fc.assert(fc.property(fc.oneof(plain, any, fc.constantFrom('a"b', "a\\b", "\u007f", "é", "\n", "")), (text) => {
      expect(jsonString(text)).toBe(JSON.stringify(text));
    }));
  });
});
