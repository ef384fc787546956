import { refableOf, timersAreShareable, type Refable, type TimerHandle } from "../platform/timers";

// Many deadlines of the same length, one timer: the handler timeout (handlerTimeoutMs) of every delivery and the
// body-read limit of every request.

/** A deadline armed by {@link armDeadline}. */
export interface Deadline {
  /** Ends it before it expires; `false` when it had expired (or was settled) already. */
  settle(): boolean;
}

class Entry implements Deadline {
  settled = false;

  constructor(
    readonly at: number,
    readonly expire: () => void,
    private readonly queue: DeadlineQueue,
  ) {}

  settle(): boolean {
    if (this.settled) return false;
    this.settled = true;
    this.queue.dropSettled();
    return true;
  }
}

// One queue per timeout length. Deliveries with the same limit are armed in time order, so their
// deadlines are in order too: the queue is a FIFO, and one timer (for its oldest open deadline)
// serves all of them. Settled entries leave from the front as soon as they reach it. The timer
// keeps the process alive only while a delivery is open, as one timer per delivery did.
class DeadlineQueue {
  // Open deadlines are entries[head] to entries[tail - 1]. The array's storage is kept when the
  // queue empties (head and tail go back to 0): resetting its length would free it, and the next
  // delivery would allocate it again.
  private readonly entries: (Entry | undefined)[] = [];
  private head = 0;
  private tail = 0;
  private timer: TimerHandle | undefined;
  // The same timer, narrowed once to what can be ref'd and unref'd (no check per delivery).
  private refs: Refable | undefined;

  constructor(private readonly timeoutMs: number) {}

  add(expire: () => void): Entry {
    const deadline = new Entry(performance.now() + this.timeoutMs, expire, this);
    // Arm first: if the runtime's setTimeout throws, nothing is queued and the caller hears of it.
    if (this.timer === undefined) this.arm(this.timeoutMs);
    // The idle timer (left from an earlier delivery) keeps the process alive again.
    else if (this.tail === this.head) this.refs?.ref();
    this.entries[this.tail] = deadline;
    this.tail += 1;
    return deadline;
  }

  dropSettled(): void {
    const entries = this.entries;
    while (this.head < this.tail && entries[this.head]?.settled === true) {
      entries[this.head] = undefined;
      this.head += 1;
    }
    if (this.head === this.tail) {
      this.head = 0;
      this.tail = 0;
      // Nothing open: the timer stays for the next delivery (no re-arming per delivery) but no
      // longer keeps the process alive; when it fires with nothing open, it is not re-armed.
      this.refs?.unref();
    } else if (this.head >= 1024 && this.head * 2 >= this.tail) {
      entries.copyWithin(0, this.head, this.tail);
      entries.fill(undefined, this.tail - this.head, this.tail);
      this.tail -= this.head;
      this.head = 0;
    }
  }

  private arm(delayMs: number): void {
    this.timer = setTimeout(() => this.fire(), Math.max(1, delayMs));
    this.refs = refableOf(this.timer);
  }

  private fire(): void {
    this.timer = undefined;
    this.refs = undefined;
    const now = performance.now();
    const entries = this.entries;
    for (; this.head < this.tail; this.head += 1) {
      const deadline = entries[this.head];
      if (deadline !== undefined && !deadline.settled) {
        if (deadline.at > now) break;
        deadline.settled = true;
        deadline.expire();
      }
      entries[this.head] = undefined;
    }
    this.dropSettled();
    const next = this.head < this.tail ? entries[this.head] : undefined;
    if (next !== undefined && this.timer === undefined) this.arm(next.at - now);
    // Idle for a whole timeout: forget this length (a caller may use many different lengths).
    else if (next === undefined && queues.get(this.timeoutMs) === this) queues.delete(this.timeoutMs);
  }
}

const queues = new Map<number, DeadlineQueue>();

function queueFor(timeoutMs: number): DeadlineQueue {
  let queue = queues.get(timeoutMs);
  if (queue === undefined) {
    queue = new DeadlineQueue(timeoutMs);
    queues.set(timeoutMs, queue);
  }
  return queue;
}

// One timer for one deadline: where a timer belongs to the request that armed it (Workers).
class TimerDeadline implements Deadline {
  private settled = false;
  private readonly timer: TimerHandle;

  constructor(timeoutMs: number, expire: () => void) {
    this.timer = setTimeout(() => {
      if (this.settled) return;
      this.settled = true;
      expire();
    }, timeoutMs);
  }

  settle(): boolean {
    if (this.settled) return false;
    this.settled = true;
    clearTimeout(this.timer);
    return true;
  }
}

/**
 * Calls `expire` once `timeoutMs` has passed, unless the returned deadline is settled first.
 * On Node and Bun, deadlines of the same length share one timer, which keeps the process alive
 * only while one of them is open: no timer is created or cleared per delivery. Where timers are
 * numbers (Workers, Deno, browsers), each deadline has its own. Throws if `setTimeout` does.
 */
export function armDeadline(timeoutMs: number, expire: () => void): Deadline {
  return timersAreShareable() ? queueFor(timeoutMs).add(expire) : new TimerDeadline(timeoutMs, expire);
}

/** How many timeout lengths have a queue (and maybe an idle timer) right now. */
export function deadlineLengths(): number {
  return queues.size;
}
