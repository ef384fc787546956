// The shared deadline timer behind handlerTimeoutMs and the body-read limit: one timer per
// timeout length, expiring each open deadline on time, and never holding the process open idle.
import { armDeadline, deadlineLengths } from "../../lib/delivery/deadlines";

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));
const timers = (): number => process.getActiveResourcesInfo().filter((name) => name === "Timeout").length;

describe("armDeadline", () => {
  it("expires open deadlines in order, after their time, and never a settled one", async () => {
    const expired: string[] = [];
    const first = armDeadline(40, () => expired.push("first"));
    await sleep(15);
    const second = armDeadline(40, () => expired.push("second"));
    const third = armDeadline(40, () => expired.push("third"));
    expect(third.settle()).toBe(true);
    await sleep(35); // first is due, second is not yet
    expect(expired).toEqual(["first"]);
    await sleep(30);
    expect(expired).toEqual(["first", "second"]);
    expect(first.settle()).toBe(false); // already expired
    expect(second.settle()).toBe(false);
    expect(third.settle()).toBe(false); // settled once already
  });

  it("expires exactly the open ones of thousands armed, after most settled (the queue compacts) and once it emptied", async () => {
    const expired: number[] = [];
    const deadlines = Array.from({ length: 3000 }, (_, index) => armDeadline(45, () => expired.push(index)));
    // The first 2,000 settle in order (the queue's front moves past 1,024 and is cut off), then every
    // odd one of the rest.
    for (let index = 0; index < 3000; index += 1) if (index < 2000 || index % 2 === 1) expect(deadlines[index]?.settle()).toBe(true);
    const later = armDeadline(45, () => expired.push(-1));
    await sleep(100);
    const open = [...Array.from({ length: 500 }, (_, index) => 2000 + index * 2), -1];
    expect(expired).toEqual(open);
    expect(later.settle()).toBe(false);
    // Emptied, the queue is used again from its start: a new deadline still expires, a settled one does not.
    const again = armDeadline(45, () => expired.push(-2));
    const settled = armDeadline(45, () => expired.push(-3));
    expect(settled.settle()).toBe(true);
    await sleep(80);
    expect(expired.slice(open.length)).toEqual([-2]);
    expect(again.settle()).toBe(false);
  });

  it("keeps lengths apart: a short deadline armed after a long one still expires first", async () => {
    const expired: number[] = [];
    const long = armDeadline(200, () => expired.push(200));
    armDeadline(20, () => expired.push(20));
    await sleep(60);
    expect(expired).toEqual([20]);
    long.settle();
  });

  it("holds no timer that keeps the process alive once every deadline settled", async () => {
    const before = timers();
    const deadlines = Array.from({ length: 1000 }, () => armDeadline(5_000, () => undefined));
    // One timer for a thousand open deadlines, not one each.
    expect(timers()).toBe(before + 1);
    for (const deadline of deadlines) deadline.settle();
    expect(timers()).toBe(before);
    const again = armDeadline(5_000, () => undefined);
    expect(timers()).toBe(before + 1);
    again.settle();
    expect(timers()).toBe(before);
  });
});

describe("armDeadline with many different lengths", () => {
  it("forgets a length once its timer fired with nothing open, so distinct lengths do not pile up", async () => {
    const before = timers();
    const lengths = deadlineLengths();
    for (let ms = 1; ms <= 50; ms++) armDeadline(ms, () => undefined).settle();
    // Settled at once: their timers hold nothing open and the process may exit.
    expect(timers()).toBe(before);
    expect(deadlineLengths()).toBe(lengths + 50);
    await sleep(80);
    expect(deadlineLengths()).toBeLessThanOrEqual(lengths); // (a length of an earlier test may go too)
    const fired: number[] = [];
    armDeadline(7, () => fired.push(7));
    await sleep(40);
    expect(fired).toEqual([7]);
  });
});
