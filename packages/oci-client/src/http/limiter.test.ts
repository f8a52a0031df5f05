import { describe, expect, it } from 'vitest';
import { createLimiter } from './limiter.js';

describe('createLimiter', () => {
  it('never runs more than the limit, even for a caller arriving while a slot changes hands', async () => {
    // The race of a limiter that frees the slot and then wakes a waiter: a caller arriving in the
    // microtask between the two (here: a `then` on the finishing task) slipped past the limit.
    const run = createLimiter(1);
    let active = 0;
    let most = 0;
    const enter = () => {
      active++;
      most = Math.max(most, active);
    };
    const tracked = () => {
      enter();
      return new Promise<void>((resolve) => setTimeout(resolve, 5)).then(() => {
        active--;
      });
    };
    let finishFirst: () => void = () => {};
    const first = new Promise<void>((resolve) => {
      finishFirst = resolve;
    }).then(() => {
      active--;
    });
    const jobs: Promise<void>[] = [
      run(() => {
        enter();
        return first;
      }),
      run(tracked),
    ];
    first.then(() => {
      jobs.push(run(tracked));
    });
    finishFirst();
    await new Promise((resolve) => setTimeout(resolve, 40));
    await Promise.all(jobs);
    expect(jobs).toHaveLength(3);
    expect(most).toBe(1);
  });

  it('runs up to the limit at once and passes results and errors through', async () => {
    const run = createLimiter(3);
    let active = 0;
    let most = 0;
    const results = await Promise.all(
      Array.from({ length: 10 }, (_, i) =>
        run(async () => {
          active++;
          most = Math.max(most, active);
          await new Promise((resolve) => setTimeout(resolve, 2));
          active--;
          return i;
        }),
      ),
    );
    expect(results).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
    expect(most).toBe(3);
    await expect(run(async () => Promise.reject(new Error('boom')))).rejects.toThrow('boom');
    expect(await run(async () => 'after a failure')).toBe('after a failure');
  });
});
