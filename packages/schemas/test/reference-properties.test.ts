import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  formatReference,
  isValidDigest,
  type OciReference,
  ProvisioningError,
  parseReference,
} from '../src/index.js';

const alnum = fc.stringMatching(/^[a-z0-9]{1,8}$/);
const separator = fc.constantFrom('.', '_', '__', '-', '--');
const component = fc
  .tuple(alnum, fc.array(fc.tuple(separator, alnum), { maxLength: 3 }))
  .map(([head, rest]) => head + rest.map(([s, a]) => s + a).join(''));
const path = fc.array(component, { minLength: 1, maxLength: 5 }).map((parts) => parts.join('/'));
// A path without a registry: its first component must not look like one (no ".", not localhost).
const shortPath = fc
  .tuple(
    fc.stringMatching(/^[a-z0-9]{1,8}(?:[_-][a-z0-9]{1,8}){0,2}$/).filter((c) => c !== 'localhost'),
    fc.array(component, { maxLength: 3 }),
  )
  .map(([first, rest]) => [first, ...rest].join('/'));
const label = fc.stringMatching(/^[a-z0-9]([a-z0-9-]{0,6}[a-z0-9])?$/);
const host = fc.oneof(
  fc.array(label, { minLength: 2, maxLength: 3 }).map((l) => l.join('.')),
  fc.constant('localhost'),
  fc.constant('[::1]'),
  fc.tuple(fc.nat(255), fc.nat(255)).map(([a, b]) => `10.0.${a}.${b}`),
);
const registry = fc
  .tuple(host, fc.option(fc.integer({ min: 1, max: 65535 }), { nil: undefined }))
  .map(([h, port]) => (port === undefined ? h : `${h}:${port}`));
const tag = fc.stringMatching(/^[A-Za-z0-9_][A-Za-z0-9._-]{0,127}$/);
const digest = fc.oneof(
  fc.stringMatching(/^[0-9a-f]{64}$/).map((h) => `sha256:${h}`),
  fc.stringMatching(/^[0-9a-f]{128}$/).map((h) => `sha512:${h}`),
);
const reference: fc.Arbitrary<OciReference> = fc
  .record({
    registry,
    repository: path,
    tag: fc.option(tag, { nil: undefined }),
    digest: fc.option(digest, { nil: undefined }),
  })
  .map((r) => {
    const ref: OciReference = { registry: r.registry, repository: r.repository };
    if (r.tag !== undefined) ref.tag = r.tag;
    if (r.digest !== undefined) ref.digest = r.digest;
    return ref;
  });

describe('reference properties', () => {
  it('parse(format(ref)) round-trips, with and without oci://', () => {
    fc.assert(
      fc.property(reference, fc.boolean(), (ref, scheme) => {
        expect(parseReference(formatReference(ref, { scheme }))).toEqual(ref);
      }),
      { numRuns: 2000 },
    );
  });

  it('format(parse(s)) is a fixpoint for short names', () => {
    fc.assert(
      fc.property(shortPath, fc.option(tag, { nil: undefined }), (p, t) => {
        const input = t === undefined ? p : `${p}:${t}`;
        const once = parseReference(input);
        expect(parseReference(formatReference(once))).toEqual(once);
        expect(once.registry).toBe('localhost:5000');
        expect(formatReference(once).endsWith(`/${input}`)).toBe(true);
      }),
      { numRuns: 1000 },
    );
  });

  it('never throws anything but a REFERENCE_INVALID ProvisioningError', () => {
    const noisy = fc.oneof(
      fc.string({ maxLength: 80 }),
      fc.stringMatching(/^[a-zA-Z0-9:/@._\-[\]%]{0,60}$/),
      fc.tuple(reference, fc.string({ maxLength: 3 }), fc.nat(80)).map(([ref, junk, at]) => {
        const s = formatReference(ref, { scheme: at % 2 === 0 });
        const i = at % (s.length + 1);
        return s.slice(0, i) + junk + s.slice(i);
      }),
    );
    fc.assert(
      fc.property(noisy, (input) => {
        try {
          const ref = parseReference(input);
          // Whatever is accepted must itself be well-formed.
          if (ref.digest !== undefined) expect(isValidDigest(ref.digest)).toBe(true);
        } catch (error) {
          expect(error).toBeInstanceOf(ProvisioningError);
          expect((error as ProvisioningError).code).toBe('REFERENCE_INVALID');
        }
      }),
      { numRuns: 3000 },
    );
  });
});

describe('credentials written into a reference never reach an error', () => {
  // Fuzzed secrets in every position userinfo can take: bare, after a scheme, with "@" inside the
  // password, with whitespace or a bad scheme that fails an earlier check, with and without a path.
  const secret = fc.stringMatching(/^[A-Za-z0-9!$%&*+.~_-]{6,24}$/).map((s) => `S3${s}`);
  const shape = fc.constantFrom(
    (p: string) => `user:${p}@localhost:5000/ns/redis:1.0.0`,
    (p: string) => `oci://robot$ci:${p}@harbor.company.com/ns/x:1`,
    (p: string) => `https://u:${p}@h.io/a/b`,
    (p: string) => `u:${p}@host`,
    (p: string) => `u:${p}@@host/x y`,
    (p: string) => `ftp://u:${p}@host/ns/x`,
    (p: string) => `u:${p}@host/ns/x@sha256:${'a'.repeat(64)}`,
    (p: string) => `u:${p}@${'x'.repeat(400)}`,
  );
  it('message, hint and details never contain the password', () => {
    fc.assert(
      fc.property(secret, shape, (password, make) => {
        const input = make(password);
        let error: unknown;
        try {
          parseReference(input);
        } catch (e) {
          error = e;
        }
        expect(error).toBeInstanceOf(ProvisioningError);
        const e = error as ProvisioningError;
        expect(JSON.stringify({ m: e.message, h: e.hint, d: e.details })).not.toContain(password);
      }),
      { numRuns: 300 },
    );
  });
});
