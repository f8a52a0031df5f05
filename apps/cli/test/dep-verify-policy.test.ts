/**
 * The trust policy (`dependencies.extensions.verify`) as a user meets it, against a real
 * Distribution registry: an unsigned module is refused before anything is installed or rewritten;
 * after `oci sign` it installs and the lock records the accepted signature; `--frozen` re-verifies
 * from the cache with the registry stopped; `dep validate` reports a signature today's keys refuse.
 */
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { type RunningDistribution, startDistribution } from '@provisioning/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { treeSnapshot } from './support/file-tree.js';
import { expectRefusal, jsonOk, Sandbox } from './support/run-cli.js';

const box = new Sandbox();
const NS = 'provisioning-extensions';
const PASSWORD = { PROVISIONING_KEY_PASSWORD: 'correct horse' };
let registry: RunningDistribution;
let env: Record<string, string>;
let team: string;
let other: string;
let redisDigest: string;

async function pushUnsigned(name: string, version: string): Promise<string> {
  const dir = join(box.root, 'src', `${name}-${version}`, name);
  jsonOk(await box.run(['generate', 'extension', 'taskserv', name, '--dir', dir, '--json']));
  const manifest = join(dir, 'manifest.yaml');
  writeFileSync(manifest, readFileSync(manifest, 'utf8').replace(/^version: .*$/m, `version: ${version}`));
  return jsonOk(await box.run(['oci', 'push', dir, name, version, '--json'], { env })).digest;
}

const workspaceYaml = (keys: string[], require: boolean, modules: string[]) => `# signed workspace
dependencies:
  extensions:
    source_type: "oci"
    oci:
      registry: "${registry.host}"
      namespace: "${NS}"
      tls_enabled: false
    verify:
      keys: [${keys.map((k) => JSON.stringify(k)).join(', ')}]
      require: ${require}
    modules:
      taskservs:
${modules.map((m) => `        - "oci://${registry.host}/${NS}/${m}"`).join('\n')}
`;

beforeAll(async () => {
  registry = await startDistribution();
  env = { PROVISIONING_REGISTRY: registry.host };
  team = join(box.root, 'keys', 'team');
  other = join(box.root, 'keys', 'other');
  jsonOk(await box.run(['oci', 'key', 'generate', '--output', team, '--json'], { env: PASSWORD }));
  jsonOk(await box.run(['oci', 'key', 'generate', '--output', other, '--json'], { env: PASSWORD }));
  redisDigest = await pushUnsigned('redis', '1.0.0');
  await pushUnsigned('plain', '1.0.0');
});
afterAll(async () => {
  await registry?.stop();
  box.cleanup();
});

