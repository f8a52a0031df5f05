import { mkdir, readdir, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { type TempDir, tempDir } from '@provisioning/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { requiredFiles } from '../src/extension-layout.js';
import { testExtension } from '../src/extension-tests/test-extension.js';
import { locateExtension } from '../src/locate-extension.js';
import { scaffoldExtension } from '../src/scaffold/scaffold-extension.js';
import { copyTree, sampleExtensions } from './support/extensions.js';
import { rejection } from './support/rejection.js';

let tmp: TempDir;
let n = 0;
beforeAll(async () => {
  tmp = await tempDir('packager-scaffold-');
});
afterAll(async () => {
  await tmp.remove();
});

function place(name: string): string {
  n += 1;
  return path.join(tmp.path, `s${n}`, name);
}

describe('scaffoldExtension', () => {
  it.each(['provider', 'taskserv', 'cluster'] as const)(
    'writes the full %s layout, which tests green',
    async (type) => {
      const dir = await scaffoldExtension(type, 'kube-proxy', place('kube-proxy'));
      for (const file of requiredFiles(type, 'kube-proxy'))
        expect((await stat(path.join(dir, file))).isFile()).toBe(true);
      expect(((await stat(path.join(dir, 'scripts', 'install.nu'))).mode & 0o777).toString(8)).toBe('755');
      const report = await testExtension(dir);
      expect(report.checks.filter((c) => !c.ok)).toEqual([]);
      expect(report.ok).toBe(true);
      expect(report.checks.map((c) => c.name)).toEqual([
        'validate',
        'render templates/kube-proxy.conf.j2',
        'tests/templates.test.yaml: renders the default port',
        'tests/templates.test.yaml: renders an overridden port without binding',
        // every script parse-checked with the real nu --ide-check
        ...(await readdir(path.join(dir, 'scripts')))
          .filter((f) => f.endsWith('.nu'))
          .sort()
          .map((f) => `parse scripts/${f}`),
      ]);
    },
  );

  it('refuses a non-empty target, an invalid name and an unknown type', async () => {
    const dir = place('busy');
    await mkdir(dir, { recursive: true });
    await writeFile(path.join(dir, 'keep.txt'), 'mine');
    const busy = await rejection(scaffoldExtension('taskserv', 'busy', dir));
    expect(busy.code).toBe('TARGET_EXISTS');
    expect(await readdir(dir)).toEqual(['keep.txt']);
    const badName = await rejection(scaffoldExtension('taskserv', 'Bad_Name!', place('x')));
    expect([badName.code, badName.kind]).toEqual(['EXTENSION_NAME_INVALID', 'usage']);
    const badType = await rejection(scaffoldExtension('plugin', 'x', place('x')));
    expect([badType.code, badType.kind]).toEqual(['EXTENSION_TYPE_INVALID', 'usage']);
    expect(badType.hint).toContain('provider, taskserv, cluster');
  });
});

describe('testExtension', () => {
  it.each(sampleExtensions().map((s) => [`${s.type}s/${s.name}`, s.dir] as const))(
    'sample %s passes every check',
    async (_label, dir) => {
      const report = await testExtension(dir);
      expect(report.checks.filter((c) => !c.ok)).toEqual([]);
      expect(report.checks.length).toBeGreaterThan(1);
    },
  );

  it('reports a failing case, an undefined variable and a render error, one check each', async () => {
    const dir = await scaffoldExtension('taskserv', 'cache', place('cache'));
    await writeFile(
      path.join(dir, 'templates', 'cache.conf.j2'),
      'port {{ port }}\nmaxmemory {{ maxmemory }}\n',
    );
    await writeFile(
      path.join(dir, 'templates', 'loop.j2'),
      '{% for k, v in settings.items() %}{{ k }}={{ v }}\n{% endfor %}',
    );
    await writeFile(path.join(dir, 'defaults.yaml'), 'port: 8080\nbind: 127.0.0.1\nsettings: { a: 1 }\n');
    const report = await testExtension(dir);
    const byName = new Map(report.checks.map((c) => [c.name, c]));
    expect(report.ok).toBe(false);
    expect(byName.get('validate')?.ok).toBe(true);
    expect(byName.get('render templates/loop.j2')?.ok).toBe(true);
    const render = byName.get('render templates/cache.conf.j2');
    expect(render?.ok).toBe(false);
    expect(render?.message).toMatch(/undefined/);
    const overridden = byName.get('tests/templates.test.yaml: renders an overridden port without binding');
    expect(overridden?.ok).toBe(false);
    expect(overridden?.message).toMatch(/rendering cache\.conf\.j2 failed: .*undefined/);
  });

  it('checks contains and not_contains', async () => {
    const dir = await scaffoldExtension('cluster', 'web', place('web'));
    await writeFile(
      path.join(dir, 'tests', 'templates.test.yaml'),
      'cases:\n  - name: wrong expectations\n    template: web.conf.j2\n    values: { port: 1 }\n    contains: ["port 2"]\n    not_contains: ["port 1"]\n',
    );
    const report = await testExtension(dir);
    const check = report.checks.find((c) => c.name === 'tests/templates.test.yaml: wrong expectations');
    expect(check).toEqual({
      name: 'tests/templates.test.yaml: wrong expectations',
      ok: false,
      message: 'web.conf.j2: missing "port 2", unexpected "port 1"',
    });
  });
});

describe('locateExtension', () => {
  it('finds NAME under ./extensions/<type>s, takes paths as they are, and explains a miss', async () => {
    const root = place('repo');
    const dir = await scaffoldExtension(
      'taskserv',
      'redis',
      path.join(root, 'extensions', 'taskservs', 'redis'),
    );
    expect(await locateExtension('redis', { cwd: root })).toBe(dir);
    expect(await locateExtension('./extensions/taskservs/redis', { cwd: root })).toBe(dir);
    expect(await locateExtension('.', { cwd: dir })).toBe(dir);
    const missing = await rejection(locateExtension('nginx', { cwd: root }));
    expect(missing.code).toBe('EXTENSION_NOT_FOUND');
    await copyTree(dir, path.join(root, 'extensions', 'clusters', 'redis'));
    const twice = await rejection(locateExtension('redis', { cwd: root }));
    expect(twice.code).toBe('EXTENSION_AMBIGUOUS');
  });
});
