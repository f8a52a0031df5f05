import { execFileSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { requireBinary, tempDir } from '@provisioning/testkit';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  buildPayload,
  decryptPrivateKey,
  generateSigningKeyPair,
  parsePayload,
  publicKeyPem,
  readPublicKey,
  signPayload,
  verifyPayload,
} from '../src/index.js';

const fixtures = join(import.meta.dirname, 'fixtures', 'cosign');
const fixture = (name: string) => readFileSync(join(fixtures, name), 'utf8');

function codeOf(work: () => unknown): string | undefined {
  try {
    work();
    return undefined;
  } catch (error) {
    return (error as { code?: string }).code;
  }
}

describe('cosign key files', () => {
  it('loads a hand-written cosign key (ENCRYPTED SIGSTORE PRIVATE KEY) that matches its public key', () => {
    const key = decryptPrivateKey(fixture('cosign.key'), 'test-vector-password', 'cosign.key');
    const pub = readPublicKey(fixture('cosign.pub'), 'cosign.pub');
    expect(publicKeyPem(key)).toBe(publicKeyPem(pub));
    const payload = Buffer.from('{"hello":"world"}');
    expect(verifyPayload(pub, payload, signPayload(key, payload))).toBe(true);
  });

  it('accepts the older ENCRYPTED COSIGN PRIVATE KEY type with an empty password', () => {
    const key = decryptPrivateKey(fixture('cosign-legacy.key'), '', 'cosign-legacy.key');
    expect(publicKeyPem(key)).toBe(publicKeyPem(readPublicKey(fixture('cosign.pub'), 'cosign.pub')));
  });

  it('refuses a wrong password with KEY_PASSWORD_WRONG', () => {
    expect(codeOf(() => decryptPrivateKey(fixture('cosign.key'), 'nope', 'cosign.key'))).toBe(
      'KEY_PASSWORD_WRONG',
    );
  });

  it('generates key pairs that round-trip and differ each time', () => {
    const a = generateSigningKeyPair('pw');
    const b = generateSigningKeyPair('pw');
    expect(a.privateKey).toMatch(/^-----BEGIN ENCRYPTED SIGSTORE PRIVATE KEY-----\n/);
    expect(a.publicKey).toMatch(/^-----BEGIN PUBLIC KEY-----\n/);
    expect(a.publicKey).not.toBe(b.publicKey);
    const key = decryptPrivateKey(a.privateKey, 'pw', 'a.key');
    expect(publicKeyPem(key)).toBe(a.publicKey);
  });

  it('signatures verify with openssl, and openssl signatures verify here', async () => {
    requireBinary('openssl');
    await using dir = await tempDir('sigkeys-');
    const pair = generateSigningKeyPair('pw');
    const key = decryptPrivateKey(pair.privateKey, 'pw', 'k.key');
    writeFileSync(join(dir.path, 'k.pub'), pair.publicKey);
    const payload = buildPayload({
      dockerReference: 'localhost:5000/ns/redis',
      manifestDigest: `sha256:${'a'.repeat(64)}`,
      annotations: {},
    });
    writeFileSync(join(dir.path, 'payload.json'), payload);
    writeFileSync(join(dir.path, 'sig.der'), Buffer.from(signPayload(key, payload), 'base64'));
    const out = execFileSync('openssl', [
      'dgst',
      '-sha256',
      '-verify',
      join(dir.path, 'k.pub'),
      '-signature',
      join(dir.path, 'sig.der'),
      join(dir.path, 'payload.json'),
    ]).toString();
    expect(out.trim()).toBe('Verified OK');
    // the other way: openssl signs with a PKCS#8 export of the same key
    writeFileSync(join(dir.path, 'k.pem'), key.export({ type: 'pkcs8', format: 'pem' }));
    execFileSync('openssl', [
      'dgst',
      '-sha256',
      '-sign',
      join(dir.path, 'k.pem'),
      '-out',
      join(dir.path, 'o.der'),
      join(dir.path, 'payload.json'),
    ]);
    const signature = readFileSync(join(dir.path, 'o.der')).toString('base64');
    const pub = readPublicKey(pair.publicKey, 'k.pub');
    expect(verifyPayload(pub, payload, signature)).toBe(true);
    expect(verifyPayload(pub, Buffer.concat([payload, Buffer.from(' ')]), signature)).toBe(false);
  });

  it('property: any malformed private key text gives one KEY_INVALID or KEY_PASSWORD_WRONG, never a crash', () => {
    const good = fixture('cosign.key');
    const body = good.split('\n').slice(1, -2).join('');
    const envelope = JSON.parse(Buffer.from(body, 'base64').toString('utf8')) as Record<string, unknown>;
    const wrap = (json: unknown) =>
      `-----BEGIN ENCRYPTED SIGSTORE PRIVATE KEY-----\n${Buffer.from(JSON.stringify(json)).toString('base64')}\n-----END ENCRYPTED SIGSTORE PRIVATE KEY-----\n`;
    const mutated = fc.oneof(
      fc.string(),
      fc.string().map((s) => good.slice(0, 40) + s + good.slice(80)),
      fc.jsonValue().map(wrap),
      fc
        .record({ key: fc.constantFrom('kdf', 'cipher', 'ciphertext'), value: fc.jsonValue() })
        .map(({ key, value }) => wrap({ ...envelope, [key]: value })),
      fc
        .uint8Array({ maxLength: 64 })
        .map((bytes) => wrap({ ...envelope, ciphertext: Buffer.from(bytes).toString('base64') })),
    );
    fc.assert(
      fc.property(mutated, (text) => {
        const code = codeOf(() => decryptPrivateKey(text, 'test-vector-password', 'k.key'));
        expect(['KEY_INVALID', 'KEY_PASSWORD_WRONG']).toContain(code);
      }),
      { numRuns: 60 },
    );
  });

  it('property: any malformed public key text gives one KEY_INVALID', () => {
    fc.assert(
      fc.property(
        fc.oneof(
          fc.string(),
          fc
            .uint8Array({ maxLength: 120 })
            .map(
              (b) =>
                `-----BEGIN PUBLIC KEY-----\n${Buffer.from(b).toString('base64')}\n-----END PUBLIC KEY-----\n`,
            ),
        ),
        (text) => {
          expect(codeOf(() => readPublicKey(text, 'k.pub'))).toBe('KEY_INVALID');
        },
      ),
    );
  });

  it('refuses an RSA public key and a private key in the public key slot', () => {
    const rsa = execFileSync('openssl', [
      'genpkey',
      '-algorithm',
      'RSA',
      '-pkeyopt',
      'rsa_keygen_bits:1024',
    ]).toString();
    expect(codeOf(() => readPublicKey(rsa, 'rsa.pem'))).toBe('KEY_INVALID');
    expect(codeOf(() => readPublicKey(fixture('cosign.key'), 'cosign.key'))).toBe('KEY_INVALID');
  });
});

