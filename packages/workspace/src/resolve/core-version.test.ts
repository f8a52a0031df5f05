import { parseYaml, workspaceConfigSchema } from '@provisioning/schemas';
import { describe, expect, it } from 'vitest';
import { checkCoreVersion } from './core-version.js';

const withCore = (source: string) =>
  parseYaml(`dependencies:\n  core:\n    source: "${source}"\n`, workspaceConfigSchema, { file: 'p.yaml' });

describe('checkCoreVersion', () => {
  it('accepts the pinned release and later minors of the same major', () => {
    expect(
      checkCoreVersion(withCore('oci://harbor.company.com/provisioning-core:v3.5.0'), '3.5.0').pinned,
    ).toBe('3.5.0');
    expect(
      checkCoreVersion(withCore('oci://harbor.company.com/provisioning-core:v3.4.0'), '3.5.0').pinned,
    ).toBe('3.4.0');
    expect(checkCoreVersion(withCore('gitea://provisioning-core'), '3.5.0').pinned).toBeUndefined();
  });

  it('refuses an older CLI or another major, naming both versions', () => {
    for (const pin of ['v3.6.0', 'v4.0.0', 'v2.9.0']) {
      expect(() => checkCoreVersion(withCore(`oci://h.example/provisioning-core:${pin}`), '3.5.0')).toThrow(
        expect.objectContaining({
          code: 'CORE_VERSION_MISMATCH',
          message: expect.stringContaining('running provisioning 3.5.0'),
        }),
      );
    }
    expect(() => checkCoreVersion(withCore('oci://h.example/provisioning-core:latest'), '3.5.0')).toThrow(
      /no version tag/,
    );
  });
});
