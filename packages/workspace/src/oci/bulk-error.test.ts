import { ProvisioningError } from '@provisioning/schemas';
import { describe, expect, it } from 'vitest';
import { bulkError } from './bulk-error.js';

const failure = (item: string) => ({
  item,
  error: new ProvisioningError('NETWORK_ERROR', `cannot reach ${item}`, { kind: 'network' }),
});

describe('bulkError', () => {
  it('says the others were done only when some items worked', () => {
    const some = bulkError('COPY_INCOMPLETE', 'copies', [failure('a')], 3, 'run it again', 'copied');
    expect(some.message).toBe('1 of 3 copies failed; first: a: cannot reach a');
    expect(some.hint).toBe('the others were copied; run it again');
    const all = bulkError(
      'COPY_INCOMPLETE',
      'copies',
      [failure('a'), failure('b')],
      2,
      'run it again',
      'copied',
    );
    expect(all.hint).toBe('run it again');
  });

  it('keeps the first failure kind and lists every failure', () => {
    const error = bulkError('COPY_INCOMPLETE', 'copies', [failure('a'), failure('b')], 5, 'retry');
    expect(error.kind).toBe('network');
    expect(error.exitCode).toBe(3);
    expect((error.details as { failed: { item: string }[] }).failed.map((f) => f.item)).toEqual(['a', 'b']);
  });
});
