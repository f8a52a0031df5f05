import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { z } from 'zod';
import {
  ConfigError,
  formatProblem,
  homeConfigSchema,
  loadYamlFile,
  ProvisioningError,
  parseYaml,
  workspaceConfigSchema,
} from '../src/index.js';

const fixture = (name: string) => new URL(`./fixtures/${name}`, import.meta.url).pathname;

function configError(text: string, schema: z.ZodType = workspaceConfigSchema): ConfigError {
  try {
    parseYaml(text, schema, { file: 'config/provisioning.yaml' });
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigError);
    return error as ConfigError;
  }
  throw new Error('expected a ConfigError');
}

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'schemas-config-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('seed examples', () => {
  it('the "Workspace Configuration" example validates as it stands', async () => {
    const config = await loadYamlFile(fixture('seed-workspace.yaml'), workspaceConfigSchema);
    expect(config.dependencies.core?.source).toBe('oci://harbor.company.com/provisioning-core:v3.5.0');
    expect(config.dependencies.extensions?.oci).toEqual({
      registry: 'localhost:5000',
      namespace: 'provisioning-extensions',
      tls_enabled: false,
      auth_token_path: '~/.provisioning/tokens/oci',
    });
    expect(config.dependencies.extensions?.modules?.taskservs).toHaveLength(3);
    expect(config.dependencies.platform?.images?.control_center).toBe(
      'harbor.company.com/provisioning-platform/control-center:v1.2.0',
    );
    expect(config.dependencies.registry?.oci?.namespaces?.kcl).toBe('provisioning-kcl');
  });

  it('the Harbor example validates as it stands', async () => {
    const config = await loadYamlFile(fixture('seed-harbor.yaml'), workspaceConfigSchema);
    expect(config.dependencies.registry).toEqual({
      type: 'oci',
      oci: {
        endpoint: 'https://harbor.company.com',
        namespaces: { extensions: 'provisioning/extensions', platform: 'provisioning/platform' },
        tls_enabled: true,
        auth_token_path: '~/.provisioning/tokens/harbor',
      },
    });
  });

  it('accepts the optional keys later features use', () => {
    const config = parseYaml(
      [
        'dependencies:',
        '  core: { source: "gitea://provisioning-core" }',
        '  extensions:',
        '    source_type: oci-layout',
        '    local: { path: ../provisioning/extensions }',
        '    oci_layout: { path: ./mirror }',
        '    oci: { registry: "127.0.0.1:5000", plain_http: true, insecure: false }',
        '    modules: { taskservs: ["kubernetes:1.28.0", "team/etcd:3.5.0"] }',
        '  registry: { type: oci-layout, path: ~/.provisioning/oci-registry }',
      ].join('\n'),
      workspaceConfigSchema,
      { file: 'w.yaml' },
    );
    expect(config.dependencies.extensions?.source_type).toBe('oci-layout');
    expect(config.dependencies.registry?.path).toBe('~/.provisioning/oci-registry');
  });

  it('the home config takes the same shape with everything optional, an empty file included', () => {
    expect(parseYaml('', homeConfigSchema, { file: 'config.yaml' })).toEqual({});
    expect(
      parseYaml('dependencies:\n  extensions:\n    oci: { registry: r.io }\n', homeConfigSchema, {
        file: 'c.yaml',
      }),
    ).toEqual({ dependencies: { extensions: { oci: { registry: 'r.io' } } } });
    expect(
      configError('dependencies:\n  extensions:\n    oci: { registy: r.io }\n', homeConfigSchema).message,
    ).toMatch(/unknown key "registy" \(did you mean "registry"\?\)/);
  });
});

