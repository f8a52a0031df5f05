import { describe, expect, it } from 'vitest';
import { backoffDelay, DEFAULT_RETRY_POLICY, parseRetryAfter } from './retry.js';

describe('retry policy', () => {
  it('backs off 250 ms × 2 with jitter, clamped to 200 ms – 3 s', () => {
    const mid = () => 0.5;
    expect([0, 1, 2, 3, 4].map((a) => backoffDelay(DEFAULT_RETRY_POLICY, a, mid))).toEqual([
      250, 500, 1000, 2000, 3000,
    ]);
    expect(backoffDelay(DEFAULT_RETRY_POLICY, 0, () => 0)).toBeCloseTo(225);
    expect(backoffDelay(DEFAULT_RETRY_POLICY, 0, () => 1)).toBeCloseTo(275);
    expect(backoffDelay({ ...DEFAULT_RETRY_POLICY, baseDelayMs: 10 }, 0, mid)).toBe(200);
  });

  it('parses Retry-After seconds and HTTP dates', () => {
    const now = Date.parse('2026-01-01T00:00:00Z');
    expect(parseRetryAfter('3', now)).toBe(3000);
    expect(parseRetryAfter(' 0 ', now)).toBe(0);
    expect(parseRetryAfter('Thu, 01 Jan 2026 00:00:05 GMT', now)).toBe(5000);
    expect(parseRetryAfter('Wed, 31 Dec 2025 23:59:00 GMT', now)).toBe(0);
    expect(parseRetryAfter('soon', now)).toBeUndefined();
    expect(parseRetryAfter(undefined, now)).toBeUndefined();
  });
});
