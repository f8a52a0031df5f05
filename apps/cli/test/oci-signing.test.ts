/**
 * `oci key generate`, `oci sign`, `oci verify`, `--sign-key` and signature copies against real
 * storage: CNCF Distribution (no referrers API), the built-in server (referrers API) and the
 * embedded layout storage; openssl checks the cryptography independently.
 */
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { startRegistryServer } from '@provisioning/oci-client';
import { type RunningDistribution, requireBinary, startDistribution } from '@provisioning/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectRefusal, jsonOk, Sandbox } from './support/run-cli.js';

const openssl = requireBinary('openssl');
const box = new Sandbox();
const NS = 'provisioning-extensions';
const PASSWORD = { PROVISIONING_KEY_PASSWORD: 'correct horse' };
let registry: RunningDistribution;
let mirror: RunningDistribution;
let builtIn: Awaited<ReturnType<typeof startRegistryServer>>;
let env: Record<string, string>;
let keyA: string;
let keyB: string;

async function generateExtension(name: string, version = '1.0.0'): Promise<string> {
  const dir = join(box.root, 'src', `v${version}-${Math.random().toString(36).slice(2, 8)}`, name);
  const made = await box.run(['generate', 'extension', 'taskserv', name, '--dir', dir]);
  expect(made.code, made.stderr).toBe(0);
  const manifest = join(dir, 'manifest.yaml');
  writeFileSync(manifest, readFileSync(manifest, 'utf8').replace(/^version: .*$/m, `version: ${version}`));
  return dir;
}

async function push(name: string, version = '1.0.0', extra: string[] = [], runEnv = env, cwd?: string) {
  const dir = await generateExtension(name, version);
  return box.run(['oci', 'push', dir, name, version, '--json', ...extra], {
    env: { ...runEnv, ...PASSWORD },
    ...(cwd ? { cwd } : {}),
  });
}

beforeAll(async () => {
  [registry, mirror] = await Promise.all([startDistribution(), startDistribution()]);
  builtIn = await startRegistryServer({ root: join(box.root, 'builtin-storage'), port: 0 });
  env = { PROVISIONING_REGISTRY: registry.host };
  keyA = join(box.root, 'keys', 'team');
  keyB = join(box.root, 'keys', 'other');
  jsonOk(await box.run(['oci', 'key', 'generate', '--output', keyA, '--json'], { env: PASSWORD }));
  jsonOk(await box.run(['oci', 'key', 'generate', '--output', keyB, '--json'], { env: PASSWORD }));
});
afterAll(async () => {
  await Promise.all([registry?.stop(), mirror?.stop(), builtIn?.close()]);
  box.cleanup();
});

describe('oci key generate', () => {
  it('writes a 0600 encrypted cosign key and a SPKI public key, and never overwrites them', async () => {
    expect(readFileSync(`${keyA}.key`, 'utf8')).toMatch(/^-----BEGIN ENCRYPTED SIGSTORE PRIVATE KEY-----/);
    expect(statSync(`${keyA}.key`).mode & 0o777).toBe(0o600);
    expect(
      execFileSync(openssl, ['pkey', '-pubin', '-in', `${keyA}.pub`, '-noout', '-text']).toString(),
    ).toContain('prime256v1');
    const before = readFileSync(`${keyA}.key`, 'utf8');
    expectRefusal(
      await box.run(['oci', 'key', 'generate', '--output', keyA, '--json'], { env: PASSWORD }),
      'TARGET_EXISTS',
    );
    expect(readFileSync(`${keyA}.key`, 'utf8')).toBe(before);
  });

  it('without PROVISIONING_KEY_PASSWORD and no terminal it refuses, writing nothing', async () => {
    const out = await box.run(['oci', 'key', 'generate', '--output', join(box.root, 'keys', 'none')]);
    expect(out.code).toBe(2);
    expect(out.stderr).toContain('PROVISIONING_KEY_PASSWORD');
    expect(() => statSync(join(box.root, 'keys', 'none.key'))).toThrow();
  });
});

