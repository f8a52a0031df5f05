/**
 * Retry policy modelled on oras-go's defaults: 5 tries, 250 ms × 2 backoff with 10 % jitter,
 * clamped to 200 ms – 3 s, `Retry-After` honoured. Tests pass tiny delays.
 */
export interface RetryPolicy {
  /** Total attempts including the first (default 5). */
  maxTries: number;
  /** First backoff in ms (default 250). */
  baseDelayMs: number;
  factor: number;
  jitter: number;
  minDelayMs: number;
  maxDelayMs: number;
  /** Upper bound for a server's `Retry-After` (default 30 s). */
  maxRetryAfterMs: number;
}

export const DEFAULT_RETRY_POLICY: RetryPolicy = {
  maxTries: 5,
  baseDelayMs: 250,
  factor: 2,
  jitter: 0.1,
  minDelayMs: 200,
  maxDelayMs: 3000,
  maxRetryAfterMs: 30_000,
};

/** Delay before attempt `attempt + 1` (attempt counts from 0). */
export function backoffDelay(
  policy: RetryPolicy,
  attempt: number,
  random: () => number = Math.random,
): number {
  const raw = policy.baseDelayMs * policy.factor ** attempt;
  const jittered = raw * (1 + policy.jitter * (2 * random() - 1));
  return Math.min(policy.maxDelayMs, Math.max(policy.minDelayMs, jittered));
}

/** `Retry-After` as milliseconds: delta-seconds or an HTTP date; undefined when absent/invalid. */
export function parseRetryAfter(value: string | undefined, now: number = Date.now()): number | undefined {
  if (value === undefined) return undefined;
  const trimmed = value.trim();
  if (/^\d+$/.test(trimmed)) return Number(trimmed) * 1000;
  const date = Date.parse(trimmed);
  if (Number.isNaN(date)) return undefined;
  return Math.max(0, date - now);
}
