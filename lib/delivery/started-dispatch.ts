import type { DispatchResult } from "./types";

/**
 * A dispatch step that knew its handlers when it started (`CactusHandler`: one method per event):
 * which ran, and what they returned, for the pipeline to await itself, with no promise layer of
 * the dispatch's own. A step that learns its handlers as it runs returns a promise instead.
 * @internal
 */
export class StartedDispatch {
  constructor(
    /** The handlers that run. */
    readonly result: DispatchResult,
    /** What they returned (a promise, usually): awaited before the event counts as handled. */
    readonly running: unknown,
  ) {}
}

/** What a receiver's dispatch step returns. @internal */
export type Dispatched = Promise<DispatchResult> | StartedDispatch;

/** A dispatch step's outcome as one promise (for callers that only need that). @internal */
export async function dispatchedResult(dispatched: Dispatched): Promise<DispatchResult> {
  if (!(dispatched instanceof StartedDispatch)) return dispatched;
  await dispatched.running;
  return dispatched.result;
}
