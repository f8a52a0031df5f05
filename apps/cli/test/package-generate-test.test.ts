import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { expectNoStackOrBox, Sandbox } from './support/run-cli.js';

const box = new Sandbox();
afterAll(() => box.cleanup());

describe('provisioning generate extension', () => {
  it('creates ./extensions/<type>s/<name> under the cwd and test extension NAME passes', async () => {
    const generated = await box.run(['generate', 'extension', 'taskserv', 'redis']);
    expect(generated.code).toBe(0);
    expect(generated.stdout.split('\n')[0]).toBe('Created taskserv redis in extensions/taskservs/redis');
    expect(existsSync(join(box.root, 'extensions', 'taskservs', 'redis', 'kcl', 'redis.k'))).toBe(true);

    const tested = await box.run(['test', 'extension', 'redis']);
    expect(tested.code).toBe(0);
    expect(tested.stdout).toBe(
      [
        'pass  validate',
        'pass  render templates/redis.conf.j2',
        'pass  tests/templates.test.yaml: renders the default port',
        'pass  tests/templates.test.yaml: renders an overridden port without binding',
        'pass  parse scripts/check.nu',
        'pass  parse scripts/install.nu',
        'pass  parse scripts/uninstall.nu',
        '7 passed, 0 failed',
        '',
      ].join('\n'),
    );
  });

  it('--dir and --json', async () => {
    const result = await box.run([
      'generate',
      'extension',
      'cluster',
      'web',
      '--dir',
      'custom/web',
      '--json',
    ]);
    expect(result.code).toBe(0);
    expect(JSON.parse(result.stdout)).toEqual({
      type: 'cluster',
      name: 'web',
      version: '1.0.0',
      dir: join(box.root, 'custom', 'web'),
    });
  });

  it('starts at 1.0.0, so the next steps of the architecture document work; --version picks another', async () => {
    const first = await box.run(['generate', 'extension', 'taskserv', 'redis', '--dir', 'v/redis']);
    expect(first.code).toBe(0);
    expect(readFileSync(join(box.root, 'v', 'redis', 'manifest.yaml'), 'utf8')).toContain(
      '\nversion: 1.0.0\n',
    );
    const other = await box.run([
      'generate',
      'extension',
      'taskserv',
      'valkey',
      '--dir',
      'v/valkey',
      '--version',
      '8.0.1',
    ]);
    expect(other.code).toBe(0);
    expect(readFileSync(join(box.root, 'v', 'valkey', 'manifest.yaml'), 'utf8')).toContain(
      '\nversion: 8.0.1\n',
    );
    const bad = await box.run([
      'generate',
      'extension',
      'taskserv',
      'bad',
      '--dir',
      'v/bad',
      '--version',
      'v2',
    ]);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/^error: --version: invalid version "v2"/);
    expect(existsSync(join(box.root, 'v', 'bad'))).toBe(false);
  });

  it('refuses an existing directory (exit 1) and a bad type or name (exit 2), one line each', async () => {
    const again = await box.run(['generate', 'extension', 'taskserv', 'redis']);
    expect(again.code).toBe(1);
    expect(again.stderr).toMatch(
      /^error: extensions\/taskservs\/redis already exists and is not empty\n {2}hint: /,
    );
    const badType = await box.run(['generate', 'extension', 'plugin', 'x']);
    expect(badType.code).toBe(2);
    expect(badType.stderr).toMatch(/^error: .*plugin/);
    const badName = await box.run(['generate', 'extension', 'taskserv', 'Not_Valid!']);
    expect(badName.code).toBe(2);
    expect(badName.stderr).toMatch(
      /^error: extension name "Not_Valid!" is not valid\n {2}hint: use lowercase/,
    );
    for (const r of [again, badType, badName]) expect(expectNoStackOrBox(r.stderr)).toEqual([]);
  });
});

describe('provisioning test extension', () => {
  it('reports failing checks and exits 1; --json carries every check', async () => {
    await box.run(['generate', 'extension', 'provider', 'acme']);
    const dir = join(box.root, 'extensions', 'providers', 'acme');
    writeFileSync(join(dir, 'templates', 'acme.conf.j2'), 'port {{ port }}\nregion {{ region }}\n');
    const result = await box.run(['test', 'extension', 'acme']);
    expect(result.code).toBe(1);
    expect(result.stdout).toMatch(/^pass {2}validate$/m);
    expect(result.stdout).toMatch(/^FAIL {2}render templates\/acme\.conf\.j2$/m);
    expect(result.stdout).toMatch(/^ {6}.*undefined/m);
    expect(result.stdout).toMatch(/^pass {2}parse scripts\/install\.nu$/m);
    expect(result.stdout).toMatch(/^2 passed, 3 failed$/m);
    expect(result.stderr).toBe('error: 3 of 5 checks failed for acme\n');

    const json = await box.run(['test', 'extension', dir, '--json']);
    expect(json.code).toBe(1);
    const output = JSON.parse(json.stdout);
    expect(output).toMatchObject({ ok: false, dir, passed: 2, failed: 3 });
    expect(output.checks[0]).toEqual({ name: 'validate', ok: true });
  });

  it('an unknown name is an input error naming where it looked', async () => {
    const result = await box.run(['test', 'extension', 'nginx']);
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/^error: no extension "nginx" under .*extensions\n {2}hint: /);
  });
});
