import { parseYaml, workspaceConfigSchema } from '@provisioning/schemas';
import { describe, expect, it } from 'vitest';
import { rootModules } from '../config/root-modules.js';
import { lockfileDifferences } from './lockfile-check.js';

const digest = (c: string) => `sha256:${c.repeat(64)}`;
const roots = rootModules(
  parseYaml(
    'dependencies:\n  extensions:\n    modules:\n      taskservs: ["localhost:5000/provisioning-extensions/redis:1.0.0"]\n',
    workspaceConfigSchema,
    { file: 'p.yaml' },
  ),
  { registry: 'localhost:5000', namespace: 'provisioning-extensions' },
);
const lock = (source: 'oci' | 'oci-layout' | 'local') => ({
  lockfile_version: 1 as const,
  core: { version: '3.5.0' },
  modules: {
    redis: {
      type: 'taskserv' as const,
      version: '1.0.0',
      reference: 'localhost:5000/provisioning-extensions/redis:1.0.0',
      manifest_digest: digest('a'),
      layer_digest: digest('b'),
      source,
      dependencies: {},
    },
  },
});
const input = (sourceKind: 'oci' | 'oci-layout' | 'local') => ({
  roots,
  sourceKind,
  platformImages: undefined,
  defaults: { registry: 'localhost:5000', platformNamespace: 'provisioning-platform' },
});

describe('lockfileDifferences', () => {
  it('treats a registry and the layout storage it serves as the same storage', () => {
    expect(lockfileDifferences(lock('oci-layout'), input('oci'))).toEqual([]);
    expect(lockfileDifferences(lock('oci'), input('oci-layout'))).toEqual([]);
  });

  it('names a switch to or from the local directory', () => {
    expect(lockfileDifferences(lock('local'), input('oci'))).toEqual([
      'redis: locked from local, the config now uses oci',
    ]);
    expect(lockfileDifferences(lock('oci'), input('local'))).toEqual([
      'redis: locked from oci, the config now uses local',
    ]);
  });

  it('names a pin that moved', () => {
    const moved = lock('oci');
    moved.modules.redis.version = '1.1.0';
    expect(lockfileDifferences(moved, input('oci'))).toEqual([
      'redis: the config pins 1.0.0, the lockfile has 1.1.0',
    ]);
  });
});
