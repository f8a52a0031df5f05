import { describe, expect, it } from 'vitest';
import { extensionManifestSchema, manifestWarnings } from './manifest.js';
import { ConfigError, parseYaml } from './yaml-load.js';

// The seed's "Extension Manifest" example, indented.
const SEED = `name: kubernetes
type: taskserv
version: 1.28.0
description: Kubernetes container orchestration platform
author: Provisioning Team
license: MIT
homepage: https://kubernetes.io
repository: https://gitea.example.com/provisioning-extensions/kubernetes
dependencies:
  containerd: ">=1.7.0"
  etcd: ">=3.5.0"
tags:
  - kubernetes
  - container-orchestration
  - cncf
platforms:
  - linux/amd64
  - linux/arm64
min_provisioning_version: "3.0.0"
`;

function problems(text: string): ConfigError['problems'] {
  try {
    parseYaml(text, extensionManifestSchema, { file: 'manifest.yaml' });
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as ConfigError).code).toBe('CONFIG_INVALID');
    return (error as ConfigError).problems;
  }
  throw new Error('expected the manifest to be rejected');
}

const minimal = 'name: redis\ntype: taskserv\nversion: 1.0.0\n';

describe('extension manifest', () => {
  it('accepts the seed example', () => {
    const manifest = parseYaml(SEED, extensionManifestSchema, { file: 'manifest.yaml' });
    expect(manifest.dependencies).toEqual({ containerd: '>=1.7.0', etcd: '>=3.5.0' });
    expect(manifest.platforms).toEqual(['linux/amd64', 'linux/arm64']);
    expect(manifestWarnings(manifest)).toEqual([]);
  });

  it('accepts a minimal manifest and warns about what users miss', () => {
    const manifest = parseYaml(minimal, extensionManifestSchema, { file: 'manifest.yaml' });
    expect(manifest).toEqual({ name: 'redis', type: 'taskserv', version: '1.0.0' });
    expect(manifestWarnings(manifest)).toEqual([
      'manifest.yaml has no description: add a one-line summary',
      'manifest.yaml has no license: add an SPDX expression such as MIT',
    ]);
  });

  it('requires name, type and version', () => {
    expect(problems('description: x\n').map((p) => p.message)).toEqual([
      'missing required key "name"',
      'missing required key "type"',
      'missing required key "version"',
    ]);
  });

  it.each([
    ['name: Redis', 'name', /must be lowercase/],
    ['name: team/redis', 'name', /invalid path component "team\/redis"/],
    ['type: service', 'type', /expected one of "provider", "taskserv", "cluster", got string "service"/],
    ['version: v1.0.0', 'version', /without the leading "v" \(1\.0\.0\)/],
    ['version: 1.0', 'version', /expected string, got number 1\.0 \(put it in quotes: "1\.0"\)/],
    ['version: "1.0"', 'version', /expected semver MAJOR\.MINOR\.PATCH/],
    ['version: 1.0.0+build.5', 'version', /build metadata/],
    ['min_provisioning_version: v3.0.0', 'min_provisioning_version', /leading "v"/],
    ['homepage: not a url', 'homepage', /expected an http\(s\) URL/],
    ['homepage: javascript:alert(1)', 'homepage', /expected an http\(s\) URL/],
    ['repository: ftp://x.org/r', 'repository', /expected a repository URL/],
    ['platforms: [linux]', 'platforms[0]', /os\/arch/],
    ['tags: [""]', 'tags[0]', /must not be empty/],
    ['tags: kubernetes', 'tags', /expected list, got string "kubernetes"/],
    [
      'dependencies: { etcd: 3.5 }',
      'dependencies.etcd',
      /expected string, got number 3\.5 \(put it in quotes/,
    ],
    ['dependencies: { etcd: "" }', 'dependencies.etcd', /empty version range: write "\*"/],
    ['dependencies: { redis: "*" }', 'dependencies.redis', /cannot depend on itself/],
    ['dependencies: { Etcd: "1.x" }', 'dependencies.Etcd', /invalid key "Etcd": .*lowercase/],
    ['licence: MIT', 'licence', /unknown key "licence" \(did you mean "license"\?\)/],
  ])('rejects %s', (line, path, reason) => {
    const text =
      line.startsWith('name:') || line.startsWith('type:') || line.startsWith('version:')
        ? minimal.replace(new RegExp(`^${line.split(':')[0]}:.*$`, 'm'), line)
        : `${minimal}${line}\n`;
    const found = problems(text);
    expect(found).toHaveLength(1);
    expect(found[0]!.path).toBe(path);
    expect(found[0]!.message).toMatch(reason);
    expect(found[0]!.line).toBeGreaterThan(0);
  });

  it('gives the reason for an invalid range in dependencies, on its line', () => {
    const found = problems(`${minimal}dependencies:\n  containerd: ">=1.7.0"\n  etcd: ">=> 3.5"\n`);
    expect(found).toEqual([
      {
        file: 'manifest.yaml',
        line: 6,
        column: 9,
        path: 'dependencies.etcd',
        message:
          'invalid version range ">=> 3.5": use npm semver syntax such as ">=1.7.0", "^3.5.0" or "1.x"',
      },
    ]);
  });
});