describe('simple-signing payload', () => {
  const digest = `sha256:${'b'.repeat(64)}`;

  it('round-trips and reads cosign-written payloads', () => {
    const bytes = buildPayload({
      dockerReference: 'h:5000/ns/x',
      manifestDigest: digest,
      annotations: { ci: 'yes' },
    });
    expect(parsePayload(bytes, 'sig')).toEqual({
      dockerReference: 'h:5000/ns/x',
      manifestDigest: digest,
      annotations: { ci: 'yes' },
    });
    const cosign = `{"critical":{"identity":{"docker-reference":"index.docker.io/dlorenc/demo"},"image":{"docker-manifest-digest":"${digest}"},"type":"cosign container image signature"},"optional":null}`;
    expect(parsePayload(Buffer.from(cosign), 'sig').dockerReference).toBe('index.docker.io/dlorenc/demo');
  });

  it('refuses wrong type, unknown critical keys and bad digests', () => {
    const base = JSON.parse(
      buildPayload({ dockerReference: 'ns/x', manifestDigest: digest, annotations: {} }).toString(),
    );
    const variants = [
      { ...base, critical: { ...base.critical, type: 'atomic container signature' } },
      { ...base, critical: { ...base.critical, extra: 1 } },
      { ...base, critical: { ...base.critical, image: { 'docker-manifest-digest': 'sha256:xyz' } } },
      { ...base, extra: true },
      { ...base, optional: [1] },
    ];
    for (const v of variants)
      expect(codeOf(() => parsePayload(Buffer.from(JSON.stringify(v)), 's'))).toBe(
        'SIGNATURE_PAYLOAD_INVALID',
      );
  });

  it('property: arbitrary bytes and JSON give SIGNATURE_PAYLOAD_INVALID or a payload, never a crash', () => {
    fc.assert(
      fc.property(
        fc.oneof(
          fc.uint8Array({ maxLength: 200 }),
          fc.jsonValue().map((v) => Buffer.from(JSON.stringify(v) ?? 'null')),
          fc
            .record({ identity: fc.jsonValue(), image: fc.jsonValue(), type: fc.jsonValue() })
            .map((critical) => Buffer.from(JSON.stringify({ critical }))),
        ),
        (bytes) => {
          try {
            const parsed = parsePayload(bytes, 's');
            expect(typeof parsed.dockerReference).toBe('string');
          } catch (error) {
            expect((error as { code?: string }).code).toBe('SIGNATURE_PAYLOAD_INVALID');
            expect((error as Error).message.split('\n')).toHaveLength(1);
          }
        },
      ),
    );
  });
});
