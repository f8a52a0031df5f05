import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { stringify } from 'yaml';
import {
  ConfigError,
  extensionManifestSchema,
  lockfileSchema,
  parseYaml,
  workspaceConfigSchema,
} from '../src/index.js';

const schemas = [workspaceConfigSchema, extensionManifestSchema, lockfileSchema] as const;

// Arbitrary YAML-ish text and arbitrary JSON values dumped as YAML: nothing may escape as another error.
const text = fc.oneof(
  fc.string({ maxLength: 200 }),
  fc.stringMatching(/^[a-z_:\-\s{}[\]"'&*!|>#@0-9.]{0,200}$/),
  fc.jsonValue({ maxDepth: 4 }).map((v) => stringify(v)),
);

describe('parseYaml on arbitrary input', () => {
  it('keeps one line per problem when keys and values hold newlines', () => {
    const error = (() => {
      try {
        parseYaml(
          '"bad\\nkey": 1\ndependencies:\n  registry: { path: 2, oci: { endpoint: "a\\nb" } }\n',
          workspaceConfigSchema,
          {
            file: 'f.yaml',
          },
        );
      } catch (e) {
        return e as ConfigError;
      }
      throw new Error('expected a ConfigError');
    })();
    expect(error.problems).toHaveLength(3);
    expect(error.message.split('\n')).toHaveLength(3);
    expect(error.message).toContain('unknown key "bad\\nkey"');
    expect(error.message).toContain('invalid registry host "a\\nb"');
  });

  it('either returns data or throws a ConfigError whose problems all name the file', () => {
    fc.assert(
      fc.property(text, fc.constantFrom(...schemas), (input, schema) => {
        try {
          parseYaml(input, schema as typeof workspaceConfigSchema, { file: 'f.yaml' });
        } catch (error) {
          expect(error).toBeInstanceOf(ConfigError);
          const e = error as ConfigError;
          expect(['CONFIG_INVALID', 'YAML_SYNTAX']).toContain(e.code);
          expect(e.problems.length).toBeGreaterThan(0);
          expect(e.message.split('\n')).toHaveLength(e.problems.length);
          for (const p of e.problems) {
            expect(p.file).toBe('f.yaml');
            if (p.line !== undefined) expect(p.line).toBeGreaterThan(0);
          }
          const lines = e.problems.map((p) => p.line ?? Number.MAX_SAFE_INTEGER);
          expect(lines).toEqual([...lines].sort((a, b) => a - b));
        }
      }),
      { numRuns: 400 },
    );
  });
});
