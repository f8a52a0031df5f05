import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { isProvisioningError } from '@provisioning/schemas';
import { afterAll, describe, expect, it } from 'vitest';
import { loadEffectiveConfig } from './load-effective-config.js';

const root = mkdtempSync(join(tmpdir(), 'prov-config-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

const userHome = join(root, 'user');
const home = join(root, 'phome');
mkdirSync(userHome);
mkdirSync(home);
const baseEnv = { HOME: userHome, PROVISIONING_HOME: home };

function workspace(name: string, yaml: string): string {
  const dir = join(root, name);
  mkdirSync(join(dir, 'config'), { recursive: true });
  writeFileSync(join(dir, 'config', 'provisioning.yaml'), yaml);
  return dir;
}

const plainDir = join(root, 'elsewhere');
mkdirSync(plainDir);

const seedWs = workspace(
  'seed',
  `dependencies:
  extensions:
    source_type: "oci"
    oci:
      registry: "localhost:5000"
      namespace: "provisioning-extensions"
      tls_enabled: false
      auth_token_path: "~/.provisioning/tokens/oci"
  platform:
    source_type: "oci"
    oci:
      registry: "harbor.company.com"
      namespace: "provisioning-platform"
  registry:
    type: "oci"
    oci:
      endpoint: "localhost:5000"
      namespaces:
        extensions: "provisioning-extensions"
        kcl: "provisioning-kcl"
        platform: "provisioning-platform"
        test: "provisioning-test"
`,
);
const harborWs = workspace(
  'harbor',
  `dependencies:
  registry:
    type: "oci"
    oci:
      endpoint: "https://harbor.company.com"
      namespaces:
        extensions: "provisioning/extensions"
        platform: "provisioning/platform"
      auth_token_path: "~/.provisioning/tokens/harbor"
`,
);
const regWs = workspace(
  'reg',
  `dependencies:
  extensions:
    oci:
      registry: "reg.example:5000"
`,
);

describe('loadEffectiveConfig', () => {
  it('layers the registry timeout: 60 s built in, PROVISIONING_TIMEOUT, then --timeout', async () => {
    const base = await loadEffectiveConfig({ cwd: plainDir, env: baseEnv });
    expect(base.timeout).toEqual({ value: 60_000, source: 'default', origin: 'built-in' });
    const env = { ...baseEnv, PROVISIONING_TIMEOUT: '2m' };
    const fromEnv = await loadEffectiveConfig({ cwd: plainDir, env });
    expect(fromEnv.timeout).toEqual({ value: 120_000, source: 'env', origin: 'PROVISIONING_TIMEOUT' });
    const fromFlag = await loadEffectiveConfig({ cwd: plainDir, env, flags: { timeout: '15' } });
    expect(fromFlag.timeout).toEqual({ value: 15_000, source: 'flag', origin: '--timeout' });
    await expect(
      loadEffectiveConfig({ cwd: plainDir, env, flags: { timeout: 'later' } }),
    ).rejects.toMatchObject({
      code: 'FLAG_INVALID',
      kind: 'usage',
    });
  });

  it('uses built-in defaults outside any workspace', async () => {
    const c = await loadEffectiveConfig({ cwd: plainDir, env: { HOME: userHome } });
    expect(c.registry).toEqual({ value: 'localhost:5000', source: 'default', origin: 'built-in' });
    expect(c.namespaces.extensions.value).toBe('provisioning-extensions');
    expect(c.namespaces.platform.value).toBe('provisioning-platform');
    expect(c.namespaces.kcl.value).toBe('provisioning-kcl');
    expect(c.namespaces.test.value).toBe('provisioning-test');
    expect(c.home).toEqual({ value: join(userHome, '.provisioning'), source: 'default', origin: 'built-in' });
    expect(c.cacheDir.value).toBe(join(userHome, '.provisioning', 'oci-cache'));
    expect(c.layoutPath.value).toBe(join(userHome, '.provisioning', 'oci-registry'));
    expect(c.tlsEnabled).toMatchObject({ value: false, source: 'default' });
    expect(c.insecure.value).toBe(false);
    expect(c.registryType.value).toBe('oci');
    expect(c.workspace.value).toBeUndefined();
    expect(c.workspaceConfig).toBeUndefined();
  });

  it('reads the seed example workspace, with the file as origin and ~ expanded', async () => {
    const file = join(seedWs, 'config', 'provisioning.yaml');
    const c = await loadEffectiveConfig({ cwd: join(seedWs, 'config'), env: baseEnv });
    expect(c.workspace).toEqual({ value: seedWs, source: 'workspace', origin: file });
    expect(c.registry).toEqual({ value: 'localhost:5000', source: 'workspace', origin: file });
    expect(c.tlsEnabled).toEqual({ value: false, source: 'workspace', origin: file });
    // `~/.provisioning/…` follows PROVISIONING_HOME …
    expect(c.authTokenPath.value).toBe(join(home, 'tokens', 'oci'));
    // … and is the user's ~/.provisioning without it
    const unset = await loadEffectiveConfig({ cwd: seedWs, env: { HOME: userHome } });
    expect(unset.authTokenPath.value).toBe(join(userHome, '.provisioning', 'tokens', 'oci'));
    expect(c.namespaces.kcl).toEqual({ value: 'provisioning-kcl', source: 'workspace', origin: file });
    expect(c.workspaceConfig?.dependencies?.platform).toBeDefined();
    expect(c.workspaceConfigFile).toBe(file);
  });

  it('takes the registry and TLS from a Harbor https:// endpoint', async () => {
    const c = await loadEffectiveConfig({ cwd: harborWs, env: baseEnv });
    expect(c.registry.value).toBe('harbor.company.com');
    expect(c.tlsEnabled).toMatchObject({ value: true, source: 'workspace' });
    expect(c.namespaces.extensions.value).toBe('provisioning/extensions');
    expect(c.authTokenPath.value).toBe(join(home, 'tokens', 'harbor'));
  });

  it('defaults to HTTPS for a non-loopback registry', async () => {
    const c = await loadEffectiveConfig({ cwd: regWs, env: baseEnv });
    expect(c.registry.value).toBe('reg.example:5000');
    expect(c.tlsEnabled).toEqual({
      value: true,
      source: 'default',
      origin: 'built-in: HTTPS for non-loopback registries',
    });
  });

  it('layers home config < workspace < env < flags, each with its source', async () => {
    const phome = join(root, 'layered-home');
    mkdirSync(phome);
    const homeFile = join(phome, 'config.yaml');
    writeFileSync(
      homeFile,
      `dependencies:
  extensions:
    oci:
      registry: "home.example"
      namespace: "home-ns"
      insecure: true
  registry:
    oci:
      namespaces:
        test: "home-test"
`,
    );
    const env = { HOME: userHome, PROVISIONING_HOME: phome };
    const wsFile = join(regWs, 'config', 'provisioning.yaml');

    const fromFiles = await loadEffectiveConfig({ cwd: regWs, env });
    expect(fromFiles.homeConfigFile).toBe(homeFile);
    expect(fromFiles.registry).toEqual({ value: 'reg.example:5000', source: 'workspace', origin: wsFile });
    expect(fromFiles.namespaces.extensions).toEqual({ value: 'home-ns', source: 'home', origin: homeFile });
    expect(fromFiles.namespaces.test).toEqual({ value: 'home-test', source: 'home', origin: homeFile });
    expect(fromFiles.insecure).toEqual({ value: true, source: 'home', origin: homeFile });

    const fromEnv = await loadEffectiveConfig({
      cwd: regWs,
      env: {
        ...env,
        PROVISIONING_REGISTRY: 'http://env.example:8080',
        PROVISIONING_NAMESPACE: 'env-ns',
        PROVISIONING_PLATFORM_NAMESPACE: 'env-platform',
        PROVISIONING_INSECURE: 'false',
        PROVISIONING_CACHE_DIR: 'rel-cache',
      },
    });
    expect(fromEnv.registry).toEqual({
      value: 'env.example:8080',
      source: 'env',
      origin: 'PROVISIONING_REGISTRY',
    });
    expect(fromEnv.tlsEnabled).toEqual({ value: false, source: 'env', origin: 'PROVISIONING_REGISTRY' });
    expect(fromEnv.namespaces.extensions).toEqual({
      value: 'env-ns',
      source: 'env',
      origin: 'PROVISIONING_NAMESPACE',
    });
    expect(fromEnv.namespaces.platform.origin).toBe('PROVISIONING_PLATFORM_NAMESPACE');
    expect(fromEnv.insecure).toEqual({ value: false, source: 'env', origin: 'PROVISIONING_INSECURE' });
    expect(fromEnv.cacheDir).toEqual({
      value: join(regWs, 'rel-cache'),
      source: 'env',
      origin: 'PROVISIONING_CACHE_DIR',
    });

    const fromFlags = await loadEffectiveConfig({
      cwd: plainDir,
      env: { ...env, PROVISIONING_REGISTRY: 'env.example', PROVISIONING_PLAIN_HTTP: 'false' },
      flags: {
        workspace: regWs,
        registry: 'flag.example:9000',
        namespace: 'flag-ns',
        plainHttp: true,
        insecure: true,
      },
    });
    expect(fromFlags.workspace).toEqual({ value: regWs, source: 'flag', origin: '--workspace' });
    expect(fromFlags.registry).toEqual({ value: 'flag.example:9000', source: 'flag', origin: '--registry' });
    expect(fromFlags.tlsEnabled).toEqual({ value: false, source: 'flag', origin: '--plain-http' });
    expect(fromFlags.namespaces.extensions).toEqual({
      value: 'flag-ns',
      source: 'flag',
      origin: '--namespace',
    });
    expect(fromFlags.insecure).toEqual({ value: true, source: 'flag', origin: '--insecure' });
  });

  it('insecure means HTTPS without verification: it turns the loopback plain-HTTP default off', async () => {
    const byFlag = await loadEffectiveConfig({ cwd: plainDir, env: baseEnv, flags: { insecure: true } });
    expect(byFlag.registry.value).toBe('localhost:5000');
    expect(byFlag.tlsEnabled).toEqual({
      value: true,
      source: 'flag',
      origin: '--insecure (HTTPS without verification)',
    });
    const byEnv = await loadEffectiveConfig({
      cwd: plainDir,
      env: { ...baseEnv, PROVISIONING_REGISTRY: '127.0.0.1:5443', PROVISIONING_INSECURE: 'true' },
    });
    expect(byEnv.tlsEnabled).toMatchObject({ value: true, source: 'env' });
    // a plain-HTTP choice below the flag (the seed workspace's tls_enabled: false) yields to it
    const overFile = await loadEffectiveConfig({ cwd: seedWs, env: baseEnv, flags: { insecure: true } });
    expect(overFile.tlsEnabled).toMatchObject({ value: true, source: 'flag' });
    // plain HTTP chosen at the same level or above stays plain
    const plainAbove = await loadEffectiveConfig({
      cwd: plainDir,
      env: { ...baseEnv, PROVISIONING_INSECURE: 'true' },
      flags: { plainHttp: true },
    });
    expect(plainAbove.tlsEnabled).toEqual({ value: false, source: 'flag', origin: '--plain-http' });
    const httpScheme = await loadEffectiveConfig({
      cwd: plainDir,
      env: { ...baseEnv, PROVISIONING_INSECURE: 'true', PROVISIONING_REGISTRY: 'http://127.0.0.1:5000' },
    });
    expect(httpScheme.tlsEnabled).toMatchObject({ value: false, source: 'env' });
  });

  it('PROVISIONING_WORKSPACE selects the workspace from anywhere', async () => {
    const c = await loadEffectiveConfig({
      cwd: plainDir,
      env: { ...baseEnv, PROVISIONING_WORKSPACE: harborWs },
    });
    expect(c.workspace).toEqual({ value: harborWs, source: 'env', origin: 'PROVISIONING_WORKSPACE' });
    expect(c.registry.value).toBe('harbor.company.com');
  });

  it('reads the oci-layout registry type and its storage path relative to the workspace', async () => {
    const ws = workspace(
      'layout',
      `dependencies:
  extensions:
    source_type: "oci-layout"
    oci_layout:
      path: "vendor/oci"
`,
    );
    const c = await loadEffectiveConfig({ cwd: ws, env: baseEnv });
    expect(c.registryType).toMatchObject({ value: 'oci-layout', source: 'workspace' });
    expect(c.layoutPath).toMatchObject({ value: join(ws, 'vendor', 'oci'), source: 'workspace' });
  });

  it('honours plain_http/insecure in dependencies.registry.oci and rejects contradictions', async () => {
    const ok = workspace(
      'plain',
      `dependencies:
  registry:
    oci:
      endpoint: "https://reg.example"
      plain_http: true
      insecure: true
`,
    );
    const c = await loadEffectiveConfig({ cwd: ok, env: baseEnv });
    expect(c.tlsEnabled).toMatchObject({ value: false, source: 'workspace' });
    expect(c.insecure).toMatchObject({ value: true, source: 'workspace' });

    const bad = workspace(
      'contradiction',
      `dependencies:
  extensions:
    oci:
      tls_enabled: true
      plain_http: true
`,
    );
    const err = await loadEffectiveConfig({ cwd: bad, env: baseEnv }).catch((e: unknown) => e);
    expect(isProvisioningError(err) && err.code).toBe('CONFIG_INVALID');
    expect((err as Error).message).toContain(
      'dependencies.extensions.oci: plain_http: true contradicts tls_enabled: true',
    );
    expect((err as Error).message).toContain(join(bad, 'config', 'provisioning.yaml'));
  });

  it.each([
    [{ PROVISIONING_PLAIN_HTTP: 'maybe' }, 'ENV_INVALID', 'PROVISIONING_PLAIN_HTTP'],
    [{ PROVISIONING_INSECURE: '2' }, 'ENV_INVALID', 'PROVISIONING_INSECURE'],
    [{ PROVISIONING_REGISTRY: 'reg.example/ns' }, 'ENV_INVALID', 'PROVISIONING_REGISTRY'],
    [{ PROVISIONING_NAMESPACE: 'Bad NS' }, 'ENV_INVALID', 'PROVISIONING_NAMESPACE'],
  ])('rejects bad environment values %o', async (env, code, name) => {
    const err = await loadEffectiveConfig({ cwd: plainDir, env: { ...baseEnv, ...env } }).catch(
      (e: unknown) => e,
    );
    expect(isProvisioningError(err) && err.code).toBe(code);
    expect((err as Error).message).toContain(name);
  });

  it('rejects a bad --namespace as a usage error', async () => {
    const err = await loadEffectiveConfig({
      cwd: plainDir,
      env: baseEnv,
      flags: { namespace: 'UPPER' },
    }).catch((e: unknown) => e);
    expect(isProvisioningError(err) && err.code).toBe('FLAG_INVALID');
    expect(isProvisioningError(err) && err.exitCode).toBe(2);
  });
});
