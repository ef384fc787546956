import { fullJitterDelayMs, parseRetryAfterMs, retryDelayMs } from "../../lib/client/backoff";

const settings = { baseDelayMs: 100, maxDelayMs: 1_000, maxRetryAfterMs: 5_000 };

describe("fullJitterDelayMs", () => {
  it("stays within [0, base * 2^retry) for every draw", () => {
    for (let retry = 0; retry < 4; retry += 1) {
      const ceiling = 100 * 2 ** retry;
      expect(fullJitterDelayMs(retry, settings, () => 0)).toBe(0);
      expect(fullJitterDelayMs(retry, settings, () => 0.999999)).toBeLessThan(ceiling);
      expect(fullJitterDelayMs(retry, settings, () => 0.999999)).toBeGreaterThanOrEqual(ceiling - 1);
      for (let i = 0; i < 200; i += 1) {
        const delay = fullJitterDelayMs(retry, settings);
        expect(delay).toBeGreaterThanOrEqual(0);
        expect(delay).toBeLessThan(ceiling);
      }
    }
  });

  it("scales the ceiling by the random draw (full jitter, not equal jitter)", () => {
    expect(fullJitterDelayMs(2, settings, () => 0.5)).toBe(200);
  });

  it("caps the ceiling at maxDelayMs, even for huge retry numbers", () => {
    expect(fullJitterDelayMs(4, settings, () => 0.999999)).toBeLessThan(1_000);
    expect(fullJitterDelayMs(4, settings, () => 0.5)).toBe(500);
    expect(fullJitterDelayMs(5_000, settings, () => 0.5)).toBe(500);
  });
});

describe("parseRetryAfterMs", () => {
  const now = Date.parse("2024-05-01T12:00:00Z");

  it("reads delta-seconds", () => {
    expect(parseRetryAfterMs("0", now)).toBe(0);
    expect(parseRetryAfterMs("2", now)).toBe(2_000);
    expect(parseRetryAfterMs(" 30 ", now)).toBe(30_000);
    expect(parseRetryAfterMs("1.5", now)).toBe(1_500);
  });

  it("reads an HTTP date (IMF-fixdate, RFC 850 and asctime) as the time left until it", () => {
    expect(parseRetryAfterMs("Wed, 01 May 2024 12:00:05 GMT", now)).toBe(5_000);
    expect(parseRetryAfterMs("Wednesday, 01-May-24 12:00:07 GMT", now)).toBe(7_000);
    // asctime has no zone; RFC 9110 says GMT, not the machine's local time.
    expect(parseRetryAfterMs("Wed May  1 12:00:09 2024", now)).toBe(9_000);
  });

  it("treats a date in the past as 0", () => {
    expect(parseRetryAfterMs("Wed, 01 May 2024 11:00:00 GMT", now)).toBe(0);
  });

  it("gives undefined for missing, negative or garbage values", () => {
    for (const value of [null, undefined, "", "  ", "-5", "-1.5", "soon", "5s", "1e3", "0x10", "Infinity", "2024-05-01T12:00:05Z", "Funday, 99 Nov 2024"]) {
      expect(parseRetryAfterMs(value, now)).toBeUndefined();
    }
  });
});

describe("retryDelayMs", () => {
  it("uses Retry-After instead of the jittered delay when present", () => {
    expect(retryDelayMs(0, 2_000, settings, () => 0.9)).toBe(2_000);
    expect(retryDelayMs(3, 0, settings, () => 0.9)).toBe(0);
  });

  it("caps Retry-After at maxRetryAfterMs", () => {
    expect(retryDelayMs(0, 3_600_000, settings)).toBe(5_000);
  });

  it("falls back to full jitter without Retry-After", () => {
    expect(retryDelayMs(1, undefined, settings, () => 0.5)).toBe(100);
  });
});
