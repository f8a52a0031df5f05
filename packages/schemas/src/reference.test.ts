import { describe, expect, it } from 'vitest';
import { ProvisioningError } from './errors.js';
import { formatReference, type OciReference, parseReference, versionFromTag } from './reference.js';

const SHA256 = `sha256:${'a'.repeat(64)}`;
const SHA512 = `sha512:${'b'.repeat(128)}`;

function rejection(input: string, defaults?: Parameters<typeof parseReference>[1]): ProvisioningError {
  try {
    parseReference(input, defaults);
  } catch (error) {
    expect(error).toBeInstanceOf(ProvisioningError);
    const e = error as ProvisioningError;
    expect(e.code).toBe('REFERENCE_INVALID');
    expect(e.kind).toBe('input');
    expect(e.message).toContain(JSON.stringify(input));
    expect(e.hint).toBeTruthy();
    return e;
  }
  throw new Error(`expected ${input} to be rejected`);
}

describe('parseReference accepts every documented form', () => {
  const cases: Array<[string, OciReference]> = [
    [
      'oci://localhost:5000/provisioning-extensions/kubernetes:1.28.0',
      { registry: 'localhost:5000', repository: 'provisioning-extensions/kubernetes', tag: '1.28.0' },
    ],
    [
      `oci://harbor.company.com/provisioning/extensions/aws@${SHA256}`,
      { registry: 'harbor.company.com', repository: 'provisioning/extensions/aws', digest: SHA256 },
    ],
    [
      'oci://harbor.company.com/provisioning-core:v3.5.0',
      { registry: 'harbor.company.com', repository: 'provisioning-core', tag: 'v3.5.0' },
    ],
    // After oci:// the first component is the registry even without "." or ":" (the seed writes oci://registry/…).
    [
      'oci://registry/provisioning-extensions/aws:2.0.0',
      { registry: 'registry', repository: 'provisioning-extensions/aws', tag: '2.0.0' },
    ],
    ['OCI://localhost:5000/x/y:1.0.0', { registry: 'localhost:5000', repository: 'x/y', tag: '1.0.0' }],
    [
      'harbor.company.com/provisioning-platform/orchestrator:v1.2.0',
      { registry: 'harbor.company.com', repository: 'provisioning-platform/orchestrator', tag: 'v1.2.0' },
    ],
    [
      `harbor.company.com/ns/name:1.0.0@${SHA512}`,
      { registry: 'harbor.company.com', repository: 'ns/name', tag: '1.0.0', digest: SHA512 },
    ],
    ['localhost:5000/name', { registry: 'localhost:5000', repository: 'name' }],
    ['localhost/ns/name:1', { registry: 'localhost', repository: 'ns/name', tag: '1' }],
    ['[::1]:5000/ns/name:1.0.0', { registry: '[::1]:5000', repository: 'ns/name', tag: '1.0.0' }],
    ['127.0.0.1:5000/a/b', { registry: '127.0.0.1:5000', repository: 'a/b' }],
    [
      'kubernetes:1.28.0',
      { registry: 'localhost:5000', repository: 'provisioning-extensions/kubernetes', tag: '1.28.0' },
    ],
    ['kubernetes', { registry: 'localhost:5000', repository: 'provisioning-extensions/kubernetes' }],
    ['team/kubernetes:1.0.0', { registry: 'localhost:5000', repository: 'team/kubernetes', tag: '1.0.0' }],
    [
      `kubernetes@${SHA256}`,
      { registry: 'localhost:5000', repository: 'provisioning-extensions/kubernetes', digest: SHA256 },
    ],
    // Uppercase in the first of several components makes it a registry (Docker's rule).
    ['Registry.Example/ns/x', { registry: 'Registry.Example', repository: 'ns/x' }],
    // https:// and http:// name the registry like oci:// and choose the scheme for it.
    [
      'https://127.0.0.1:5443/ns/redis:1.0.0',
      { registry: '127.0.0.1:5443', repository: 'ns/redis', tag: '1.0.0', scheme: 'https' },
    ],
    [
      `HTTP://localhost:5000/ns/redis@${SHA256}`,
      { registry: 'localhost:5000', repository: 'ns/redis', digest: SHA256, scheme: 'http' },
    ],
    [
      'https://registry/provisioning-extensions/aws:2.0.0',
      { registry: 'registry', repository: 'provisioning-extensions/aws', tag: '2.0.0', scheme: 'https' },
    ],
  ];
  it.each(cases)('%s', (input, expected) => {
    expect(parseReference(input)).toEqual(expected);
  });

  it('expands short names with the given defaults, namespaces may have several components', () => {
    expect(
      parseReference('aws:2.0.0', { registry: 'harbor.company.com', namespace: 'provisioning/extensions' }),
    ).toEqual({ registry: 'harbor.company.com', repository: 'provisioning/extensions/aws', tag: '2.0.0' });
    expect(parseReference('aws', { namespace: '' })).toEqual({
      registry: 'localhost:5000',
      repository: 'aws',
    });
    // Defaults do not touch names that already have a registry or several components.
    expect(parseReference('ns/aws', { registry: 'r.io', namespace: 'other' })).toEqual({
      registry: 'r.io',
      repository: 'ns/aws',
    });
  });
});

