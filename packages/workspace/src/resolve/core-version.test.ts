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
    expect(checkCoreVersion(withCore('gitea://provisioning-core:v3.5.0'), '3.5.0').pinned).toBe('3.5.0');
    expect(checkCoreVersion(withCore('gitea://org/provisioning-core:v3.4.0'), '3.5.0').pinned).toBe('3.4.0');
  });

  it('checks a gitea:// core by its tag, like an OCI pin', () => {
    expect(() => checkCoreVersion(withCore('gitea://provisioning-core:v4.0.0'), '3.5.0')).toThrow(
      expect.objectContaining({
        code: 'CORE_VERSION_MISMATCH',
        message:
          'this workspace pins core 4.0.0 (dependencies.core.source) but you are running provisioning 3.5.0',
      }),
    );
    expect(() => checkCoreVersion(withCore('gitea://provisioning-core'), '3.5.0')).toThrow(
      expect.objectContaining({
        code: 'CORE_VERSION_INVALID',
        hint: 'pin the core by its release tag, e.g. gitea://provisioning-core:v3.5.0',
      }),
    );
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