describe('sign and verify on Distribution', () => {
  it('push --sign-key signs; verify succeeds with that key; openssl verifies the same signature', async () => {
    const pushed = jsonOk(await push('redis', '1.0.0', ['--sign-key', `${keyA}.key`]));
    expect(pushed.signature.reference).toBe(
      `${registry.host}/${NS}/redis:sha256-${pushed.digest.slice(7)}.sig`,
    );
    const verified = jsonOk(
      await box.run(['oci', 'verify', 'redis:1.0.0', '--key', `${keyA}.pub`, '--json'], { env }),
    );
    expect(verified.digest).toBe(pushed.digest);
    expect(verified.signature_digest).toBe(pushed.signature.digest);
    expect(verified.docker_reference).toBe(`${registry.host}/${NS}/redis`);

    // independent check: fetch the signature manifest and payload over plain HTTP, verify with openssl
    const base = `http://${registry.host}/v2/${NS}/redis`;
    const accept = { accept: 'application/vnd.oci.image.manifest.v1+json' };
    const manifest = (await (
      await fetch(`${base}/manifests/sha256-${pushed.digest.slice(7)}.sig`, { headers: accept })
    ).json()) as { layers: { mediaType: string; digest: string; annotations: Record<string, string> }[] };
    expect(manifest.layers).toHaveLength(1);
    const layer = manifest.layers[0]!;
    expect(layer.mediaType).toBe('application/vnd.dev.cosign.simplesigning.v1+json');
    const payload = Buffer.from(await (await fetch(`${base}/blobs/${layer.digest}`)).arrayBuffer());
    expect(JSON.parse(payload.toString()).critical).toEqual({
      identity: { 'docker-reference': `${registry.host}/${NS}/redis` },
      image: { 'docker-manifest-digest': pushed.digest },
      type: 'cosign container image signature',
    });
    writeFileSync(join(box.root, 'payload.json'), payload);
    writeFileSync(
      join(box.root, 'sig.der'),
      Buffer.from(layer.annotations['dev.cosignproject.cosign/signature']!, 'base64'),
    );
    const ok = execFileSync(openssl, [
      'dgst',
      '-sha256',
      '-verify',
      `${keyA}.pub`,
      '-signature',
      join(box.root, 'sig.der'),
      join(box.root, 'payload.json'),
    ]);
    expect(ok.toString().trim()).toBe('Verified OK');

    const human = await box.run(['oci', 'verify', 'redis:1.0.0', '--key', `${keyB}.pub`, '--json'], { env });
    expect(expectRefusal(human, 'SIGNATURE_KEY_MISMATCH')).toContain(pushed.digest);
  });

  it('a second signer keeps the first signature; either key verifies; inspect lists both', async () => {
    const signed = jsonOk(
      await box.run(
        ['oci', 'sign', 'redis:1.0.0', '--key', `${keyB}.key`, '--annotation', 'ci=second', '--json'],
        {
          env: { ...env, ...PASSWORD },
        },
      ),
    );
    expect(signed.resolved_tag).toBe('1.0.0');
    expect(signed.signatures).toBe(2);
    expect(signed.referrer_digest).toBeUndefined(); // Distribution 2.8 has no referrers API
    const byB = jsonOk(
      await box.run(['oci', 'verify', 'redis:1.0.0', '--key', `${keyB}.pub`, '--json'], { env }),
    );
    expect(byB.annotations).toEqual({ ci: 'second' });
    jsonOk(await box.run(['oci', 'verify', 'redis:1.0.0', '--key', `${keyA}.pub`, '--json'], { env }));
    const inspected = jsonOk(await box.run(['oci', 'inspect', 'redis:1.0.0', '--json'], { env }));
    expect(inspected.signatures.signatures).toHaveLength(2);
    const human = await box.run(
      ['oci', 'sign', 'redis:1.0.0', '--key', `${keyB}.key`, '--annotation', 'ci=second'],
      {
        env: { ...env, ...PASSWORD },
      },
    );
    expect(human.code, human.stderr).toBe(0);
    expect(human.stdout).toContain('resolves to');
    // the same key over the same payload again: recognised as already there, no duplicate layer
    const again = jsonOk(
      await box.run(
        ['oci', 'sign', 'redis:1.0.0', '--key', `${keyB}.key`, '--annotation', 'ci=second', '--json'],
        { env: { ...env, ...PASSWORD } },
      ),
    );
    expect(again).toMatchObject({ unchanged: true, signatures: 2 });
  });

  it('no signature, and a wrong password, are refused with their own codes', async () => {
    jsonOk(await push('unsigned'));
    expectRefusal(
      await box.run(['oci', 'verify', 'unsigned:1.0.0', '--key', `${keyA}.pub`, '--json'], { env }),
      'SIGNATURE_NOT_FOUND',
    );
    const wrong = await box.run(['oci', 'sign', 'unsigned:1.0.0', '--key', `${keyA}.key`, '--json'], {
      env: { ...env, PROVISIONING_KEY_PASSWORD: 'nope' },
    });
    expectRefusal(wrong, 'KEY_PASSWORD_WRONG');
    expectRefusal(
      await box.run(['oci', 'verify', 'unsigned:1.0.0', '--key', `${keyA}.pub`, '--json'], { env }),
      'SIGNATURE_NOT_FOUND',
    );
  });

  it('a signature replayed onto another repository is refused by identity', async () => {
    const victim = jsonOk(await push('victim'));
    const signed = jsonOk(await push('donor', '1.0.0', ['--sign-key', `${keyA}.key`]));
    // the attacker pushes the donor's signature manifest under the victim digest's .sig tag
    const base = `http://${registry.host}/v2/${NS}`;
    const sig = await fetch(`${base}/donor/manifests/${signed.signature.digest}`, {
      headers: { accept: 'application/vnd.oci.image.manifest.v1+json' },
    });
    const bytes = Buffer.from(await sig.arrayBuffer());
    jsonOk(
      await box.run(
        [
          'oci',
          'copy',
          `${registry.host}/${NS}/donor@${signed.signature.digest}`,
          `${registry.host}/${NS}/victim:sha256-${victim.digest.slice(7)}.sig`,
          '--no-signatures',
          '--json',
        ],
        { env },
      ),
    );
    expect(bytes.length).toBeGreaterThan(0);
    expectRefusal(
      await box.run(['oci', 'verify', 'victim:1.0.0', '--key', `${keyA}.pub`, '--json'], { env }),
      'SIGNATURE_DIGEST_MISMATCH',
    );
    // the same manifest on the donor's own digest but in another repository: identity
    jsonOk(
      await box.run(
        [
          'oci',
          'copy',
          `${registry.host}/${NS}/donor:1.0.0`,
          `${registry.host}/other/donor:1.0.0`,
          '--no-signatures',
          '--json',
        ],
        { env },
      ),
    );
    jsonOk(
      await box.run(
        [
          'oci',
          'copy',
          `${registry.host}/${NS}/donor@${signed.signature.digest}`,
          `${registry.host}/other/donor:sha256-${signed.digest.slice(7)}.sig`,
          '--no-signatures',
          '--json',
        ],
        { env },
      ),
    );
    const stderr = expectRefusal(
      await box.run(
        ['oci', 'verify', `${registry.host}/other/donor:1.0.0`, '--key', `${keyA}.pub`, '--json'],
        { env },
      ),
      'SIGNATURE_IDENTITY_MISMATCH',
    );
    expect(stderr).toContain(`${NS}/donor`);
  });

  it('a re-pushed tag is not covered by the old signature', async () => {
    const first = jsonOk(await push('moving', '1.0.0', ['--sign-key', `${keyA}.key`]));
    const dir = await generateExtension('moving', '1.0.0');
    writeFileSync(join(dir, 'README.md'), 'changed\n');
    const moved = jsonOk(
      await box.run(['oci', 'push', dir, 'moving', '1.0.0', '--force', '--json'], { env }),
    );
    expect(moved.digest).not.toBe(first.digest);
    expectRefusal(
      await box.run(['oci', 'verify', 'moving:1.0.0', '--key', `${keyA}.pub`, '--json'], { env }),
      'SIGNATURE_NOT_FOUND',
    );
    jsonOk(
      await box.run(['oci', 'verify', `moving@${first.digest}`, '--key', `${keyA}.pub`, '--json'], { env }),
    );
  });

  it('a signature made with openssl over a hand-written payload is accepted; a malformed payload is refused', async () => {
    const pushed = jsonOk(await push('handmade'));
    const payload = `{"critical":{"identity":{"docker-reference":"mirror.example/${NS}/handmade"},"image":{"docker-manifest-digest":"${pushed.digest}"},"type":"cosign container image signature"},"optional":{"by":"openssl"}}`;
    const malformed = `{"critical":{"identity":{"docker-reference":"x/${NS}/handmade"},"image":{"docker-manifest-digest":"${pushed.digest}"},"type":"something else"}}`;
    // openssl needs the unencrypted key: decrypt ours through a PKCS#8 export made by the library
    const { decryptPrivateKey } = await import('@provisioning/oci-client');
    const pem = decryptPrivateKey(
      readFileSync(`${keyA}.key`, 'utf8'),
      PASSWORD.PROVISIONING_KEY_PASSWORD,
      'k',
    ).export({ type: 'pkcs8', format: 'pem' });
    writeFileSync(join(box.root, 'plain.pem'), pem);
    const layers = [malformed, payload].map((text, i) => {
      const file = join(box.root, `hand-${i}.json`);
      writeFileSync(file, text);
      const sig = execFileSync(openssl, [
        'dgst',
        '-sha256',
        '-sign',
        join(box.root, 'plain.pem'),
        file,
      ]).toString('base64');
      return { text, sig };
    });
    const base = `http://${registry.host}/v2/${NS}/handmade`;
    const descriptors = [];
    for (const layer of layers) {
      const digest = `sha256:${createHash('sha256').update(layer.text).digest('hex')}`;
      const start = await fetch(`${base}/blobs/uploads/`, { method: 'POST' });
      const location = new URL(start.headers.get('location')!, base);
      location.searchParams.set('digest', digest);
      expect((await fetch(location, { method: 'PUT', body: layer.text })).status).toBe(201);
      descriptors.push({
        mediaType: 'application/vnd.dev.cosign.simplesigning.v1+json',
        digest,
        size: Buffer.byteLength(layer.text),
        annotations: { 'dev.cosignproject.cosign/signature': layer.sig },
      });
    }
    const config = '{}';
    const configDigest = `sha256:${createHash('sha256').update(config).digest('hex')}`;
    const start = await fetch(`${base}/blobs/uploads/`, { method: 'POST' });
    const location = new URL(start.headers.get('location')!, base);
    location.searchParams.set('digest', configDigest);
    await fetch(location, { method: 'PUT', body: config });
    const putManifest = (layerList: unknown[]) =>
      fetch(`${base}/manifests/sha256-${pushed.digest.slice(7)}.sig`, {
        method: 'PUT',
        headers: { 'content-type': 'application/vnd.oci.image.manifest.v1+json' },
        body: JSON.stringify({
          schemaVersion: 2,
          mediaType: 'application/vnd.oci.image.manifest.v1+json',
          config: { mediaType: 'application/vnd.oci.image.config.v1+json', digest: configDigest, size: 2 },
          layers: layerList,
        }),
      });
    expect((await putManifest([descriptors[0]])).status).toBe(201);
    expectRefusal(
      await box.run(['oci', 'verify', 'handmade:1.0.0', '--key', `${keyA}.pub`, '--json'], { env }),
      'SIGNATURE_PAYLOAD_INVALID',
    );
    expect((await putManifest(descriptors)).status).toBe(201);
    const ok = jsonOk(
      await box.run(['oci', 'verify', 'handmade:1.0.0', '--key', `${keyA}.pub`, '--json'], { env }),
    );
    expect(ok.annotations).toEqual({ by: 'openssl' });
  });
});

