/**
 * Finding `nu` and running an extension's `tests/*.nu` with the real binary of the nushell package
 * (docs/extension-guide.md, "Tests").
 */
import { execFileSync } from 'node:child_process';
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { type TempDir, tempDir } from '@provisioning/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testExtension } from '../src/extension-tests/test-extension.js';
import { findNu } from '../src/nushell/find-nu.js';
import { scaffoldExtension } from '../src/scaffold/scaffold-extension.js';

let tmp: TempDir;
beforeAll(async () => {
  tmp = await tempDir('packager-nushell-');
});
afterAll(async () => {
  await tmp.remove();
});

describe('findNu', () => {
  it('finds the nushell package binary, and takes PROVISIONING_NU when it is executable', () => {
    const nu = findNu({ env: { PATH: '' } });
    expect(execFileSync(nu, ['--version'], { encoding: 'utf8' })).toMatch(/^0\.115\./);
    expect(findNu({ env: { PROVISIONING_NU: nu } })).toBe(nu);
  });

  it('refuses a PROVISIONING_NU that is not an executable file', async () => {
    const file = path.join(tmp.path, 'not-nu');
    await writeFile(file, 'plain text\n', { mode: 0o644 });
    let caught: unknown;
    try {
      findNu({ env: { PROVISIONING_NU: file } });
    } catch (error) {
      caught = error;
    }
    expect(caught).toMatchObject({ code: 'ENV_INVALID' });
    expect((caught as Error).message).toContain(`PROVISIONING_NU=${file}`);
  });
});

describe('testExtension runs tests/*.nu', () => {
  it('passes a test that exits 0, fails one that exits non-zero or runs too long', async () => {
    const dir = await scaffoldExtension('taskserv', 'nutest', path.join(tmp.path, 'nutest'));
    await writeFile(
      path.join(dir, 'tests', 'pass.nu'),
      'if ($env.PROVISIONING_EXTENSION_DIR | path expand) != (pwd | path expand) { exit 4 }\nprint "fine"\n',
    );
    await writeFile(path.join(dir, 'tests', 'fail.nu'), 'print "boom happened"\nexit 3\n');
    await writeFile(path.join(dir, 'tests', 'slow.nu'), 'sleep 30sec\n');
    const started = Date.now();
    const report = await testExtension(dir, { testTimeoutMs: 1500 });
    expect(Date.now() - started).toBeLessThan(25_000);
    const run = Object.fromEntries(
      report.checks.filter((c) => c.name.startsWith('run ')).map((c) => [c.name, c]),
    );
    expect(Object.keys(run).sort()).toEqual(['run tests/fail.nu', 'run tests/pass.nu', 'run tests/slow.nu']);
    expect(run['run tests/pass.nu']).toEqual({ name: 'run tests/pass.nu', ok: true });
    expect(run['run tests/fail.nu']?.ok).toBe(false);
    expect(run['run tests/fail.nu']?.message).toMatch(/^exit code 3\n[\s\S]*boom happened/);
    expect(run['run tests/slow.nu']?.ok).toBe(false);
    expect(run['run tests/slow.nu']?.message).toMatch(/^timed out after 2s/);
    expect(report.ok).toBe(false);
  }, 60_000);
});