describe('parseReference gives each rejection its own reason', () => {
  const cases: Array<[string, RegExp]> = [
    ['', /empty reference/],
    ['kubernetes 1.0', /whitespace/],
    [
      'ftp://harbor.company.com/ns/x:1',
      /unsupported scheme "ftp:\/\/" \(use oci:\/\/, https:\/\/ or http:\/\/\)/,
    ],
    ['docker://harbor.company.com/ns/x:1', /unsupported scheme "docker:\/\/"/],
    ['https://', /https:\/\/ without registry and repository/],
    ['http://kubernetes:1.28.0', /http:\/\/ without registry/],
    ['oci://', /oci:\/\/ without registry and repository/],
    ['oci://kubernetes:1.28.0', /oci:\/\/ without registry/],
    [':1.0.0', /missing repository name/],
    [`@${SHA256}`, /missing repository name/],
    ['Kubernetes:1.0.0', /must be lowercase/],
    ['localhost:5000/NS/x', /must be lowercase/],
    ['ns//x', /empty path component/],
    ['ns/x/', /empty path component/],
    ['ns/a$b', /invalid path component "a\$b"/],
    ['ns/-x', /invalid path component "-x"/],
    ['ns/x.', /invalid path component "x\."/],
    ['ns/a___b', /invalid path component/],
    [`registry.io/${'a'.repeat(256)}`, /repository name too long \(256 characters, at most 255\)/],
    // The expansion counts: that is the path the registry sees.
    ['a'.repeat(240), /repository name too long \(264 characters/],
    ['x:', /empty tag/],
    ['x:-bad', /invalid tag "-bad"/],
    ['x:.bad', /invalid tag/],
    [`x:${'t'.repeat(129)}`, /tag too long \(129 characters, at most 128\)/],
    ['x@', /bad digest: empty digest/],
    ['x@sha256', /bad digest: .*no ":"/],
    [`x@md5:${'a'.repeat(32)}`, /unsupported digest algorithm "md5"/],
    ['x@sha256:abc', /sha256 digest needs 64 hex characters, got 3/],
    [`x@sha512:${'a'.repeat(64)}`, /sha512 digest needs 128 hex characters, got 64/],
    [`x@sha256:${'A'.repeat(64)}`, /hex must be lowercase/],
    [`x@sha256:${'g'.repeat(64)}`, /must be hexadecimal/],
    [`x@${SHA256}@${SHA256}`, /bad digest/],
    ['localhost:/x', /empty port/],
    ['localhost:abc/x', /bad port "abc"/],
    ['localhost:70000/x', /bad port 70000/],
    ['localhost:0/x', /bad port 0/],
    ['bad_host.com/x', /invalid registry host "bad_host.com"/],
    ['-bad.com/x', /invalid registry host/],
    ['[fe80::1%eth0]:5000/x', /invalid IPv6 address/],
    ['[::1/x', /unclosed "\["/],
    ['[::1]x:5000/x', /text after the IPv6 address/],
    ['oci://:5000/x', /no host before ":"/],
  ];
  it.each(cases)('%s', (input, reason) => {
    const e = rejection(input);
    expect(e.message).toMatch(reason);
    expect(e.details.reason).toMatch(reason);
  });

  it('points at oci://REGISTRY/... when oci:// lacks a registry', () => {
    expect(rejection('oci://kubernetes:1.28.0').hint).toContain('oci://REGISTRY/NAMESPACE/kubernetes:1.28.0');
  });

  it('rejects invalid defaults instead of building an invalid reference', () => {
    expect(rejection('x', { registry: 'bad host' }).message).toMatch(/default registry is invalid/);
    expect(rejection('x', { namespace: 'Bad' }).message).toMatch(/default namespace is invalid/);
  });

  it('accepts a 255-character path behind a registry of any length', () => {
    expect(parseReference(`registry.example.com/${'a'.repeat(255)}`).repository).toHaveLength(255);
  });

  it('cuts absurdly long input short without quoting all of it', () => {
    let error: unknown;
    try {
      parseReference(`x:${'a'.repeat(5000)}`);
    } catch (e) {
      error = e;
    }
    expect((error as Error).message).toMatch(
      /^invalid reference "x:a{38}\.\.\.": reference too long \(5002 characters/,
    );
    expect((error as Error).message.length).toBeLessThan(200);
  });

  it.each(['oci://robot$ci:s3cr3t@harbor.company.com/ns/x:1', 'user:s3cr3t@localhost:5000/ns/x'])(
    'never echoes credentials written into %s',
    (input) => {
      let error: ProvisioningError | undefined;
      try {
        parseReference(input);
      } catch (e) {
        error = e as ProvisioningError;
      }
      expect(error?.code).toBe('REFERENCE_INVALID');
      expect(error?.message).toMatch(/references cannot carry credentials/);
      expect(error?.hint).toMatch(/oci login/);
      expect(JSON.stringify(error?.toJSON())).not.toContain('s3cr3t');
      expect(error?.message).toContain('***@');
    },
  );

  it('rejects non-strings with a ProvisioningError', () => {
    expect(() => parseReference(42 as unknown as string)).toThrow(/must be a string/);
  });
});

describe('formatReference', () => {
  it('writes registry/repository:tag@digest, with oci:// on request', () => {
    const ref = { registry: 'localhost:5000', repository: 'ns/x', tag: '1.0.0', digest: SHA256 };
    expect(formatReference(ref)).toBe(`localhost:5000/ns/x:1.0.0@${SHA256}`);
    expect(formatReference(ref, { scheme: true })).toBe(`oci://localhost:5000/ns/x:1.0.0@${SHA256}`);
    expect(formatReference({ registry: 'r.io', repository: 'x' })).toBe('r.io/x');
  });

  it('leaves out the https:// or http:// a reference was written with; it round-trips without it', () => {
    const ref = parseReference('https://127.0.0.1:5443/ns/redis:1.0.0');
    expect(formatReference(ref)).toBe('127.0.0.1:5443/ns/redis:1.0.0');
    const { scheme: _scheme, ...rest } = ref;
    expect(parseReference(formatReference(ref))).toEqual(rest);
  });
});

describe('versionFromTag', () => {
  it.each([
    ['1.28.0', '1.28.0'],
    ['v3.5.0', '3.5.0'],
    ['1.0.0-rc.1', '1.0.0-rc.1'],
    ['latest', null],
    ['1.28', null],
    ['=1.0.0', null],
    ['vv1.0.0', null],
    ['01.0.0', null],
  ])('%s → %s', (tag, version) => {
    expect(versionFromTag(tag)).toBe(version);
  });
});
