/**
 * `dep resolve` with git sources, through the built CLI, against `git daemon` and `git
 * http-backend` (basic auth) on loopback: the table names the repository and tag, and each bad
 * input is one error line with its code and exit status, and changes no file.
 */
import { mkdir, readdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { scaffoldExtension } from '@provisioning/packager';
import {
  type GitDaemon,
  type GitHttpServer,
  git,
  startGitDaemon,
  startGitHttpServer,
} from '@provisioning/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { treeSnapshot } from './support/file-tree.js';
import { expectNoStackOrBox, Sandbox } from './support/run-cli.js';

const box = new Sandbox();
const PASSWORD = 'cli-s3cret';
let daemon: GitDaemon;
let http: GitHttpServer;
let repos: string;
let gitconfig: string;

async function keepEmptyDirectories(dir: string): Promise<void> {
  const entries = await readdir(dir, { withFileTypes: true });
  if (entries.length === 0) await writeFile(join(dir, '.gitkeep'), '');
  for (const entry of entries) if (entry.isDirectory()) await keepEmptyDirectories(join(dir, entry.name));
}

beforeAll(async () => {
  repos = join(box.root, 'repos');
  await mkdir(repos);
  await git(repos, 'init', '-q', '--bare', 'extensions.git');
  const work = join(box.root, 'work');
  await mkdir(work);
  await git(work, 'init', '-q');
  await scaffoldExtension('taskserv', 'redis', join(work, 'taskservs', 'redis'));
  await keepEmptyDirectories(join(work, 'taskservs', 'redis'));
  await git(work, 'add', '-A');
  await git(work, 'commit', '-q', '-m', 'redis');
  await git(work, 'tag', 'taskservs/redis/v1.0.0');
  await git(work, 'push', '-q', join(repos, 'extensions.git'), 'HEAD:refs/heads/main', '--tags');
  daemon = await startGitDaemon(repos);
  http = await startGitHttpServer(repos, { auth: { username: 'deploy', password: PASSWORD } });
  const credentials = join(box.root, 'git-credentials');
  await writeFile(credentials, `http://deploy:${PASSWORD}@127.0.0.1:${http.port}\n`);
  gitconfig = join(box.root, 'gitconfig');
  await writeFile(gitconfig, `[credential]\n\thelper = store --file=${credentials}\n`);
});

afterAll(async () => {
  await daemon?.stop();
  await http?.close();
  box.cleanup();
});

const gitea = (repository: string, module = 'redis:1.0.0') => `dependencies:
  extensions:
    source_type: "gitea"
    gitea:
      url: "${daemon.url}"
      repository: "${repository}"
    modules:
      taskservs:
        - "${module}"
`;

describe('dep resolve from git', () => {
  it('source_type: gitea installs from git daemon and names the repository and tag', async () => {
    const ws = box.workspace('gitea', gitea('extensions.git'));
    const result = await box.run(['dep', 'resolve'], { cwd: ws });
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    expect(result.stdout).toContain(`${daemon.url}/extensions.git taskservs/redis/v1.0.0`);
    expect(result.stdout).toContain(`installed 1 module (1 changed) into ${ws}/.provisioning/extensions`);
    expect(result.stdout).not.toContain('embedded storage'); // nothing came from it
    // the lock's digests are those `oci package` gives the same tree
    const packed = await box.run(
      [
        'oci',
        'package',
        join(box.root, 'work', 'taskservs', 'redis'),
        '-o',
        join(box.root, 'packed'),
        '--json',
      ],
      { cwd: box.root },
    );
    expect(packed.code, packed.stderr).toBe(0);
    const pack = JSON.parse(packed.stdout);
    const lock = parse(await readFile(join(ws, 'config', 'provisioning.lock'), 'utf8'));
    expect(lock.modules.redis.layer_digest).toBe(pack.layer.digest);
    expect(lock.modules.redis.manifest_digest).toBe(pack.manifest.digest);
    expect(lock.modules.redis.git.commit).toMatch(/^[0-9a-f]{40}$/);
    const config = await box.run(['oci', 'config'], { cwd: ws });
    expect(config.stdout).toMatch(
      new RegExp(`gitea_url: "${daemon.url}" +# workspace: ${ws}/config/provisioning\\.yaml`),
    );
    const frozen = await box.run(['dep', 'resolve', '--frozen', '--json'], { cwd: ws });
    expect(frozen.code).toBe(0);
    expect(JSON.parse(frozen.stdout).modules[0]).toMatchObject({
      name: 'redis',
      source: 'git',
      action: 'keep',
    });
  });

  it('a git+http:// module with credentials from git credential store', async () => {
    const ws = box.workspace(
      'http',
      `dependencies:\n  extensions:\n    modules:\n      taskservs:\n        - "git+http://127.0.0.1:${http.port}/extensions.git#redis:1.0.0"\n`,
    );
    const result = await box.run(['dep', 'resolve', '--json'], {
      cwd: ws,
      env: { GIT_CONFIG_GLOBAL: gitconfig },
    });
    expect(result.code, result.stderr).toBe(0);
    const body = JSON.parse(result.stdout);
    expect(body.modules[0].git).toMatchObject({
      url: `http://127.0.0.1:${http.port}/extensions.git`,
      tag: 'taskservs/redis/v1.0.0',
    });
    expect(result.stdout + result.stderr).not.toContain(PASSWORD);
  });
});

describe('bad git inputs: one line, a code, an exit status, no file changed', () => {
  const cases: [string, () => string, Record<string, string>, number, string, RegExp][] = [
    [
      'an unknown repository',
      () => gitea('nope.git'),
      {},
      1,
      'FETCH_FAILED',
      /redis:1\.0\.0: listing the tags of git:\/\/127\.0\.0\.1:\d+\/nope\.git: no such repository/,
    ],
    [
      'a missing release tag',
      () => gitea('extensions.git', 'valkey:1.0.0'),
      {},
      1,
      'MODULE_NOT_FOUND',
      /^valkey:1\.0\.0: nothing published in git:\/\/.*\/extensions\.git \(tags \{providers,taskservs,clusters\}\/valkey\/v\*\)$/,
    ],
    [
      'an auth failure (no credential helper)',
      () =>
        `dependencies:\n  extensions:\n    modules:\n      taskservs:\n        - "git+http://127.0.0.1:${http.port}/extensions.git#redis:1.0.0"\n`,
      { GIT_CONFIG_GLOBAL: '/dev/null' },
      3,
      'FETCH_FAILED',
      /the server wants credentials, or refused them$/,
    ],
    [
      'a password in the reference',
      () =>
        `dependencies:\n  extensions:\n    modules:\n      taskservs:\n        - "git+http://deploy:${PASSWORD}@127.0.0.1:${http.port}/extensions.git#redis"\n`,
      {},
      1,
      'CONFIG_INVALID',
      /cannot carry credentials/,
    ],
    [
      'gitea:// without gitea.url',
      () =>
        `dependencies:\n  extensions:\n    modules:\n      taskservs:\n        - "gitea://org/extensions#redis:1.0.0"\n`,
      {},
      1,
      'CONFIG_MISSING_KEY',
      /gitea:\/\/org\/extensions#redis:1\.0\.0 needs dependencies\.extensions\.gitea\.url/,
    ],
  ];
  it.each(cases)('%s', async (name, text, env, exit, code, message) => {
    const ws = box.workspace(`bad-${name.replace(/\W+/g, '-')}`, text());
    const before = await treeSnapshot(ws);
    const result = await box.run(['dep', 'resolve'], { cwd: ws, env });
    expect(result.code, result.stderr).toBe(exit);
    const lines = result.stderr.trimEnd().split('\n');
    expect(lines, result.stderr).toHaveLength(2);
    expect(lines[0]!.replace(/^error: /, '')).toMatch(message);
    expect(lines[1]).toMatch(/^ {2}hint: /);
    expect(result.stderr).not.toContain(PASSWORD);
    expect(expectNoStackOrBox(result.stderr)).toEqual([]);
    const json = await box.run(['dep', 'resolve', '--json'], { cwd: ws, env });
    expect(JSON.parse(json.stdout).error.code).toBe(code);
    expect(await treeSnapshot(ws)).toEqual(before);
  });
});
