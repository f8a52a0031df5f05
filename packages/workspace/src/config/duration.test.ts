import { isProvisioningError } from '@provisioning/schemas';
import { describe, expect, it } from 'vitest';
import { parseDuration } from './duration.js';

const flag = { where: '--timeout', code: 'FLAG_INVALID' } as const;
const env = { where: 'PROVISIONING_TIMEOUT', code: 'ENV_INVALID' } as const;

describe('parseDuration', () => {
  it('reads seconds and durations with units', () => {
    expect(parseDuration('30', flag)).toBe(30_000);
    expect(parseDuration('2s', flag)).toBe(2000);
    expect(parseDuration(' 2m ', flag)).toBe(120_000);
    expect(parseDuration('1m30s', flag)).toBe(90_000);
    expect(parseDuration('1.5s', flag)).toBe(1500);
    expect(parseDuration('250ms', flag)).toBe(250);
    expect(parseDuration('1H', flag)).toBe(3_600_000);
  });

  it.each([
    ['abc', 'not a duration'],
    ['2x', 'not a duration'],
    ['-5', 'not a duration'],
    ['', 'not a duration'],
    ['0', 'must be more than 0'],
    ['0s', 'must be more than 0'],
    ['25h', 'more than 24h'],
  ])('refuses %j (%s) as a usage error for the flag, an input error for the variable', (raw, why) => {
    try {
      parseDuration(raw, flag);
      expect.unreachable();
    } catch (err) {
      expect(isProvisioningError(err) && [err.code, err.kind, err.exitCode]).toEqual([
        'FLAG_INVALID',
        'usage',
        2,
      ]);
      expect((err as Error).message).toBe(`--timeout: invalid timeout "${raw}" (${why})`);
    }
    expect(() => parseDuration(raw, env)).toThrow(/^PROVISIONING_TIMEOUT: invalid timeout/);
  });
});
