import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  configuredRegistryProblem,
  formatReference,
  isProvisioningError,
  isValidRegistry,
  type OciReference,
  parseReference,
} from '../src/index.js';

// Registry names as a user may configure them: dotted names, bare labels (`myreg`), localhost,
// IP literals, upper case, with or without a port.
const label = fc.stringMatching(/^[a-zA-Z0-9]([a-zA-Z0-9-]{0,6}[a-zA-Z0-9])?$/);
const host = fc.oneof(
  label,
  fc.array(label, { minLength: 2, maxLength: 3 }).map((l) => l.join('.')),
  fc.constantFrom('localhost', 'LOCALHOST', '[::1]', '127.0.0.1', 'registry', 'myreg'),
);
const registry = fc
  .tuple(host, fc.option(fc.integer({ min: 1, max: 65535 }), { nil: undefined }))
  .map(([h, port]) => (port === undefined ? h : `${h}:${port}`));
const component = fc.stringMatching(/^[a-z0-9]{1,8}(?:[._-][a-z0-9]{1,8}){0,2}$/);
// A short name: its first component must not itself look like a registry (no ".", not localhost).
const first = fc.stringMatching(/^[a-z0-9]{1,8}(?:[_-][a-z0-9]{1,8}){0,2}$/).filter((c) => c !== 'localhost');
const path = fc
  .tuple(first, fc.array(component, { maxLength: 2 }))
  .map(([head, rest]) => [head, ...rest].join('/'));
const tag = fc.option(fc.stringMatching(/^[A-Za-z0-9_][A-Za-z0-9._-]{0,20}$/), { nil: undefined });
const otherDefaults = fc.constantFrom(
  {},
  { registry: 'other.example', namespace: 'x' },
  { registry: 'localhost:5000', namespace: '' },
);

describe('configured registries round-trip', () => {
  it('format(parse(x)) gives x back for every registry configuration accepts (property)', () => {
    fc.assert(
      fc.property(registry, path, tag, fc.boolean(), otherDefaults, (reg, repo, t, scheme, later) => {
        const configured = reg.toLowerCase(); // as configuration stores it
        fc.pre(isValidRegistry(configured) && configuredRegistryProblem(configured) === null);
        const input = t === undefined ? repo : `${repo}:${t}`;
        const ref = parseReference(input, { registry: configured, namespace: 'ns' });
        expect(ref.registry).toBe(configured);
        const formatted = formatReference(ref, { scheme });
        // Read back with whatever defaults are configured then: the registry is in the text.
        expect(parseReference(formatted, later)).toEqual(ref);
        expect(formatReference(parseReference(formatted, later), { scheme })).toBe(formatted);
      }),
      { numRuns: 2000 },
    );
  });

  it('a bare name is refused as a default registry, naming the rule (property)', () => {
    fc.assert(
      fc.property(label, path, (name, repo) => {
        const lower = name.toLowerCase();
        fc.pre(lower !== 'localhost');
        expect(configuredRegistryProblem(lower)).toContain('a registry host must contain "." or ":"');
        try {
          parseReference(repo, { registry: lower, namespace: 'ns' });
          expect.unreachable();
        } catch (error) {
          expect(isProvisioningError(error) && error.code).toBe('REFERENCE_INVALID');
          expect((error as Error).message).toContain('default registry is invalid');
        }
      }),
      { numRuns: 500 },
    );
  });

  it('a reference with a bare registry after oci:// (as the architecture document writes) formats with oci://', () => {
    fc.assert(
      fc.property(label, path, tag, otherDefaults, (name, repo, t, later) => {
        const reg = name.toLowerCase();
        fc.pre(reg !== 'localhost');
        const ref: OciReference = { registry: reg, repository: repo };
        if (t !== undefined) ref.tag = t;
        const formatted = formatReference(ref);
        expect(formatted.startsWith(`oci://${reg}/`)).toBe(true);
        expect(parseReference(formatted, later)).toEqual(ref);
      }),
      { numRuns: 500 },
    );
  });
});
