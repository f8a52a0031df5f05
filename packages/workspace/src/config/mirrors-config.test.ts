import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { loadEffectiveConfig } from './load-effective-config.js';

const root = mkdtempSync(join(tmpdir(), 'prov-mirrors-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));
const home = join(root, 'phome');
mkdirSync(home);
const env = { HOME: root, PROVISIONING_HOME: home };

function workspace(name: string, yaml: string): string {
  const dir = join(root, name);
  mkdirSync(join(dir, 'config'), { recursive: true });
  writeFileSync(join(dir, 'config', 'provisioning.yaml'), yaml);
  return dir;
}

const mirrorsYaml = (entries: string) => `dependencies:\n  registry:\n    mirrors:\n${entries}`;

describe('dependencies.registry.mirrors', () => {
  it('keeps the order, normalises hosts, keeps a scheme and records the file per upstream', async () => {
    const ws = workspace(
      'ordered',
      mirrorsYaml(
        '      "Harbor.Company.com": ["mirror-b.local:5000", "https://mirror-a.local"]\n' +
          '      "localhost:5000": ["127.0.0.1:5001"]\n',
      ),
    );
    const config = await loadEffectiveConfig({ cwd: ws, env });
    const file = join(ws, 'config', 'provisioning.yaml');
    expect(config.mirrors['harbor.company.com']).toEqual({
      value: [{ host: 'mirror-b.local:5000' }, { host: 'mirror-a.local', tls: true }],
      source: 'workspace',
      origin: file,
    });
    expect(config.mirrors['localhost:5000']?.value).toEqual([{ host: '127.0.0.1:5001' }]);
  });

  it('the workspace replaces the home config per upstream; other upstreams of the home config stay', async () => {
    const homeDir = join(root, 'home-layer');
    mkdirSync(homeDir);
    writeFileSync(
      join(homeDir, 'config.yaml'),
      mirrorsYaml(
        '      "harbor.company.com": ["home-mirror:5000"]\n      "ghcr.io": ["ghcr-mirror:5000"]\n',
      ),
    );
    const ws = workspace('layered', mirrorsYaml('      "harbor.company.com": ["ws-mirror:5000"]\n'));
    const config = await loadEffectiveConfig({ cwd: ws, env: { ...env, PROVISIONING_HOME: homeDir } });
    expect(config.mirrors['harbor.company.com']?.value).toEqual([{ host: 'ws-mirror:5000' }]);
    expect(config.mirrors['harbor.company.com']?.source).toBe('workspace');
    expect(config.mirrors['ghcr.io']).toMatchObject({ source: 'home', origin: join(homeDir, 'config.yaml') });
  });

  it('no mirrors by default', async () => {
    const ws = workspace('none', 'dependencies: {}\n');
    expect((await loadEffectiveConfig({ cwd: ws, env })).mirrors).toEqual({});
  });

  it.each([
    [
      'a mirror with a path',
      '      "harbor.company.com": ["mirror.local/ns"]\n',
      /invalid registry endpoint "mirror.local\/ns"/,
    ],
    [
      'a registry mirroring itself',
      '      "harbor.company.com": ["HARBOR.company.com"]\n',
      /cannot mirror itself/,
    ],
  ])('%s is refused naming the key', async (_name, entries, message) => {
    const ws = workspace(`bad-${entries.length}`, mirrorsYaml(entries));
    const error = await loadEffectiveConfig({ cwd: ws, env }).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'CONFIG_INVALID' });
    expect((error as Error).message).toMatch(message);
  });

  it('an empty mirror list is a schema error with the line', async () => {
    const ws = workspace('empty', mirrorsYaml('      "harbor.company.com": []\n'));
    const error = await loadEffectiveConfig({ cwd: ws, env }).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'CONFIG_INVALID' });
    expect((error as Error).message).toMatch(/at least one mirror/);
  });
});
