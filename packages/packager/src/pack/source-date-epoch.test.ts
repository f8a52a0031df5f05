import { describe, expect, it } from 'vitest';
import { resolveSourceDateEpoch } from './source-date-epoch.js';

describe('resolveSourceDateEpoch', () => {
  it('prefers the option, then SOURCE_DATE_EPOCH, else 0', () => {
    expect(resolveSourceDateEpoch(7, { SOURCE_DATE_EPOCH: '9' })).toBe(7);
    expect(resolveSourceDateEpoch(undefined, { SOURCE_DATE_EPOCH: '1700000000' })).toBe(1700000000);
    expect(resolveSourceDateEpoch(undefined, { SOURCE_DATE_EPOCH: '' })).toBe(0);
    expect(resolveSourceDateEpoch(undefined, {})).toBe(0);
  });

  it.each(['-1', '1.5', 'now', '99999999999'])('rejects SOURCE_DATE_EPOCH=%s with a hint', (value) => {
    expect(() => resolveSourceDateEpoch(undefined, { SOURCE_DATE_EPOCH: value })).toThrow(
      expect.objectContaining({
        code: 'SOURCE_DATE_EPOCH_INVALID',
        hint: expect.stringContaining('git log'),
      }),
    );
  });

  it('rejects options tar cannot store', () => {
    expect(() => resolveSourceDateEpoch(-5, {})).toThrow(
      expect.objectContaining({ code: 'SOURCE_DATE_EPOCH_INVALID' }),
    );
    expect(() => resolveSourceDateEpoch(2 ** 40, {})).toThrow(expect.objectContaining({ kind: 'input' }));
  });
});
