import { execFileSync } from 'node:child_process';
import { link, readFile, rm, symlink, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { ProvisioningError } from '@provisioning/schemas';
import { type TempDir, tempDir } from '@provisioning/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { formatExtensionProblem } from '../src/problems.js';
import { scaffoldExtension } from '../src/scaffold/scaffold-extension.js';
import { validateExtension } from '../src/validate/validate-extension.js';
import { copyTree, sampleExtensions } from './support/extensions.js';

let tmp: TempDir;
let n = 0;
beforeAll(async () => {
  tmp = await tempDir('packager-validate-');
});
afterAll(async () => {
  await tmp.remove();
});

/** A fresh, valid taskserv named `name` in its own directory. */
async function freshTaskserv(name = 'cache'): Promise<string> {
  n += 1;
  return scaffoldExtension('taskserv', name, path.join(tmp.path, `t${n}`, name));
}

function listing(problems: { path: string; message: string; line?: number }[]): string {
  return problems.map(formatExtensionProblem).join('\n');
}

describe('validateExtension on the sample extensions', () => {
  const samples = sampleExtensions();
  it('finds the sample extensions of this repository', () => {
    expect(samples.length).toBeGreaterThan(0);
  });
  it.each(samples.map((s) => [`${s.type}s/${s.name}`, s.dir] as const))(
    '%s is valid',
    async (_label, dir) => {
      const result = await validateExtension(dir);
      expect(listing(result.problems)).toBe('');
      expect(result.ok).toBe(true);
      expect(result.manifest?.name).toBe(path.basename(dir));
    },
  );
});

describe('validateExtension on generated extensions', () => {
  it.each(['provider', 'taskserv', 'cluster'])('a freshly generated %s is valid', async (type) => {
    n += 1;
    const dir = await scaffoldExtension(type, `fresh-${type}`, path.join(tmp.path, `g${n}`, `fresh-${type}`));
    const result = await validateExtension(dir);
    expect(listing(result.problems)).toBe('');
    expect(result.ok).toBe(true);
    expect(result.manifest?.type).toBe(type);
  });
});

describe('validateExtension lists every problem of a broken extension', () => {
  it('bad semver range, missing kcl.mod and a symlink: three problems, each with its path', async () => {
    const sample = sampleExtensions().find((s) => s.type === 'taskserv');
    n += 1;
    const dir = sample
      ? await copyTree(sample.dir, path.join(tmp.path, `b${n}`, sample.name))
      : await freshTaskserv('broken');
    const manifestFile = path.join(dir, 'manifest.yaml');
    const manifest = await readFile(manifestFile, 'utf8');
    const withoutDeps = manifest.replace(/^dependencies:.*(\n[ \t]+.*)*/m, '').trimEnd();
    await writeFile(manifestFile, `${withoutDeps}\ndependencies:\n  containerd: ">=1.7.0 <<1"\n`);
    await rm(path.join(dir, 'kcl', 'kcl.mod'));
    await symlink('/etc/passwd', path.join(dir, 'templates', 'passwd.j2'));

    const result = await validateExtension(dir);
    expect(result.ok).toBe(false);
    const text = listing(result.problems);
    const lines = (await readFile(manifestFile, 'utf8')).split('\n');
    const rangeLine = lines.findIndex((l) => l.includes('containerd:')) + 1;
    expect(text).toMatch(
      new RegExp(`^manifest\\.yaml:${rangeLine}(:\\d+)?: dependencies\\.containerd: .+$`, 'm'),
    );
    expect(text).toMatch(/^kcl\/kcl\.mod: missing \(required for every taskserv\)$/m);
    expect(text).toMatch(/^templates\/passwd\.j2: symbolic link not allowed/m);
    expect(result.problems).toHaveLength(3);
  });

  it('reports kcl.mod, template, defaults and test-file defects with lines', async () => {
    const dir = await freshTaskserv('cache');
    await writeFile(
      path.join(dir, 'kcl', 'kcl.mod'),
      '[package]\nname = "other"\nversion = "9.9.9"\n\n[dependencies]\nlib = { path = "../../outside" }\nmissing = { path = "nope" }\n',
    );
    await writeFile(path.join(dir, 'templates', 'broken.j2'), 'line one\n{% if x %}\nno end\n');
    await writeFile(
      path.join(dir, 'templates', 'main.j2'),
      '{% include "partial.j2" %}\n{% import "macros.j2" as m %}\n{% include "optional.j2" ignore missing %}\n',
    );
    await writeFile(path.join(dir, 'defaults.yaml'), '- just\n- a list\n');
    await writeFile(
      path.join(dir, 'tests', 'bad.test.yaml'),
      'cases:\n  - name: no template\n    contains: [x]\n  - name: typo\n    template: cache.conf.j2\n    contain: [x]\n  - name: ghost\n    template: ghost.j2\n    contains: [x]\n',
    );
    const result = await validateExtension(dir);
    const text = listing(result.problems);
    expect(text).toContain('kcl/kcl.mod: [package].name is "other", expected "cache"');
    expect(text).toContain(`kcl/kcl.mod: [package].version is "9.9.9" but manifest.yaml says "1.0.0"`);
    expect(text).toContain(
      'kcl/kcl.mod: [dependencies].lib.path "../../outside" points outside the extension',
    );
    expect(text).toContain('kcl/kcl.mod: [dependencies].missing.path "nope" does not exist (kcl/nope)');
    expect(text).toMatch(/^templates\/broken\.j2(:\d+)*: template syntax: .+/m);
    expect(text).toContain('templates/main.j2:1:4: include target "partial.j2" does not exist in templates/');
    expect(text).toContain('templates/main.j2:2:4: import target "macros.j2" does not exist in templates/');
    expect(text).not.toContain('optional.j2');
    expect(text).toContain('defaults.yaml: must be a mapping of default values, got a list');
    expect(text).toContain('tests/bad.test.yaml:2:5: cases[0]: "template" must name a file in templates/');
    expect(text).toContain('tests/bad.test.yaml:4:5: cases[1]: unknown key "contain"');
    expect(text).toContain(
      'tests/bad.test.yaml:7:5: cases[2]: template "ghost.j2" does not exist in templates/',
    );
    expect(result.ok).toBe(false);
  });

  it('refuses hard links, fifos, case collisions, unsafe names and a shipped oci-manifest.json', async () => {
    const dir = await freshTaskserv('cache');
    await link(path.join(dir, 'defaults.yaml'), path.join(dir, 'docs', 'defaults-link.yaml'));
    execFileSync('mkfifo', [path.join(dir, 'docs', 'pipe')]);
    await writeFile(path.join(dir, 'docs', 'readme.md'), 'collides with README.md');
    await writeFile(path.join(dir, 'docs', 'a:b.md'), 'colon');
    await writeFile(path.join(dir, 'oci-manifest.json'), '{}');
    const result = await validateExtension(dir);
    const text = listing(result.problems);
    expect(text).toMatch(/^docs\/defaults-link\.yaml: hard link not allowed \(2 links/m);
    expect(text).toMatch(/^defaults\.yaml: hard link not allowed/m);
    expect(text).toMatch(/^docs\/pipe: named pipe \(fifo\) not allowed/m);
    expect(text).toMatch(/^docs\/readme\.md: name collides with "docs\/README\.md"/m);
    expect(text).toMatch(/^docs\/a:b\.md: unsafe name: path contains ":"/m);
    expect(text).toMatch(/^oci-manifest\.json: reserved/m);
  });

  it('requires the name to match the directory and the type layout to be complete', async () => {
    const dir = await freshTaskserv('cache');
    const renamed = path.join(path.dirname(dir), 'renamed');
    await copyTree(dir, renamed);
    await rm(path.join(renamed, 'scripts', 'check.nu'));
    await rm(path.join(renamed, 'tests'), { recursive: true });
    const text = listing((await validateExtension(renamed)).problems);
    expect(text).toContain('manifest.yaml: name "cache" must equal the directory name "renamed"');
    expect(text).toContain('scripts/check.nu: missing (required for every taskserv)');
    expect(text).toContain('tests/: missing directory (required for every taskserv)');
  });

  it('warns (without failing) when the manifest has no description or licence', async () => {
    const dir = await freshTaskserv('cache');
    const manifestFile = path.join(dir, 'manifest.yaml');
    const text = (await readFile(manifestFile, 'utf8')).replace(/^(description|license):.*\n/gm, '');
    await writeFile(manifestFile, text);
    const result = await validateExtension(dir);
    expect(result.ok).toBe(true);
    expect(listing(result.warnings)).toBe(
      'manifest.yaml: has no description: add a one-line summary\nmanifest.yaml: has no license: add an SPDX expression such as MIT',
    );
  });

  it('throws EXTENSION_NOT_FOUND for a directory that does not exist', async () => {
    const error = await validateExtension(path.join(tmp.path, 'nope')).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ProvisioningError);
    expect((error as ProvisioningError).code).toBe('EXTENSION_NOT_FOUND');
    expect((error as ProvisioningError).hint).toBeTruthy();
  });
});