describe('error reporting', () => {
  const text = [
    'dependencies:', // 1
    '  extensions:', // 2
    '    source_type: "oci"', // 3
    '    oci:', // 4
    '      registry: "localhost:5000"', // 5
    '      tls_enable: false', // 6
    '      tls_enabled: "maybe"', // 7
    '',
  ].join('\n');

  it('reports a wrong type and an unknown key as two problems with lines, key paths and a suggestion', () => {
    const error = configError(text);
    expect(error.code).toBe('CONFIG_INVALID');
    expect(error.kind).toBe('input');
    expect(error.problems).toEqual([
      {
        file: 'config/provisioning.yaml',
        line: 6,
        column: 7,
        path: 'dependencies.extensions.oci.tls_enable',
        message: 'unknown key "tls_enable" (did you mean "tls_enabled"?)',
      },
      {
        file: 'config/provisioning.yaml',
        line: 7,
        column: 20,
        path: 'dependencies.extensions.oci.tls_enabled',
        message: 'expected boolean, got string "maybe"',
        expected: 'boolean',
        received: 'string "maybe"',
      },
    ]);
    expect(error.message.split('\n')).toEqual([
      'config/provisioning.yaml:6:7: dependencies.extensions.oci.tls_enable: unknown key "tls_enable" (did you mean "tls_enabled"?)',
      'config/provisioning.yaml:7:20: dependencies.extensions.oci.tls_enabled: expected boolean, got string "maybe"',
    ]);
    expect(error.hint).toContain('config/provisioning.yaml');
  });

  it('reports a syntax error with file:line:column', () => {
    const error = configError('dependencies:\n  extensions:\n    oci: {registry: "x"\n  platform: {}\n');
    expect(error.code).toBe('YAML_SYNTAX');
    expect(error.problems[0]).toMatchObject({ file: 'config/provisioning.yaml', line: expect.any(Number) });
    expect(error.message).toMatch(/^config\/provisioning\.yaml:\d+:\d+: YAML syntax error: /);
    const bad = configError('dependencies:\n  core:\n    source: "a"\n   bad: [\n');
    expect(bad.code).toBe('YAML_SYNTAX');
    expect(bad.problems[0]!.line).toBe(4);
  });

  it('refuses several documents in one file', () => {
    const error = configError('dependencies: {}\n---\ndependencies: {}\n');
    expect(error.code).toBe('YAML_SYNTAX');
    expect(error.message).toMatch(/^config\/provisioning\.yaml:2:1: .*several YAML documents/);
  });

  it('reports duplicate keys as syntax errors at the duplicate', () => {
    const error = configError('dependencies:\n  core: { source: a:1.0.0 }\n  core: { source: b:1.0.0 }\n');
    expect(error.code).toBe('YAML_SYNTAX');
    expect(error.problems[0]!.line).toBe(3);
    expect(error.message).toMatch(/unique/i);
  });

  it('gives the reference reason for a bad module entry, with its list index', () => {
    const error = configError(
      [
        'dependencies:',
        '  extensions:',
        '    modules:',
        '      providers:',
        '        - "aws:2.0.0"',
        '        - "oci://Upcloud:1.5.0"',
      ].join('\n'),
    );
    expect(error.problems).toHaveLength(1);
    expect(error.problems[0]).toMatchObject({
      line: 6,
      column: 11,
      path: 'dependencies.extensions.modules.providers[1]',
    });
    expect(error.problems[0]!.message).toMatch(
      /invalid reference "oci:\/\/Upcloud:1\.5\.0": oci:\/\/ without registry/,
    );
  });

  it('refuses https:// and http:// on configured references (the lockfile would lose them), naming the endpoint', () => {
    const error = configError(
      [
        'dependencies:',
        '  extensions:',
        '    modules:',
        '      taskservs:',
        '        - "oci://127.0.0.1:5443/ns/redis:1.0.0"',
        '        - "https://127.0.0.1:5443/ns/kubernetes:1.28.0"',
      ].join('\n'),
    );
    expect(error.problems).toHaveLength(1);
    expect(error.problems[0]).toMatchObject({
      line: 6,
      path: 'dependencies.extensions.modules.taskservs[1]',
    });
    expect(error.problems[0]!.message).toContain('a configured reference takes no https://');
    expect(error.problems[0]!.message).toContain('dependencies.registry.oci.endpoint');
  });

  it('reports enums, missing keys, bad endpoints and bad namespaces, sorted by line', () => {
    const error = configError(
      [
        'dependencies:', // 1
        '  registry:', // 2
        '    type: s3', // 3
        '    oci:', // 4
        '      endpoint: "https://harbor.company.com/path"', // 5
        '      namespaces: { extensions: "Provisioning/Ext" }', // 6
        '  core: {}', // 7
        '  platform:', // 8
        '    images: { "Bad.Name": "x:1" }', // 9
      ].join('\n'),
    );
    expect(error.problems.map((p) => [p.line, p.path])).toEqual([
      [3, 'dependencies.registry.type'],
      [5, 'dependencies.registry.oci.endpoint'],
      [6, 'dependencies.registry.oci.namespaces.extensions'],
      [7, 'dependencies.core'],
      [9, 'dependencies.platform.images["Bad.Name"]'],
    ]);
    const [type, endpoint, namespace, missing, key] = error.problems;
    expect(type!.message).toBe('expected one of "oci", "gitea", "http", "oci-layout", got string "s3"');
    expect(endpoint!.message).toMatch(/invalid registry endpoint/);
    expect(namespace!.message).toMatch(/must be lowercase/);
    expect(missing!.message).toBe('missing required key "source"');
    expect(key!.message).toMatch(/invalid key "Bad\.Name"/);
  });

  it('lists the allowed keys when nothing is close, and flags an empty workspace file', () => {
    expect(configError('dependencies:\n  zzz: 1\n').problems[0]!.message).toBe(
      'unknown key "zzz" (allowed: core, extensions, platform, registry)',
    );
    expect(configError('').problems[0]).toEqual({
      file: 'config/provisioning.yaml',
      message: 'missing required key "dependencies"',
      expected: 'mapping',
    });
    const empty = configError('dependencies:\n  extensions:\n    oci:\n      tls_enabled:\n');
    expect(formatProblem(empty.problems[0]!)).toBe(
      'config/provisioning.yaml:4:7: dependencies.extensions.oci.tls_enabled: expected boolean, got null',
    );
    expect(configError('- a\n- b\n').problems[0]!.message).toBe('expected mapping, got array');
  });

  it('refuses alias bombs instead of expanding them', () => {
    const lines = ['a: &a ["x","x","x","x","x","x","x","x","x"]'];
    for (let i = 0; i < 8; i++) {
      lines.push(
        `${'b'.repeat(i + 1)}: &${'b'.repeat(i + 1)} [${Array(9)
          .fill(i === 0 ? '*a' : `*${'b'.repeat(i)}`)
          .join(',')}]`,
      );
    }
    const error = configError(lines.join('\n'));
    expect(error.code).toBe('YAML_SYNTAX');
  });
});

describe('loadYamlFile', () => {
  it('reports a missing file as FILE_NOT_FOUND naming the path', async () => {
    const missing = join(dir, 'nope.yaml');
    const error = await loadYamlFile(missing, workspaceConfigSchema).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ProvisioningError);
    expect(error).toMatchObject({ code: 'FILE_NOT_FOUND', kind: 'input' });
    expect((error as Error).message).toContain(missing);
  });

  it('reports a directory as FILE_NOT_FOUND and uses the given path in problems', async () => {
    await expect(loadYamlFile(dir, workspaceConfigSchema)).rejects.toMatchObject({ code: 'FILE_NOT_FOUND' });
    const file = join(dir, 'provisioning.yaml');
    await writeFile(file, 'dependencies:\n  core: { source: 1 }\n');
    const error = (await loadYamlFile(file, workspaceConfigSchema).catch((e: unknown) => e)) as ConfigError;
    expect(error.message).toBe(
      `${file}:2:19: dependencies.core.source: expected string, got number 1 (put it in quotes: "1")`,
    );
    expect(await readFile(file, 'utf8')).toContain('source: 1');
  });
});
