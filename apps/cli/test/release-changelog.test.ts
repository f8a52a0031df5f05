/**
 * `oci release` writes the release's CHANGELOG.md section before packing (docs/releasing.md#changelog):
 * commits since the extension's previous tag, grouped; the section is part of the artifact, a fresh
 * clone packs the same bytes (releasing it again is a no-op), and --dry-run shows it without writing.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { type RunningDistribution, requireBinary, startDistribution } from '@provisioning/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { jsonOk, Sandbox } from './support/run-cli.js';

const gitBin = requireBinary('git');
const box = new Sandbox();
let registry: RunningDistribution;
let env: Record<string, string>;
const repo = join(box.root, 'extensions');
const redis = join(repo, 'taskservs', 'redis');
const changelog = join(redis, 'CHANGELOG.md');

const git = (cwd: string, ...args: string[]) =>
  execFileSync(gitBin, ['-C', cwd, ...args], {
    env: {
      ...process.env,
      GIT_AUTHOR_NAME: 't',
      GIT_AUTHOR_EMAIL: 't@t',
      GIT_COMMITTER_NAME: 't',
      GIT_COMMITTER_EMAIL: 't@t',
    },
  })
    .toString()
    .trim();
const release = (dir: string, args: string[]) =>
  box.run(['oci', 'release', ...args, '--repo', dir, '--json'], { env });

beforeAll(async () => {
  registry = await startDistribution();
  env = { PROVISIONING_REGISTRY: registry.host };
  execFileSync(gitBin, ['init', '-q', repo]);
  for (const name of ['redis', 'etcd']) {
    const made = await box.run([
      'generate',
      'extension',
      'taskserv',
      name,
      '--dir',
      join(repo, 'taskservs', name),
    ]);
    expect(made.code, made.stderr).toBe(0);
  }
  git(repo, 'add', '-A');
  git(repo, 'commit', '-qm', 'feat: redis and etcd');
  git(repo, 'tag', 'taskservs/redis/v1.0.0');
});
afterAll(async () => {
  await registry?.stop();
  box.cleanup();
});

describe('release changelog', () => {
  it('--dry-run shows the section and writes nothing', async () => {
    const planned = jsonOk(await release(repo, ['taskservs/redis/v1.0.0', '--dry-run']));
    expect(planned).toMatchObject({ outcome: 'planned', changelog_written: true });
    expect(planned.changelog).toBe('## 1.0.0\n\n### Features\n\n- redis and etcd\n');
    expect(existsSync(changelog)).toBe(false);
  });

  it('writes the section into the artifact; a fresh clone releases the same bytes', async () => {
    const first = jsonOk(await release(repo, ['taskservs/redis/v1.0.0']));
    expect(first).toMatchObject({ outcome: 'pushed', changelog_written: true });
    expect(readFileSync(changelog, 'utf8')).toBe(
      '# Changelog\n\n## 1.0.0\n\n### Features\n\n- redis and etcd\n',
    );

    const again = jsonOk(await release(repo, ['taskservs/redis/v1.0.0']));
    expect(again).toMatchObject({ outcome: 'unchanged', changelog_written: false, digest: first.digest });

    const clone = join(box.root, 'clone');
    execFileSync(gitBin, [
      '-c',
      'advice.detachedHead=false',
      'clone',
      '-q',
      '--branch',
      'taskservs/redis/v1.0.0',
      repo,
      clone,
    ]);
    const fromClone = jsonOk(await release(clone, ['taskservs/redis/v1.0.0']));
    expect(fromClone).toMatchObject({ outcome: 'unchanged', digest: first.digest });

    const pulled = join(box.root, 'pulled');
    const pull = await box.run(['oci', 'pull', 'redis:1.0.0', '--output', pulled], { env });
    expect(pull.code, pull.stderr).toBe(0);
    expect(readFileSync(join(pulled, 'CHANGELOG.md'), 'utf8')).toContain('## 1.0.0');
  });

  it('the next release lists only the commits since the previous tag touching the extension', async () => {
    git(repo, 'add', '-A');
    git(repo, 'commit', '-qm', 'chore(release): redis 1.0.0');
    const defaults = join(redis, 'defaults.yaml');
    writeFileSync(defaults, `${readFileSync(defaults, 'utf8')}maxmemory: 64mb\n`);
    git(repo, 'commit', '-qam', 'feat(redis): maxmemory');
    writeFileSync(join(repo, 'taskservs', 'etcd', 'NOTES.md'), 'etcd only\n');
    git(repo, 'add', '-A');
    git(repo, 'commit', '-qm', 'fix(etcd): not about redis');
    const manifest = join(redis, 'manifest.yaml');
    writeFileSync(manifest, readFileSync(manifest, 'utf8').replace(/^version: .*$/m, 'version: 1.1.0'));
    const kclMod = join(redis, 'kcl', 'kcl.mod');
    writeFileSync(kclMod, readFileSync(kclMod, 'utf8').replace('version = "1.0.0"', 'version = "1.1.0"'));
    git(repo, 'commit', '-qam', 'bump redis');
    git(repo, 'tag', 'taskservs/redis/v1.1.0');

    const released = jsonOk(await release(repo, ['taskservs/redis/v1.1.0']));
    expect(released).toMatchObject({ outcome: 'pushed', version: '1.1.0' });
    expect(released.changelog).toBe(
      '## 1.1.0\n\n### Features\n\n- maxmemory\n\n### Other changes\n\n- bump redis\n',
    );
    const text = readFileSync(changelog, 'utf8');
    expect(text.indexOf('## 1.1.0')).toBeLessThan(text.indexOf('## 1.0.0'));
    expect(text).not.toContain('not about redis');
  });

  it('a release that fails to publish leaves CHANGELOG.md as it was', async () => {
    git(repo, 'tag', 'taskservs/etcd/v1.0.0');
    // nothing listens on port 9 of the loopback address: the push fails after the section is written
    const failed = await box.run(['oci', 'release', 'taskservs/etcd/v1.0.0', '--repo', repo, '--json'], {
      env: { PROVISIONING_REGISTRY: '127.0.0.1:9' },
    });
    expect(failed.code).toBe(3);
    expect(JSON.parse(failed.stdout).error.code).toBe('NETWORK_ERROR');
    expect(existsSync(join(repo, 'taskservs', 'etcd', 'CHANGELOG.md'))).toBe(false);
  });
});
