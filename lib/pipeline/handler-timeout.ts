/** What {@link withinTimeout} resolves to when the limit came first. */
export const TIMED_OUT: unique symbol = Symbol("cactus.timedOut");

interface Deadline {
  readonly at: number;
  settled: boolean;
  readonly expire: () => void;
}

// One queue per timeout length. Deliveries with the same limit are armed in time order, so their
// deadlines are in order too: the queue is a FIFO, and one timer (for its oldest open deadline)
// serves all of them. Settled entries leave from the front as soon as they reach it. The timer
// keeps the process alive only while a delivery is open, as one timer per delivery did.
class DeadlineQueue {
  private readonly entries: Deadline[] = [];
  private head = 0;
  private timer: NodeJS.Timeout | undefined;

  constructor(private readonly timeoutMs: number) {}

  add(expire: () => void): Deadline {
    const deadline: Deadline = { at: Date.now() + this.timeoutMs, settled: false, expire };
    this.entries.push(deadline);
    if (this.timer === undefined) this.arm(this.timeoutMs);
    else if (this.entries.length - this.head === 1) this.timer.ref();
    return deadline;
  }

  settle(deadline: Deadline): void {
    deadline.settled = true;
    this.dropSettled();
  }

  private dropSettled(): void {
    const entries = this.entries;
    while (this.head < entries.length && (entries[this.head] as Deadline).settled) this.head += 1;
    if (this.head === entries.length) {
      entries.length = 0;
      this.head = 0;
      // Nothing open: the timer stays for the next delivery (no re-arming per delivery) but no
      // longer keeps the process alive; when it fires with nothing open, it is not re-armed.
      this.timer?.unref();
    } else if (this.head >= 1024 && this.head * 2 >= entries.length) {
      entries.splice(0, this.head);
      this.head = 0;
    }
  }

  private arm(delayMs: number): void {
    this.timer = setTimeout(() => this.fire(), Math.max(1, delayMs));
  }

  private fire(): void {
    this.timer = undefined;
    const now = Date.now();
    const entries = this.entries;
    while (this.head < entries.length) {
      const deadline = entries[this.head] as Deadline;
      if (!deadline.settled) {
        if (deadline.at > now) break;
        deadline.settled = true;
        deadline.expire();
      }
      this.head += 1;
    }
    this.dropSettled();
    const next = entries[this.head];
    if (next !== undefined && this.timer === undefined) this.arm(next.at - now);
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

/**
 * Waits for `work` at most `timeoutMs` (no limit when `undefined`), resolving with its value or
 * {@link TIMED_OUT}; a rejection of `work` before the limit rejects. The work is not cancelled by a
 * timeout: it keeps running, and if it later fails, `late` receives the error. Deliveries with the
 * same limit share one timer (see `DeadlineQueue`), so a delivery costs no timer of its own.
 */
export function withinTimeout<T>(work: Promise<T>, timeoutMs: number | undefined, late: (error: unknown) => void): Promise<T | typeof TIMED_OUT> {
  if (timeoutMs === undefined) return work;
  const queue = queueFor(timeoutMs);
  return new Promise<T | typeof TIMED_OUT>((resolve, reject) => {
    const deadline = queue.add(() => {
      resolve(TIMED_OUT);
      work.catch(late);
    });
    work.then(
      (value) => {
        if (deadline.settled) return;
        queue.settle(deadline);
        resolve(value);
      },
      (error: unknown) => {
        if (deadline.settled) return;
        queue.settle(deadline);
        reject(error);
      },
    );
  });
}
