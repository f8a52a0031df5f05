import { readFileSync } from 'node:fs';
import { Ajv } from 'ajv';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { jsonSchemaFiles } from '../src/index.js';

const files = jsonSchemaFiles();
const schemaOf = (name: string) => JSON.parse(files[name]!) as Record<string, unknown>;
const fixture = (name: string) => parse(readFileSync(new URL(`./fixtures/${name}`, import.meta.url), 'utf8'));

function validator(name: string) {
  // ajv's default dialect is draft-07, the one the files declare.
  const ajv = new Ajv({ allErrors: true, strict: false });
  return ajv.compile(schemaOf(name));
}

describe('generated JSON Schema', () => {
  it('declares draft-07 and is deterministic', () => {
    expect(Object.keys(files).sort()).toEqual([
      'extension-manifest.schema.json',
      'lockfile.schema.json',
      'workspace-config.schema.json',
    ]);
    for (const name of Object.keys(files))
      expect(schemaOf(name).$schema).toBe('http://json-schema.org/draft-07/schema#');
    expect(jsonSchemaFiles()).toEqual(files);
  });

  it('accepts both seed workspace examples', () => {
    const validate = validator('workspace-config.schema.json');
    for (const name of ['seed-workspace.yaml', 'seed-harbor.yaml']) {
      expect(validate(fixture(name)), JSON.stringify(validate.errors)).toBe(true);
    }
  });

  it('rejects unknown keys at every level (additionalProperties false) and wrong types', () => {
    const validate = validator('workspace-config.schema.json');
    const config = fixture('seed-workspace.yaml');
    config.dependencies.extensions.oci.tls_enable = true;
    config.dependencies.registry.oci.namespaces.extension = 'x';
    config.dependencies.extensions.source_type = 's3';
    expect(validate(config)).toBe(false);
    const complaints = validate.errors!.map(
      (e) => `${e.instancePath} ${e.keyword} ${JSON.stringify(e.params)}`,
    );
    expect(complaints).toEqual(
      expect.arrayContaining([
        '/dependencies/extensions/oci additionalProperties {"additionalProperty":"tls_enable"}',
        '/dependencies/registry/oci/namespaces additionalProperties {"additionalProperty":"extension"}',
        expect.stringMatching(/^\/dependencies\/extensions\/source_type enum/),
      ]),
    );
    expect(schemaOf('workspace-config.schema.json').additionalProperties).toBe(false);
  });

  it('checks manifest names, versions and types for editors', () => {
    const validate = validator('extension-manifest.schema.json');
    expect(
      validate({
        name: 'kubernetes',
        type: 'taskserv',
        version: '1.28.0',
        dependencies: { etcd: '>=3.5.0' },
      }),
    ).toBe(true);
    expect(validate({ name: 'Kubernetes', type: 'service', version: 'v1.28.0', licence: 'MIT' })).toBe(false);
    expect(new Set(validate.errors!.map((e) => e.instancePath || e.keyword))).toEqual(
      new Set(['/name', '/type', '/version', 'additionalProperties']),
    );
  });

  it('checks lockfile digests', () => {
    const validate = validator('lockfile.schema.json');
    const module = {
      type: 'taskserv',
      version: '1.0.0',
      reference: 'localhost:5000/provisioning-extensions/redis:1.0.0',
      manifest_digest: `sha256:${'a'.repeat(64)}`,
      layer_digest: `sha256:${'b'.repeat(64)}`,
      source: 'oci',
      dependencies: {},
    };
    const lock = { lockfile_version: 1, core: { version: '3.5.0' }, modules: { redis: module } };
    expect(validate(lock)).toBe(true);
    expect(validate({ ...lock, modules: { redis: { ...module, layer_digest: 'sha256:abc' } } })).toBe(false);
  });
});
