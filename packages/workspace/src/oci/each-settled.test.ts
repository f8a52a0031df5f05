import { describe, expect, it } from 'vitest';
import { eachSettled } from './each-settled.js';

describe('eachSettled', () => {
  it('keeps input order, never runs more than the limit at once, and lets every item finish', async () => {
    let running = 0;
    let peak = 0;
    const settled = await eachSettled([5, 1, 4, 2, 3, 0], 2, async (n) => {
      running++;
      peak = Math.max(peak, running);
      await new Promise((resolve) => setTimeout(resolve, n));
      running--;
      if (n === 4 || n === 0) throw new Error(`item ${n}`);
      return n * 10;
    });
    expect(peak).toBe(2);
    expect(settled.done).toEqual([
      { item: 5, result: 50 },
      { item: 1, result: 10 },
      { item: 2, result: 20 },
      { item: 3, result: 30 },
    ]);
    expect(settled.failed.map((f) => [f.item, (f.error as Error).message])).toEqual([
      [4, 'item 4'],
      [0, 'item 0'],
    ]);
  });

  it('does nothing for no items', async () => {
    expect(await eachSettled([], 8, async () => 1)).toEqual({ done: [], failed: [] });
  });
});
