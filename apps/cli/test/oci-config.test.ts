import { afterAll, describe, expect, it } from 'vitest';
import { Sandbox } from './support/run-cli.js';

const box = new Sandbox();
afterAll(() => box.cleanup());

const ws = box.workspace(
  'ws',
  `dependencies:
  extensions:
    source_type: "oci"
    oci:
      registry: "reg.example:5000"
      namespace: "team-extensions"
`,
);
const configFile = `${ws}/config/provisioning.yaml`;

async function configJson(args: string[], env: Record<string, string> = {}) {
  const result = await box.run(['oci', 'config', '--json', ...args], { cwd: ws, env });
  expect(result.stderr).toBe('');
  expect(result.code).toBe(0);
  return JSON.parse(result.stdout);
}

describe('provisioning oci config', () => {
  it('takes the registry from the workspace config, with its source', async () => {
    const out = await configJson([]);
    expect(out.tool).toBe('provisioning');
    expect(out.registry).toBe('reg.example:5000');
    expect(out.sources.registry).toEqual({ source: 'workspace', origin: configFile });
    expect(out.namespace.extensions).toBe('team-extensions');
    expect(out.namespace.platform).toBe('provisioning-platform');
    expect(out.sources.namespace.platform).toEqual({ source: 'default', origin: 'built-in' });
    // not a loopback registry → HTTPS by default
    expect(out.tls_enabled).toBe(true);
    expect(out.sources.tls_enabled.source).toBe('default');
    expect(out.cache_dir).toBe(`${box.home}/oci-cache`);
    expect(out.workspace).toBe(ws);
  });

  it('PROVISIONING_REGISTRY overrides the workspace', async () => {
    const out = await configJson([], { PROVISIONING_REGISTRY: 'env.example:6000' });
    expect(out.registry).toBe('env.example:6000');
    expect(out.sources.registry).toEqual({ source: 'env', origin: 'PROVISIONING_REGISTRY' });
  });

  it('--registry overrides both; --plain-http and --namespace are flags too', async () => {
    const out = await configJson(['--registry', 'flag.example:7000', '--plain-http', '--namespace', 'mine'], {
      PROVISIONING_REGISTRY: 'env.example:6000',
    });
    expect(out.registry).toBe('flag.example:7000');
    expect(out.sources.registry).toEqual({ source: 'flag', origin: '--registry' });
    expect(out.tls_enabled).toBe(false);
    expect(out.sources.tls_enabled).toEqual({ source: 'flag', origin: '--plain-http' });
    expect(out.namespace.extensions).toBe('mine');
    expect(out.sources.namespace.extensions).toEqual({ source: 'flag', origin: '--namespace' });
  });

  it('shows the registry timeout: 60 s built in, PROVISIONING_TIMEOUT, --timeout wins', async () => {
    const builtIn = await configJson([]);
    expect(builtIn.timeout_ms).toBe(60_000);
    expect(builtIn.sources.timeout_ms).toEqual({ source: 'default', origin: 'built-in' });
    const fromEnv = await configJson([], { PROVISIONING_TIMEOUT: '30' });
    expect(fromEnv.timeout_ms).toBe(30_000);
    expect(fromEnv.sources.timeout_ms).toEqual({ source: 'env', origin: 'PROVISIONING_TIMEOUT' });
    const fromFlag = await configJson(['--timeout', '1m30s'], { PROVISIONING_TIMEOUT: '30' });
    expect(fromFlag.timeout_ms).toBe(90_000);
    expect(fromFlag.sources.timeout_ms).toEqual({ source: 'flag', origin: '--timeout' });
  });

  it('prints the seed block with a source note per value for humans', async () => {
    const result = await box.run(['oci', 'config'], { cwd: ws, env: { PROVISIONING_CACHE_DIR: '~/cache' } });
    expect(result.code).toBe(0);
    const lines = result.stdout.trimEnd().split('\n');
    expect(lines[0]).toBe('{');
    expect(lines.at(-1)).toBe('}');
    expect(lines.find((l) => l.includes('registry:'))).toMatch(
      new RegExp(`^  registry: "reg\\.example:5000" +# workspace: ${configFile.replaceAll('.', '\\.')}$`),
    );
    expect(lines.find((l) => l.includes('cache_dir:'))).toMatch(
      new RegExp(`cache_dir: "${box.userHome}/cache" +# env: PROVISIONING_CACHE_DIR$`),
    );
    expect(lines).toContain('  namespace: {');
  });
});
