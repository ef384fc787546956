import { CactusError, CactusQueueUnavailableError } from "../../errors";
import type { DashboardApiAnswer, DashboardApiRequest, DashboardRoute } from "./api";
import { DEAD_LETTERS_FEATURE, type DashboardDeadLetter, type DashboardDeadLetterPage, type DashboardDeadLetterReplayAnswer, type DashboardDeadLetterSummary } from "./api-types";

/** Default and largest number of dead letters `GET /dead-letters` answers. */
export const DEAD_LETTER_PAGE_LIMIT = { default: 50, max: 200 } as const;

/**
 * Where the dashboard reads dead letters from: a queue's dead-letter store. `CactusQueue`'s
 * `deadLetters` (from `cactus-sdk/bullmq`) fits as it is; a test can pass a small fake.
 */
export interface DeadLetterSource {
  /** The dead letters, newest first; at most `limit`. */
  list(options: { readonly limit?: number }): Promise<readonly DashboardDeadLetter[]>;
  /** One dead letter, or `undefined` when that event is not dead. */
  get(eventId: string): Promise<DashboardDeadLetter | undefined>;
  /** Puts one event back in the queue; resolves with `[eventId]`, or `[]` when it is not dead. */
  replay(eventId: string): Promise<readonly string[]>;
  /** Puts every (readable) dead letter back in the queue; resolves with the ids replayed. */
  replayAll(): Promise<readonly string[]>;
}

/** Default bound on one dead-letter answer's wait for the queue, in ms. */
export const DEFAULT_DEAD_LETTER_TIMEOUT_MS = 5_000;

/** Options of {@link deadLetterRoutes}. */
export interface DeadLetterRouteOptions {
  /** How long one answer may wait for the source (Redis), in ms, before 503. Default 5000. */
  readonly timeoutMs?: number;
}

/**
 * The JSON API routes of the dashboard's Dead letters tab, reading from `source`:
 *
 * - `GET /dead-letters?limit=50`: the newest dead letters (1 to 200), one summary each;
 * - `GET /dead-letters/{id}`: one dead letter with every attempt's error (404 when not dead);
 * - `POST /dead-letters/{id}/replay`: puts it back in the queue (404 when not dead);
 * - `POST /dead-letters/replay-all`: puts every dead letter back (an event may be named `all`).
 *
 * When the source fails (Redis down), they answer 503 `dead_letters_unavailable`.
 *
 * @example
 * ```ts
 * const queue = new CactusQueue({ connection: "redis://127.0.0.1:6379" });
 * attachDashboard(emulator, { routes: deadLetterRoutes(queue.deadLetters) });
 * ```
 */
export function deadLetterRoutes(source: DeadLetterSource, options: DeadLetterRouteOptions = {}): DashboardRoute[] {
  const timeoutMs = options.timeoutMs ?? DEFAULT_DEAD_LETTER_TIMEOUT_MS;
  const guarded = (answer: (request: DashboardApiRequest, params: readonly string[]) => Promise<DashboardApiAnswer>): DashboardRoute["answer"] =>
    async (_context, request, params) => {
      let timer: NodeJS.Timeout | undefined;
      try {
        const working = answer(request, params);
        working.catch(() => undefined); // a late failure after the deadline answered is not unhandled
        return await Promise.race([
          working,
          new Promise<never>((_, reject) => {
            timer = setTimeout(() => reject(new CactusQueueUnavailableError(`no answer from the queue within ${timeoutMs} ms`)), timeoutMs);
          }),
        ]);
      } catch (error) {
        const detail = error instanceof Error ? error.message : String(error);
        const code = error instanceof CactusError ? ` (${error.code})` : "";
        return failure(503, "dead_letters_unavailable", `Could not read the dead letters from the queue${code}: ${detail}`);
      } finally {
        clearTimeout(timer);
      }
    };
  return [
    { method: "GET", pattern: /^\/dead-letters$/, feature: DEAD_LETTERS_FEATURE, answer: guarded((request) => listDeadLetters(source, request)) },
    {
      method: "GET",
      pattern: /^\/dead-letters\/([^/]+)$/,
      feature: DEAD_LETTERS_FEATURE,
      answer: guarded(async (_request, [id = ""]) => {
        const letter = await source.get(id);
        return letter === undefined ? notDead(id) : { status: 200, body: letter };
      }),
    },
    {
      method: "POST",
      pattern: /^\/dead-letters\/replay-all$/,
      feature: DEAD_LETTERS_FEATURE,
      answer: guarded(async () => {
        const body: DashboardDeadLetterReplayAnswer = { replayed: [...(await source.replayAll())] };
        return { status: 200, body };
      }),
    },
    {
      method: "POST",
      pattern: /^\/dead-letters\/([^/]+)\/replay$/,
      feature: DEAD_LETTERS_FEATURE,
      answer: guarded(async (_request, [id = ""]) => {
        const replayed = await source.replay(id);
        if (replayed.length === 0) return notDead(id);
        const body: DashboardDeadLetterReplayAnswer = { replayed: [...replayed] };
        return { status: 200, body };
      }),
    },
  ];
}

/** One line of the list: the last attempt's error (its first line), or the reason the queue recorded. */
export function summarizeDeadLetter(letter: DashboardDeadLetter): DashboardDeadLetterSummary {
  const last = letter.errors.at(-1);
  const lastError = letter.unreadable === undefined ? (last?.message ?? letter.failedReason).split("\n")[0] ?? "" : `unreadable: ${letter.unreadable}`;
  return {
    id: letter.id,
    type: letter.type,
    attempts: letter.attempts,
    lastError: lastError.length > 300 ? `${lastError.slice(0, 299)}\u2026` : lastError,
    lastErrorCode: last?.code ?? null,
    deadAt: letter.deadAt,
    receivedAt: letter.receivedAt,
  };
}

async function listDeadLetters(source: DeadLetterSource, { query }: DashboardApiRequest): Promise<DashboardApiAnswer> {
  const text = query.get("limit");
  const limit = text === null || text === "" ? DEAD_LETTER_PAGE_LIMIT.default : Number(text);
  if (!/^[0-9]*$/.test(text ?? "") || limit < 1 || limit > DEAD_LETTER_PAGE_LIMIT.max) {
    return failure(400, "invalid_request", `limit must be an integer from 1 to ${DEAD_LETTER_PAGE_LIMIT.max} (got ${JSON.stringify(text)})`);
  }
  // One more than asked tells whether there are more.
  const letters = [...(await source.list({ limit: limit + 1 }))].sort((a, b) => Date.parse(b.deadAt) - Date.parse(a.deadAt));
  const body: DashboardDeadLetterPage = { data: letters.slice(0, limit).map(summarizeDeadLetter), hasMore: letters.length > limit, limit };
  return { status: 200, body };
}

function notDead(id: string): DashboardApiAnswer {
  return failure(404, "not_found", `No dead letter ${JSON.stringify(id)} in the queue (replayed already, purged, or never dead)`);
}

function failure(status: number, type: string, message: string): DashboardApiAnswer {
  return { status, body: { error: { type, message } } };
}
