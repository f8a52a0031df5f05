import { parseYaml, workspaceConfigSchema } from '@provisioning/schemas';
import { describe, expect, it } from 'vitest';
import { rewriteTag, rootModules } from './root-modules.js';

const defaults = { registry: 'localhost:5000', namespace: 'provisioning-extensions' };
const config = (modules: string) =>
  parseYaml(`dependencies:\n  extensions:\n    modules:\n${modules}`, workspaceConfigSchema, {
    file: 'p.yaml',
  });

describe('rootModules', () => {
  it('reads every group; a tag is an exact pin, no tag accepts any version', () => {
    const roots = rootModules(
      config(
        '      providers: ["oci://localhost:5000/provisioning-extensions/aws:2.0.0"]\n      taskservs: ["redis", "etcd:v3.5.9"]\n',
      ),
      defaults,
    );
    expect(roots.map((r) => [r.name, r.type, r.range])).toEqual([
      ['aws', 'provider', '2.0.0'],
      ['redis', 'taskserv', '*'],
      ['etcd', 'taskserv', '3.5.9'],
    ]);
    expect(roots[1]!.reference).toEqual({
      registry: 'localhost:5000',
      repository: 'provisioning-extensions/redis',
    });
  });

  it('rejects non-version tags, digests and duplicates with the key path', () => {
    expect(() => rootModules(config('      taskservs: ["redis:latest"]\n'), defaults)).toThrow(
      /dependencies\.extensions\.modules\.taskservs: the tag of redis:latest is not a semver version/,
    );
    expect(() =>
      rootModules(config(`      taskservs: ["redis@sha256:${'a'.repeat(64)}"]\n`), defaults),
    ).toThrow(/pins a digest/);
    expect(() =>
      rootModules(config('      taskservs: ["redis:1.0.0", "other/redis:1.0.0"]\n'), defaults),
    ).toThrow(/redis is listed twice/);
  });
});

describe('rewriteTag', () => {
  it('replaces or adds the tag, keeping the way the reference was written', () => {
    expect(rewriteTag('oci://localhost:5000/ns/kubernetes:1.28.0', '1.29.0')).toBe(
      'oci://localhost:5000/ns/kubernetes:1.29.0',
    );
    expect(rewriteTag('localhost:5000/ns/kubernetes', '1.29.0')).toBe('localhost:5000/ns/kubernetes:1.29.0');
    expect(rewriteTag('kubernetes', '1.29.0')).toBe('kubernetes:1.29.0');
    expect(rewriteTag('kubernetes:v1.28.0', '1.29.0')).toBe('kubernetes:1.29.0');
  });
});

describe('git module references', () => {
  it('are roots named by their fragment (or repository), pinned by its version', () => {
    const roots = rootModules(
      config(
        '      taskservs: ["git+https://g.example/org/extensions.git#redis:1.0.0", "gitea://org/kubernetes"]\n',
      ),
      defaults,
    );
    expect(roots.map((r) => [r.name, r.range, r.git?.scheme])).toEqual([
      ['redis', '1.0.0', 'https'],
      ['kubernetes', '*', 'gitea'],
    ]);
    // the lockfile's reference: where `oci push` would put it on the default registry
    expect(roots[0]!.reference).toEqual({
      registry: 'localhost:5000',
      repository: 'provisioning-extensions/redis',
      tag: '1.0.0',
    });
  });

  it('count as duplicates of the same name in OCI form', () => {
    expect(() =>
      rootModules(
        config('      taskservs: ["redis:1.0.0", "git+https://g.example/o/x.git#redis"]\n'),
        defaults,
      ),
    ).toThrow(/redis is listed twice/);
  });

  it('keep their form when `dep update` rewrites the version', () => {
    expect(rewriteTag('git+https://g.example/o/x.git#redis:1.0.0', '1.1.0')).toBe(
      'git+https://g.example/o/x.git#redis:1.1.0',
    );
    expect(rewriteTag('gitea://org/redis', '2.0.0')).toBe('gitea://org/redis#redis:2.0.0');
    expect(rewriteTag('git+ssh://git@g.example:2222/o/x.git#redis', '1.0.1')).toBe(
      'git+ssh://git@g.example:2222/o/x.git#redis:1.0.1',
    );
  });
});
