/** A counting semaphore: at most `limit` holders at a time, FIFO. */
export class Limiter {
  private active = 0;
  private readonly waiting: (() => void)[] = [];

  constructor(readonly limit: number) {
    if (!Number.isInteger(limit) || limit < 1) throw new RangeError('limit must be a positive integer');
  }

  /** Resolves with a release function once a slot is free; calling release twice is harmless. */
  async acquire(): Promise<() => void> {
    if (this.active >= this.limit) {
      await new Promise<void>((resolve) => this.waiting.push(resolve));
    } else {
      this.active++;
    }
    let released = false;
    return () => {
      if (released) return;
      released = true;
      const next = this.waiting.shift();
      // Hand the slot straight to the next waiter; the active count stays the same.
      if (next) next();
      else this.active--;
    };
  }

  async run<T>(task: () => Promise<T>): Promise<T> {
    const release = await this.acquire();
    try {
      return await task();
    } finally {
      release();
    }
  }
}

/**
 * `run(task)` with at most `limit` tasks at once: the one limiter of the project (registry
 * requests, blob transfers, parallel source reads). A finishing task hands its slot to the next
 * waiter, so a caller arriving in between cannot slip past the limit.
 */
export function createLimiter(limit: number): <T>(task: () => Promise<T>) => Promise<T> {
  const limiter = new Limiter(limit);
  return (task) => limiter.run(task);
}
