import { describe, expect, it } from 'vitest';
import { lockfileSchema } from './lockfile.js';
import { ConfigError, parseYaml } from './yaml-load.js';

const D1 = `sha256:${'1'.repeat(64)}`;
const D2 = `sha256:${'2'.repeat(64)}`;

const LOCK = `lockfile_version: 1
core:
  version: 3.5.0
modules:
  kubernetes:
    type: taskserv
    version: 1.28.0
    reference: localhost:5000/provisioning-extensions/kubernetes:1.28.0
    manifest_digest: ${D1}
    layer_digest: ${D2}
    source: oci
    dependencies:
      containerd: 1.7.0
  containerd:
    type: taskserv
    version: 1.7.0
    reference: localhost:5000/provisioning-extensions/containerd:1.7.0
    manifest_digest: ${D2}
    layer_digest: ${D1}
    source: oci-layout
    dependencies: {}
platform:
  images:
    orchestrator:
      reference: harbor.company.com/provisioning-platform/orchestrator:v1.2.0
      digest: ${D1}
`;

function problems(text: string): ConfigError['problems'] {
  try {
    parseYaml(text, lockfileSchema, { file: 'config/provisioning.lock' });
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigError);
    return (error as ConfigError).problems;
  }
  throw new Error('expected the lockfile to be rejected');
}

describe('lockfile', () => {
  it('accepts a complete lockfile', () => {
    const lock = parseYaml(LOCK, lockfileSchema, { file: 'config/provisioning.lock' });
    expect(lock.modules.kubernetes?.dependencies).toEqual({ containerd: '1.7.0' });
    expect(lock.platform?.images.orchestrator?.digest).toBe(D1);
  });

  it('validates digests, versions, sources and the format version', () => {
    const bad = LOCK.replace(`manifest_digest: ${D1}`, 'manifest_digest: sha256:abc')
      .replace('source: oci-layout', 'source: http')
      .replace('lockfile_version: 1', 'lockfile_version: 2')
      .replace('containerd: 1.7.0', 'containerd: ^1.7.0');
    expect(problems(bad).map((p) => [p.line, p.path, p.message])).toEqual([
      [1, 'lockfile_version', 'expected one of 1, got number 2'],
      [9, 'modules.kubernetes.manifest_digest', 'sha256 digest needs 64 hex characters, got 3'],
      [13, 'modules.kubernetes.dependencies.containerd', expect.stringMatching(/expected semver/)],
      [
        20,
        'modules.containerd.source',
        'expected one of "oci", "local", "oci-layout", "git", got string "http"',
      ],
    ]);
  });

  it('suggests keys inside record entries', () => {
    const found = problems(LOCK.replace(`layer_digest: ${D2}`, `layer_digst: ${D2}`));
    expect(found.map((p) => [p.line, p.path, p.message])).toEqual([
      [5, 'modules.kubernetes', 'missing required key "layer_digest"'],
      [10, 'modules.kubernetes.layer_digst', 'unknown key "layer_digst" (did you mean "layer_digest"?)'],
    ]);
  });
});
