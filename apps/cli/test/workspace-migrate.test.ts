/**
 * `workspace migrate-to-oci` (the seed's migration phase 2) against a real Distribution registry:
 * a workspace on the legacy local extensions directory moves to the registry, dependencies included,
 * and then resolves from it.
 */
import { cpSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { type RunningDistribution, startDistribution } from '@provisioning/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CLI_ROOT, expectNoStackOrBox, Sandbox } from './support/run-cli.js';

const box = new Sandbox();
let registry: RunningDistribution;
let extensions: string;

const legacyWorkspace = (path: string) => `# legacy workspace
dependencies:
  extensions:
    source_type: "local" # the monorepo directory
    local:
      path: "${path}"
    modules:
      clusters:
        - "web:1.0.0"
`;

beforeAll(async () => {
  registry = await startDistribution();
  // a copy of the bundled sample extensions: the monorepo directory being migrated away from
  extensions = join(box.root, 'extensions');
  cpSync(resolve(CLI_ROOT, '..', '..', 'extensions'), extensions, { recursive: true });
});

afterAll(async () => {
  await registry?.stop();
  box.cleanup();
});

describe('workspace migrate-to-oci', () => {
  it('refuses, writing nothing, while modules are not published', async () => {
    const ws = box.workspace('unpublished', legacyWorkspace(extensions));
    const before = readFileSync(join(ws, 'config', 'provisioning.yaml'), 'utf8');
    const r = await box.run(['workspace', 'migrate-to-oci', ws, '--registry', registry.host]);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(
      /^error: not in 127\.0\.0\.1:\d+\/provisioning-extensions: web:1\.0\.0, postgres:16\.1\.0, redis:1\.0\.0;/,
    );
    expect(r.stderr).toContain('--publish');
    expect(expectNoStackOrBox(r.stderr)).toEqual([]);
    expect(readFileSync(join(ws, 'config', 'provisioning.yaml'), 'utf8')).toBe(before);
  });

  it('--publish pushes the modules and their dependencies, rewrites the config keeping comments, and resolves', async () => {
    const ws = box.workspace('migrated', legacyWorkspace(extensions));
    const r = await box.run([
      'workspace',
      'migrate-to-oci',
      ws,
      '--registry',
      registry.host,
      '--publish',
      '--json',
    ]);
    expect(r.code, r.stderr).toBe(0);
    const result = JSON.parse(r.stdout);
    expect(result.from).toBe('local');
    expect(result.changed).toBe(true);
    const byName = Object.fromEntries(result.modules.map((m: { name: string }) => [m.name, m]));
    expect(byName.web).toMatchObject({ version: '1.0.0', action: 'published', dependency: false });
    expect(byName.postgres).toMatchObject({ action: 'published', dependency: true });
    expect(byName.redis).toMatchObject({ action: 'published', dependency: true });

    const config = readFileSync(join(ws, 'config', 'provisioning.yaml'), 'utf8');
    expect(config).toContain('source_type: "oci" # the monorepo directory');
    expect(config).toContain(`"oci://${registry.host}/provisioning-extensions/web:1.0.0"`);
    expect(config).toContain('# legacy workspace');

    const resolved = await box.run([
      'dep',
      'resolve',
      '--workspace',
      ws,
      '--registry',
      registry.host,
      '--json',
    ]);
    expect(resolved.code, resolved.stderr).toBe(0);
    const lock = readFileSync(join(ws, 'config', 'provisioning.lock'), 'utf8');
    for (const name of ['web', 'postgres', 'redis'])
      expect(lock).toMatch(new RegExp(`${name}:[\\s\\S]*?source: oci`));

    const again = await box.run(['workspace', 'migrate-to-oci', ws, '--registry', registry.host, '--json']);
    expect(again.code, again.stderr).toBe(0);
    expect(JSON.parse(again.stdout).changed).toBe(false);
  });

  it('a version published with other content than the local copy is refused, naming both digests', async () => {
    // `web` 1.0.0 is published (previous test); the local copy now differs
    const changed = join(box.root, 'changed-extensions');
    cpSync(extensions, changed, { recursive: true });
    const defaults = join(changed, 'clusters', 'web', 'defaults.yaml');
    writeFileSync(defaults, `${readFileSync(defaults, 'utf8')}\n# local edit\n`);
    const ws = box.workspace('drifted', legacyWorkspace(changed));
    const before = readFileSync(join(ws, 'config', 'provisioning.yaml'), 'utf8');
    const r = await box.run(['workspace', 'migrate-to-oci', ws, '--registry', registry.host, '--publish']);
    expect(r.code, r.stderr).toBe(1);
    const [line, hint] = r.stderr.trimEnd().split('\n');
    expect(line).toMatch(
      /^error: 127\.0\.0\.1:\d+\/provisioning-extensions\/web:1\.0\.0 is published with other content than .*changed-extensions\/clusters\/web \(published sha256:[0-9a-f]{64}, local sha256:[0-9a-f]{64}\)$/,
    );
    expect(hint).toContain('--force');
    expect(readFileSync(join(ws, 'config', 'provisioning.yaml'), 'utf8')).toBe(before);
    const json = await box.run(['workspace', 'migrate-to-oci', ws, '--registry', registry.host, '--json']);
    expect(JSON.parse(json.stdout).error.code).toBe('VERSION_EXISTS');
  });

  it('a directory without a workspace config is one clear error', async () => {
    const r = await box.run(['workspace', 'migrate-to-oci', join(box.root, 'nowhere')]);
    expect(r.code).toBe(1);
    expect(r.stderr.split('\n')[0]).toMatch(/^error: .*nowhere/);
    expect(expectNoStackOrBox(r.stderr)).toEqual([]);
  });
});
