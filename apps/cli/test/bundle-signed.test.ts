/**
 * A bundle carries the signatures a workspace's trust policy needs (docs/air-gap.md,
 * docs/signing.md): signed with `oci sign`, resolved under `verify: { require: true }`, bundled,
 * then installed with `dep resolve --frozen --from-bundle` with the registry stopped and an empty
 * home — the signature is checked from the bundle.
 */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { publishToRegistry } from '@provisioning/fixtures';
import { type RunningDistribution, startDistribution } from '@provisioning/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { expectRefusal, jsonOk, Sandbox } from './support/run-cli.js';

const NS = 'provisioning-extensions';
const box = new Sandbox();
const env = { PROVISIONING_KEY_PASSWORD: 'bundle-test-password' };
let upstream: RunningDistribution;
let ws: string;
let bundle: string;

const config = (keyFile: string) =>
  [
    'dependencies:',
    '  extensions:',
    '    oci:',
    `      registry: "${upstream.host}"`,
    `      namespace: "${NS}"`,
    '    verify:',
    `      keys: ["${keyFile}"]`,
    '      require: true',
    '    modules:',
    '      taskservs:',
    `        - "oci://${upstream.host}/${NS}/redis:1.0.0"`,
    '',
  ].join('\n');

beforeAll(async () => {
  upstream = await startDistribution();
  await publishToRegistry(
    upstream.host,
    NS,
    [{ type: 'taskserv', name: 'redis', version: '1.0.0' }],
    join(box.root, 'publish'),
  );
  const prefix = join(box.root, 'keys', 'team');
  mkdirSync(join(box.root, 'keys'));
  jsonOk(await box.run(['oci', 'key', 'generate', '--output', prefix, '--json'], { env }));
  jsonOk(
    await box.run(['oci', 'sign', `${upstream.host}/${NS}/redis:1.0.0`, '--key', `${prefix}.key`, '--json'], {
      env,
    }),
  );
  ws = box.workspace('ws', config(`${prefix}.pub`));
  jsonOk(await box.run(['dep', 'resolve', '--json'], { cwd: ws, env }));
  bundle = join(box.root, 'signed.tar');
});

afterAll(async () => {
  await upstream?.stop().catch(() => undefined);
  box.cleanup();
});

describe('a signed workspace through a bundle', () => {
  it('the bundle holds the signature the lock accepted', async () => {
    const out = jsonOk(await box.run(['bundle', 'create', '-o', bundle, '--json'], { cwd: ws, env }));
    const lock = parse(readFileSync(join(ws, 'config', 'provisioning.lock'), 'utf8'));
    const signature = out.artifacts.find((a: { kind: string }) => a.kind === 'signature');
    expect(signature.reference).toMatch(new RegExp(`/${NS}/redis:sha256-[a-f0-9]{64}\\.sig$`));
    expect(JSON.stringify(lock.modules.redis)).toContain(signature.digest);
  });

  it('with the registry stopped, --frozen --from-bundle verifies the signature from the bundle', async () => {
    await upstream.stop();
    const dir = box.workspace('site', readFileSync(join(ws, 'config', 'provisioning.yaml'), 'utf8'));
    writeFileSync(
      join(dir, 'config', 'provisioning.lock'),
      readFileSync(join(ws, 'config', 'provisioning.lock')),
    );
    const home = join(box.root, 'site-home');
    mkdirSync(home);
    const result = await box.run(['dep', 'resolve', '--frozen', '--from-bundle', bundle], {
      cwd: dir,
      env: { ...env, PROVISIONING_HOME: home },
    });
    expect(result.code, result.stderr).toBe(0);
    expect(existsSync(join(dir, '.provisioning', 'extensions', 'taskservs', 'redis', 'manifest.yaml'))).toBe(
      true,
    );
  }, 60_000);

  it('a bundle without the signature is refused by the policy, installing nothing', async () => {
    // the same content bundled by a workspace that does not ask for signatures: no .sig inside
    const unsigned = join(box.root, 'unsigned.tar');
    const { execFileSync } = await import('node:child_process');
    const extracted = join(box.root, 'unsigned');
    mkdirSync(extracted);
    execFileSync('tar', ['-xf', bundle, '-C', extracted]);
    const index = JSON.parse(readFileSync(join(extracted, 'index.json'), 'utf8'));
    index.manifests = index.manifests.filter(
      (m: { annotations: Record<string, string> }) =>
        m.annotations['dev.provisioning.bundle.kind'] !== 'signature',
    );
    writeFileSync(join(extracted, 'index.json'), JSON.stringify(index));
    execFileSync('tar', ['-cf', unsigned, '-C', extracted, 'oci-layout', 'index.json', 'blobs']);
    const dir = box.workspace('refused', readFileSync(join(ws, 'config', 'provisioning.yaml'), 'utf8'));
    const home = join(box.root, 'refused-home');
    mkdirSync(home);
    const result = await box.run(['dep', 'resolve', '--from-bundle', unsigned, '--json'], {
      cwd: dir,
      env: { ...env, PROVISIONING_HOME: home },
    });
    expectRefusal(result, 'SIGNATURE_REFUSED');
    expect(existsSync(join(dir, '.provisioning', 'extensions'))).toBe(false);
  }, 60_000);
});