describe('dep resolve with verify.require', () => {
  let ws: string;

  it('refuses an unsigned module, names it with its reference and digest, and changes no file', async () => {
    ws = box.workspace('signed', workspaceYaml([`${team}.pub`], true, ['redis:1.0.0']));
    const before = await treeSnapshot(ws);
    const message = expectRefusal(
      await box.run(['dep', 'resolve', '--json'], { cwd: ws }),
      'SIGNATURE_REFUSED',
    );
    expect(message).toContain('module redis');
    expect(message).toContain(`${registry.host}/${NS}/redis:1.0.0`);
    expect(message).toContain(redisDigest);
    expect(await treeSnapshot(ws)).toEqual(before);
  });

  it('a missing key file is one clear error naming it', async () => {
    const missing = box.workspace(
      'missing-key',
      workspaceYaml([join(box.root, 'nope.pub')], true, ['redis:1.0.0']),
    );
    const message = expectRefusal(
      await box.run(['dep', 'resolve', '--json'], { cwd: missing }),
      'KEY_NOT_FOUND',
    );
    expect(message).toContain('nope.pub');
  });

  it('after oci sign it installs, and the lock records the accepted signature manifest', async () => {
    const signed = jsonOk(
      await box.run(['oci', 'sign', `${registry.host}/${NS}/redis:1.0.0`, '--key', `${team}.key`, '--json'], {
        env: { ...env, ...PASSWORD },
      }),
    );
    expect(signed.digest).toBe(redisDigest);
    jsonOk(await box.run(['dep', 'resolve', '--json'], { cwd: ws }));
    const lock = readFileSync(join(ws, 'config', 'provisioning.lock'), 'utf8');
    expect(lock).toContain(`signature_digest: ${signed.signature_digest}`);
    const valid = await box.run(['dep', 'validate'], { cwd: ws });
    expect(valid.code, valid.stderr).toBe(0);
    expect(valid.stdout).toContain('signatures verify');
  });

  it('require: false installs an unsigned module and records no signature', async () => {
    const lax = box.workspace('lax', workspaceYaml([`${team}.pub`], false, ['plain:1.0.0']));
    jsonOk(await box.run(['dep', 'resolve', '--json'], { cwd: lax }));
    const lock = readFileSync(join(lax, 'config', 'provisioning.lock'), 'utf8');
    expect(lock).toContain('plain');
    expect(lock).not.toContain('signature_digest');
  });

  it('platform images follow dependencies.platform.verify: unsigned refused, signed locked with its signature', async () => {
    const imageDir = join(box.root, 'src', 'orchestrator');
    jsonOk(await box.run(['generate', 'extension', 'taskserv', 'orchestrator', '--dir', imageDir, '--json']));
    const image = `${registry.host}/provisioning-platform/orchestrator`;
    jsonOk(
      await box.run(
        ['oci', 'push', imageDir, 'orchestrator', '1.0.0', '--namespace', 'provisioning-platform', '--json'],
        { env },
      ),
    );
    const yaml = `${workspaceYaml([`${team}.pub`], true, ['redis:1.0.0'])}  platform:
    images:
      orchestrator: "${image}:1.0.0"
    verify:
      keys: ["${team}.pub"]
`;
    const platform = box.workspace('platform', yaml);
    const before = await treeSnapshot(platform);
    const message = expectRefusal(
      await box.run(['dep', 'resolve', '--json'], { cwd: platform }),
      'SIGNATURE_REFUSED',
    );
    expect(message).toContain('platform image orchestrator');
    expect(await treeSnapshot(platform)).toEqual(before);
    const signed = jsonOk(
      await box.run(['oci', 'sign', `${image}:1.0.0`, '--key', `${team}.key`, '--json'], {
        env: { ...env, ...PASSWORD },
      }),
    );
    jsonOk(await box.run(['dep', 'resolve', '--json'], { cwd: platform }));
    const lock = readFileSync(join(platform, 'config', 'provisioning.lock'), 'utf8');
    expect(lock.split('platform:')[1]).toContain(`signature_digest: ${signed.signature_digest}`);
  });

  it('--frozen with the registry stopped re-verifies from the cache and reinstalls', async () => {
    await registry.stop();
    rmSync(join(ws, '.provisioning'), { recursive: true, force: true });
    const frozen = jsonOk(await box.run(['dep', 'resolve', '--frozen', '--json'], { cwd: ws }));
    expect(frozen.installed).toBe(true);
    expect(
      readFileSync(join(ws, '.provisioning', 'extensions', 'taskservs', 'redis', 'manifest.yaml'), 'utf8'),
    ).toContain('name: redis');
  });

  it('once the key is no longer trusted, --frozen refuses offline and dep validate names the module', async () => {
    const config = join(ws, 'config', 'provisioning.yaml');
    writeFileSync(config, readFileSync(config, 'utf8').replace(`${team}.pub`, `${other}.pub`));
    const before = await treeSnapshot(ws);
    const message = expectRefusal(
      await box.run(['dep', 'resolve', '--frozen', '--json'], { cwd: ws }),
      'SIGNATURE_REFUSED',
    );
    expect(message).toContain('module redis');
    expect(await treeSnapshot(ws)).toEqual(before);
    const invalid = await box.run(['dep', 'validate', '--json'], { cwd: ws });
    expect(invalid.code).toBe(1);
    const problems = JSON.parse(invalid.stdout).error.problems as { area: string; module?: string }[];
    expect(problems).toContainEqual(expect.objectContaining({ area: 'signatures', module: 'redis' }));
  });
});

describe('the policy on the embedded storage (no registry running)', () => {
  it('a module published with --sign-key installs, and dep validate checks its signature', async () => {
    const dir = join(box.root, 'src', 'embedded', 'valkey');
    jsonOk(await box.run(['generate', 'extension', 'taskserv', 'valkey', '--dir', dir, '--json']));
    const pushed = jsonOk(
      await box.run(['oci', 'push', dir, 'valkey', '1.0.0', '--sign-key', `${team}.key`, '--json'], {
        env: PASSWORD,
      }),
    );
    const ws = box.workspace(
      'embedded',
      `dependencies:\n  extensions:\n    verify:\n      keys: ["${team}.pub"]\n    modules:\n      taskservs: ["valkey:1.0.0"]\n`,
    );
    jsonOk(await box.run(['dep', 'resolve', '--json'], { cwd: ws }));
    expect(readFileSync(join(ws, 'config', 'provisioning.lock'), 'utf8')).toContain(
      `signature_digest: ${pushed.signature.digest}`,
    );
    const valid = await box.run(['dep', 'validate'], { cwd: ws });
    expect(valid.code, valid.stderr).toBe(0);
    expect(valid.stdout).toContain('signatures verify');
  });
});
