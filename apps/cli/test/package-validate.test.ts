import { cpSync, readdirSync, readFileSync, rmSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { CLI_ROOT, expectNoStackOrBox, Sandbox } from './support/run-cli.js';

const box = new Sandbox();
afterAll(() => box.cleanup());

const EXTENSIONS = resolve(CLI_ROOT, '..', '..', 'extensions');

function samples(): string[] {
  const dirs: string[] = [];
  for (const group of ['providers', 'taskservs', 'clusters']) {
    let names: string[] = [];
    try {
      names = readdirSync(join(EXTENSIONS, group)).sort();
    } catch {
      continue;
    }
    for (const name of names)
      if (statSync(join(EXTENSIONS, group, name)).isDirectory()) dirs.push(join(EXTENSIONS, group, name));
  }
  return dirs;
}

describe('provisioning oci package validate', () => {
  it('passes on the sample extensions of this repository', async () => {
    const dirs = samples();
    expect(dirs.length).toBeGreaterThan(0);
    // A few at a time: each run is a fresh CLI process.
    for (let i = 0; i < dirs.length; i += 4) {
      const batch = dirs.slice(i, i + 4);
      const results = await Promise.all(
        batch.map((dir) => box.run(['oci', 'package', 'validate', dir, '--json'])),
      );
      results.forEach((result, j) => {
        const dir = batch[j];
        expect({ dir, code: result.code, stderr: result.stderr }).toEqual({ dir, code: 0, stderr: '' });
        expect(JSON.parse(result.stdout)).toMatchObject({ ok: true, problems: [] });
      });
    }
  });

  it('passes on a freshly generated extension', async () => {
    const generated = await box.run(['generate', 'extension', 'provider', 'hetzner']);
    expect(generated.code).toBe(0);
    const result = await box.run(['oci', 'package', 'validate', './extensions/providers/hetzner']);
    expect(result).toEqual({
      code: 0,
      stdout: './extensions/providers/hetzner: valid provider hetzner 1.0.0\n',
      stderr: '',
    });
  });

  it('fails on a broken copy, listing each problem as path: message, exit 1', async () => {
    const source = samples().find((d) => d.includes('/taskservs/')) ?? samples()[0]!;
    const name = source.split('/').pop()!;
    const dir = join(box.root, 'broken', name);
    cpSync(source, dir, { recursive: true });
    const manifest = readFileSync(join(dir, 'manifest.yaml'), 'utf8').replace(
      /^dependencies:.*(\n[ \t]+.*)*/m,
      '',
    );
    writeFileSync(
      join(dir, 'manifest.yaml'),
      `${manifest.trimEnd()}\ndependencies:\n  containerd: "not a range"\n`,
    );
    rmSync(join(dir, 'kcl', 'kcl.mod'));
    symlinkSync('/etc/hostname', join(dir, 'docs', 'hostname.md'));

    const result = await box.run(['oci', 'package', 'validate', dir]);
    expect(result.code).toBe(1);
    const lines = result.stdout.trimEnd().split('\n');
    expect(lines).toHaveLength(3);
    expect(lines[0]).toMatch(/^docs\/hostname\.md: symbolic link not allowed/);
    expect(lines[1]).toBe('kcl/kcl.mod: missing (required for every taskserv)');
    expect(lines[2]).toMatch(/^manifest\.yaml:\d+:\d+: dependencies\.containerd: .+/);
    expect(result.stderr).toBe(`error: ${dir} is not a valid extension (3 problems)\n`);
    expect(expectNoStackOrBox(result.stderr)).toEqual([]);

    const json = await box.run(['oci', 'package', 'validate', dir, '--json']);
    expect(json.code).toBe(1);
    const output = JSON.parse(json.stdout);
    expect(output.ok).toBe(false);
    expect(output.problems.map((p: { path: string }) => p.path)).toEqual([
      'docs/hostname.md',
      'kcl/kcl.mod',
      'manifest.yaml',
    ]);
  });

  it('a missing directory is a one-line input error with a hint, exit 1', async () => {
    const result = await box.run(['oci', 'package', 'validate', './nowhere']);
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/^error: extension directory not found: \.\/nowhere\n {2}hint: /);
    expect(expectNoStackOrBox(result.stderr)).toEqual([]);
  });
});