describe('copies keep signatures', () => {
  it('oci copy to a second registry and to an oci-layout carries the signatures; --no-signatures does not', async () => {
    const src = `${registry.host}/${NS}/redis:1.0.0`;
    const copied = jsonOk(
      await box.run(['oci', 'copy', src, `${mirror.host}/${NS}/redis:1.0.0`, '--json'], { env }),
    );
    expect(copied.signature_digest).toMatch(/^sha256:/);
    jsonOk(
      await box.run(['oci', 'verify', `${mirror.host}/${NS}/redis:1.0.0`, '--key', `${keyA}.pub`, '--json'], {
        env,
      }),
    );
    const layout = join(box.root, 'airgap', 'redis');
    jsonOk(await box.run(['oci', 'copy', src, `oci-layout:${layout}`, '--json'], { env }));
    jsonOk(
      await box.run(
        [
          'oci',
          'verify',
          `oci-layout:${layout}:1.0.0`,
          '--key',
          `${keyB}.pub`,
          '--identity',
          `${NS}/redis`,
          '--json',
        ],
        { env },
      ),
    );
    expectRefusal(
      await box.run(
        [
          'oci',
          'verify',
          `oci-layout:${layout}:1.0.0`,
          '--key',
          `${keyB}.pub`,
          '--identity',
          `${NS}/other`,
          '--json',
        ],
        { env },
      ),
      'SIGNATURE_IDENTITY_MISMATCH',
    );
    jsonOk(
      await box.run(['oci', 'copy', src, `${mirror.host}/bare/redis:1.0.0`, '--no-signatures', '--json'], {
        env,
      }),
    );
    expectRefusal(
      await box.run(['oci', 'verify', `${mirror.host}/bare/redis:1.0.0`, '--key', `${keyA}.pub`, '--json'], {
        env,
      }),
      'SIGNATURE_NOT_FOUND',
    );
  });
});

