import { describe, expect, it } from 'vitest';
import { isGitModuleReference, parseGiteaCoreSource, parseGitModuleReference } from './git-reference.js';
import { workspaceConfigSchema } from './workspace-config.js';
import { parseYaml } from './yaml-load.js';

describe('parseGitModuleReference', () => {
  it.each([
    [
      'git+https://git.example.com/org/extensions.git#redis:1.0.0',
      {
        scheme: 'https',
        location: 'https://git.example.com/org/extensions.git',
        name: 'redis',
        version: '1.0.0',
      },
    ],
    [
      'git+ssh://git@git.example.com:2222/org/extensions.git#kubernetes',
      { scheme: 'ssh', location: 'ssh://git@git.example.com:2222/org/extensions.git', name: 'kubernetes' },
    ],
    [
      'git+http://127.0.0.1:3000/org/redis.git',
      { scheme: 'http', location: 'http://127.0.0.1:3000/org/redis.git', name: 'redis' },
    ],
    [
      'gitea://org/extensions#redis:v1.0.0',
      { scheme: 'gitea', location: 'org/extensions', name: 'redis', version: '1.0.0' },
    ],
    [
      'gitea://provisioning-extensions/kubernetes',
      { scheme: 'gitea', location: 'provisioning-extensions/kubernetes', name: 'kubernetes' },
    ],
  ])('%s', (written, expected) => {
    expect(isGitModuleReference(written)).toBe(true);
    expect(parseGitModuleReference(written)).toEqual({ written, ...expected });
  });

  it.each([
    ['git+https://deploy:hunter2@git.example.com/org/x.git#redis', /cannot carry credentials/],
    ['git+https://token@git.example.com/org/x.git#redis', /cannot carry credentials/],
    ['git+file:///tmp/repo#redis', /use git\+https/],
    ['git+https://git.example.com/org/x.git#Redis', /not an extension name/],
    ['git+https://git.example.com/org/x.git#redis:latest', /not a semver version/],
    ['gitea://#redis', /needs a repository/],
    ['gitea://org/../x#redis', /not a repository path/],
    ['git+https://git.example.com/x.git?ref=main#redis', /takes no query/],
  ])('refuses %s with one line', (written, why) => {
    let error: { code?: string; message: string } | undefined;
    try {
      parseGitModuleReference(written);
    } catch (e) {
      error = e as { code: string; message: string };
    }
    expect(error?.code).toBe('REFERENCE_INVALID');
    expect(error?.message).toMatch(why);
    expect(error?.message).not.toContain('hunter2');
    expect(error?.message).not.toContain('\n');
  });

  it('module lists in the workspace schema take git references and report bad ones', () => {
    const ok = parseYaml(
      'dependencies:\n  extensions:\n    modules:\n      taskservs: ["git+https://g.example/o/x.git#redis:1.0.0", "kubernetes:1.28.0"]\n',
      workspaceConfigSchema,
      { file: 'p.yaml' },
    );
    expect(ok.dependencies.extensions?.modules?.taskservs).toHaveLength(2);
    expect(() =>
      parseYaml(
        'dependencies:\n  extensions:\n    modules:\n      taskservs: ["git+https://u:pw@g.example/o/x.git#redis"]\n',
        workspaceConfigSchema,
        { file: 'p.yaml' },
      ),
    ).toThrow(/p\.yaml:4.*cannot carry credentials/s);
  });
});

describe('parseGiteaCoreSource', () => {
  it('splits repository and tag', () => {
    expect(parseGiteaCoreSource('gitea://provisioning-core:v3.5.0')).toEqual({
      repository: 'provisioning-core',
      tag: 'v3.5.0',
    });
    expect(parseGiteaCoreSource('gitea://org/provisioning-core')).toEqual({
      repository: 'org/provisioning-core',
    });
    expect(() => parseGiteaCoreSource('gitea://org/core:bad tag')).toThrow(/not a valid tag/);
  });
});
