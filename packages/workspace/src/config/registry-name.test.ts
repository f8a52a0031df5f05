import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { formatReference, isProvisioningError, parseReference } from '@provisioning/schemas';
import { afterAll, describe, expect, it } from 'vitest';
import { loadEffectiveConfig } from './load-effective-config.js';
import { parseRegistryEndpoint } from './registry-host.js';

// A default registry without "." or ":" that is not localhost (`myreg`) gives references that do
// not parse back (issue 10, defect 18): it is refused wherever it is configured.
const root = mkdtempSync(join(tmpdir(), 'prov-registry-name-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));
const userHome = join(root, 'user');
const home = join(root, 'phome');
mkdirSync(userHome);
mkdirSync(home);
const env = { HOME: userHome, PROVISIONING_HOME: home };

function workspace(name: string, yaml: string): string {
  const dir = join(root, name);
  mkdirSync(join(dir, 'config'), { recursive: true });
  writeFileSync(join(dir, 'config', 'provisioning.yaml'), yaml);
  return dir;
}

async function failure(
  run: () => Promise<unknown>,
): Promise<{ code: string; exit: number; message: string; hint?: string }> {
  const error = await run().then(
    () => undefined,
    (e: unknown) => e,
  );
  if (!isProvisioningError(error)) throw new Error(`expected a ProvisioningError, got ${String(error)}`);
  return { code: error.code, exit: error.exitCode, message: error.message, hint: error.hint };
}

describe('a registry name that would not round-trip', () => {
  it.each([
    ['dependencies.extensions.oci.registry', 'extensions:\n    oci:\n      registry: myreg\n', 4],
    ['dependencies.registry.oci.endpoint', 'registry:\n    oci:\n      endpoint: "https://myreg"\n', 4],
  ])('is refused at config load, naming the file, the key (%s) and the rule', async (key, body, line) => {
    const dir = workspace(key.replace(/\W/g, '-'), `dependencies:\n  ${body}`);
    const file = join(dir, 'config', 'provisioning.yaml');
    const e = await failure(() => loadEffectiveConfig({ cwd: dir, env }));
    expect(e.code).toBe('CONFIG_INVALID');
    expect(e.exit).toBe(1);
    expect(e.message.split('\n')).toHaveLength(1);
    expect(e.message).toMatch(
      new RegExp(`^${file.replace(/[.]/g, '\\.')}:${line}:\\d+: ${key.replace(/[.]/g, '\\.')}: `),
    );
    expect(e.message).toContain('a registry host must contain "." or ":" or be localhost');
  });

  it('is refused from PROVISIONING_REGISTRY and --registry (usage), also in upper case', async () => {
    const fromEnv = await failure(() =>
      loadEffectiveConfig({ cwd: root, env: { ...env, PROVISIONING_REGISTRY: 'MyReg' } }),
    );
    expect(fromEnv).toMatchObject({ code: 'ENV_INVALID', exit: 1 });
    expect(fromEnv.message).toMatch(/^PROVISIONING_REGISTRY: invalid registry "MyReg": /);
    const fromFlag = await failure(() =>
      loadEffectiveConfig({ cwd: root, env, flags: { registry: 'myreg' } }),
    );
    expect(fromFlag).toMatchObject({ code: 'FLAG_INVALID', exit: 2 });
    expect(fromFlag.message).toContain('--registry');
    expect(fromFlag.hint).toMatch(/domain or its port/);
  });

  it.each(['myreg:5000', 'myreg.local', 'localhost', 'https://myreg:443', '10.0.0.1', '[::1]'])(
    'accepts %s, and short names formatted with it parse back to the same reference',
    async (registry) => {
      const host = parseRegistryEndpoint(registry, { where: '--registry', code: 'FLAG_INVALID' }).host;
      const config = await loadEffectiveConfig({ cwd: root, env, flags: { registry } });
      expect(config.registry.value).toBe(host);
      const ref = parseReference('redis:1.0.0', { registry: host, namespace: 'ns' });
      expect(ref).toEqual({ registry: host, repository: 'ns/redis', tag: '1.0.0' });
      expect(parseReference(formatReference(ref))).toEqual(ref);
    },
  );
});