describe('the built-in server and the embedded storage', () => {
  it('signs on the built-in server with a referrer (it has the referrers API) and verifies', async () => {
    const host = new URL(builtIn.url).host;
    const serverEnv = { PROVISIONING_REGISTRY: host };
    const pushed = jsonOk(await push('served', '1.0.0', [], serverEnv));
    const signed = jsonOk(
      await box.run(['oci', 'sign', `served@${pushed.digest}`, '--key', `${keyA}.key`, '--json'], {
        env: { ...serverEnv, ...PASSWORD },
      }),
    );
    expect(signed.resolved_tag).toBeUndefined();
    expect(signed.referrer_digest).toMatch(/^sha256:/);
    const referrers = (await (
      await fetch(`${builtIn.url}/v2/${NS}/served/referrers/${pushed.digest}`)
    ).json()) as { manifests: { artifactType: string }[] };
    expect(referrers.manifests.map((m: { artifactType: string }) => m.artifactType)).toContain(
      'application/vnd.dev.cosign.artifact.sig.v1+json',
    );
    jsonOk(
      await box.run(['oci', 'verify', 'served:1.0.0', '--key', `${keyA}.pub`, '--json'], { env: serverEnv }),
    );
    expectRefusal(
      await box.run(['oci', 'verify', 'served:1.0.0', '--key', `${keyB}.pub`, '--json'], { env: serverEnv }),
      'SIGNATURE_KEY_MISMATCH',
    );
  });

  it('signs and verifies in the embedded layout storage (no registry running)', async () => {
    const cwd = box.workspace('embedded-ws', 'dependencies:\n  registry:\n    type: oci-layout\n');
    const out = jsonOk(await push('embedded', '1.0.0', ['--sign-key', `${keyA}.key`], {}, cwd));
    expect(out.signature.digest).toMatch(/^sha256:/);
    const verified = await box.run(['oci', 'verify', 'embedded:1.0.0', '--key', `${keyA}.pub`], { cwd });
    expect(verified.code, verified.stderr).toBe(0);
    expect(verified.stdout).toContain('verified');
    expect(verified.stdout).toContain(join(box.home, 'oci-registry'));
    expectRefusal(
      await box.run(['oci', 'verify', 'embedded:1.0.0', '--key', `${keyB}.pub`, '--json'], { cwd }),
      'SIGNATURE_KEY_MISMATCH',
    );
  });
});
