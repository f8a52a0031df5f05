/**
 * `oci release` as an extensions repository's CI runs it: a real git repository made here (two
 * extensions, release tags in the architecture document's format, one tag whose version disagrees
 * with the manifest, one tag not at HEAD), released into a real Distribution registry.
 */
import { execFileSync } from 'node:child_process';
import { cpSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { type RunningDistribution, requireBinary, startDistribution } from '@provisioning/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CLI_ROOT, expectRefusal, jsonOk, Sandbox } from './support/run-cli.js';

const gitBin = requireBinary('git');
const box = new Sandbox();
const PASSWORD = { PROVISIONING_KEY_PASSWORD: 'release' };
const EXAMPLES = resolve(CLI_ROOT, '..', '..', 'extensions');
let registry: RunningDistribution;
let env: Record<string, string>;
let repo: string;

const git = (...args: string[]) =>
  execFileSync(gitBin, ['-C', repo, ...args], {
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
const release = (args: string[], extra: Record<string, string> = {}) =>
  box.run(['oci', 'release', ...args, '--repo', repo, '--json'], { env: { ...env, ...extra } });
const tags = async (name: string) =>
  jsonOk(await box.run(['oci', 'tags', name, '--json'], { env })).tags.map(
    (t: { version: string }) => t.version,
  );

beforeAll(async () => {
  registry = await startDistribution();
  env = { PROVISIONING_REGISTRY: registry.host };
  repo = join(box.root, 'extensions-repo');
  for (const name of ['etcd', 'containerd']) {
    cpSync(join(EXAMPLES, 'taskservs', name), join(repo, 'taskservs', name), { recursive: true });
  }
  execFileSync(gitBin, ['init', '-q', repo]);
  git('add', '-A');
  git('commit', '-qm', 'feat: etcd and containerd');
  const etcd = readFileSync(join(repo, 'taskservs', 'etcd', 'manifest.yaml'), 'utf8');
  git('tag', `taskservs/etcd/v${/^version: (.*)$/m.exec(etcd)![1]}`);
  git('tag', 'taskservs/etcd/v9.9.9'); // the manifest says otherwise
  git('commit', '-q', '--allow-empty', '-m', 'chore: later');
  const containerd = readFileSync(join(repo, 'taskservs', 'containerd', 'manifest.yaml'), 'utf8');
  git('tag', '-a', '-m', 'release', `taskservs/containerd/v${/^version: (.*)$/m.exec(containerd)![1]}`);
  jsonOk(
    await box.run(['oci', 'key', 'generate', '--output', join(box.root, 'release'), '--json'], {
      env: PASSWORD,
    }),
  );
});
afterAll(async () => {
  await registry?.stop();
  box.cleanup();
});

describe('oci release', () => {
  it('--dry-run --all-tags-at HEAD checks the tag at HEAD and pushes nothing', async () => {
    const planned = jsonOk(await release(['--all-tags-at', 'HEAD', '--dry-run']));
    expect(planned.map((r: { tag: string; outcome: string }) => [r.tag, r.outcome])).toEqual([
      [expect.stringMatching(/^taskservs\/containerd\/v/), 'planned'],
    ]);
    expect(planned[0].checks).toBeGreaterThan(1);
    const listed = await box.run(['oci', 'tags', 'containerd', '--json'], { env });
    expect(listed.code).not.toBe(0); // nothing was published
  });

  it('releases the annotated tag at HEAD and signs it; releasing again is a no-op', async () => {
    const tag = git('tag', '--points-at', 'HEAD');
    const released = jsonOk(await release([tag, '--sign-key', join(box.root, 'release.key')], PASSWORD));
    expect(released).toMatchObject({
      outcome: 'pushed',
      type: 'taskserv',
      name: 'containerd',
      commit: git('rev-parse', 'HEAD'),
    });
    expect(await tags('containerd')).toEqual([released.version]);
    jsonOk(
      await box.run(
        ['oci', 'verify', `containerd:${released.version}`, '--key', join(box.root, 'release.pub'), '--json'],
        { env },
      ),
    );
    const again = jsonOk(await release([tag]));
    expect(again).toMatchObject({ outcome: 'unchanged', digest: released.digest });
  });

  it('refuses a tag not at the checked-out commit, naming both commits', async () => {
    const message = expectRefusal(
      await release([git('tag', '--list', 'taskservs/etcd/v3*')]),
      'RELEASE_TAG_NOT_AT_HEAD',
    );
    expect(message).toContain(git('rev-parse', 'HEAD').slice(0, 12));
  });

  it('refuses a tag whose version disagrees with the manifest, naming both versions', async () => {
    git('checkout', '-q', 'taskservs/etcd/v9.9.9');
    const message = expectRefusal(await release(['taskservs/etcd/v9.9.9']), 'RELEASE_MANIFEST_MISMATCH');
    expect(message).toMatch(/version is \S+, the tag says 9\.9\.9/);
    expect((await box.run(['oci', 'tags', 'etcd', '--json'], { env })).code).not.toBe(0);
  });

  it('refuses uncommitted changes under the extension, a missing tag and a malformed tag', async () => {
    const tag = git('tag', '--list', 'taskservs/etcd/v3*');
    git('checkout', '-q', tag);
    writeFileSync(join(repo, 'taskservs', 'etcd', 'defaults.yaml'), 'changed: true\n', { flag: 'a' });
    expectRefusal(await release([tag]), 'RELEASE_TREE_DIRTY');
    git('checkout', '-q', '--', 'taskservs/etcd');
    expectRefusal(await release(['taskservs/etcd/v0.0.1']), 'RELEASE_TAG_NOT_FOUND');
    expectRefusal(await release(['etcd-v3']), 'RELEASE_TAG_INVALID', 2);
    expect((await box.run(['oci', 'tags', 'etcd', '--json'], { env })).code).not.toBe(0);
  });

  it('a failing extension test stops the release before anything is pushed', async () => {
    const tag = git('tag', '--list', 'taskservs/etcd/v3*');
    git('checkout', '-q', '-b', 'broken', tag);
    writeFileSync(join(repo, 'taskservs', 'etcd', 'templates', 'broken.yaml.j2'), '{{ no_such_value }}\n');
    git('add', '-A');
    git('commit', '-qm', 'fix: broken template');
    git('tag', '-f', 'taskservs/etcd/v0.0.0-broken');
    const manifest = join(repo, 'taskservs', 'etcd', 'manifest.yaml');
    writeFileSync(
      manifest,
      readFileSync(manifest, 'utf8').replace(/^version: .*$/m, 'version: 0.0.0-broken'),
    );
    git('commit', '-qam', 'chore: version');
    git('tag', '-f', 'taskservs/etcd/v0.0.0-broken');
    expectRefusal(await release(['taskservs/etcd/v0.0.0-broken']), 'RELEASE_TESTS_FAILED');
    expect((await box.run(['oci', 'tags', 'etcd', '--json'], { env })).code).not.toBe(0);
  });
});
