/**
 * `@provisioning/workspace/lean` is a self-contained bundle with its own copy of `ProvisioningError`;
 * its errors must still be recognised by the schemas package's `isProvisioningError` (and
 * `instanceof`), so the CLI and library users treat them as expected failures.
 */
import { isProvisioningError, ProvisioningError } from '@provisioning/schemas';
import { type TempDir, tempDir } from '@provisioning/testkit';
import * as lean from '@provisioning/workspace/lean';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

let tmp: TempDir;
beforeAll(async () => {
  tmp = await tempDir('ws-lean-errors-');
});
afterAll(() => tmp.remove());

async function leanError(): Promise<unknown> {
  try {
    await lean.loadEffectiveConfig({
      cwd: tmp.path,
      env: { PROVISIONING_HOME: tmp.path },
      flags: { registry: 'bad registry!!' },
    });
  } catch (error) {
    return error;
  }
  throw new Error('loadEffectiveConfig accepted a malformed registry');
}

describe('errors thrown by the lean bundle', () => {
  it('are ProvisioningErrors for the main copy of the class', async () => {
    const error = await leanError();
    expect(isProvisioningError(error)).toBe(true);
    expect(error instanceof ProvisioningError).toBe(true);
    expect((error as ProvisioningError).exitCode).toBe(2); // a bad flag value is a usage error
    expect((error as ProvisioningError).message).toContain('bad registry!!');
  });

  it('are ProvisioningErrors when cwd and env are left to their defaults', async () => {
    const error = await lean
      .loadEffectiveConfig({ flags: { registry: 'bad registry!!' } })
      .catch((e: unknown) => e);
    expect(isProvisioningError(error)).toBe(true);
    expect((error as ProvisioningError).code).toBe('FLAG_INVALID');
  });

  it('does not take a look-alike plain Error for one', () => {
    const fake = Object.assign(new Error('x'), { code: 'X', kind: 'input', exitCode: 1, toJSON: () => ({}) });
    expect(isProvisioningError(fake)).toBe(false);
    expect(fake instanceof ProvisioningError).toBe(false);
  });
});
