// Work that must not run on the packet path (encoding a finished call, writing its files) waits
// here and runs a few at a time. Tasks start from setImmediate, never inside the caller's stack,
// so a call ending in the middle of a packet burst only costs the push.

export class TaskQueue {
  private readonly waiting: (() => Promise<void>)[] = [];
  private running = 0;
  private idleWaiters: (() => void)[] = [];
  failures = 0;
  lastFailure: unknown = null;

  constructor(
    readonly concurrency: number,
    private readonly onError: (error: unknown) => void = () => undefined,
  ) {
    if (!(Number.isInteger(concurrency) && concurrency >= 1)) throw new RangeError('concurrency must be 1 or more');
  }

  get size(): number {
    return this.waiting.length + this.running;
  }

  push(task: () => Promise<void>): void {
    this.waiting.push(task);
    setImmediate(() => this.next());
  }

  /** Resolves once nothing is waiting or running. */
  idle(): Promise<void> {
    if (this.size === 0) return Promise.resolve();
    return new Promise((resolve) => this.idleWaiters.push(resolve));
  }

  private next(): void {
    while (this.running < this.concurrency && this.waiting.length > 0) {
      const task = this.waiting.shift() as () => Promise<void>;
      this.running++;
      task()
        .catch((error: unknown) => {
          this.failures++;
          this.lastFailure = error;
          this.onError(error);
        })
        .finally(() => {
          this.running--;
          this.next();
        });
    }
    if (this.size === 0) {
      const waiters = this.idleWaiters;
      this.idleWaiters = [];
      for (const resolve of waiters) resolve();
    }
  }
}
