/**
 * The CI pipelines as files, run here: `generate ci` writes an extensions repository's workflow,
 * every GitHub workflow validates with GitHub's own parser (@actions/workflow-parser), and the
 * generated one is replayed step by step in a fresh clone against a real Distribution registry,
 * for a pull request and for a release tag push.
 */
import { execFileSync } from 'node:child_process';
import { chmodSync, cpSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { NoOperationTraceWriter, parseWorkflow } from '@actions/workflow-parser';
import { parseYamlData } from '@provisioning/schemas';
import { type RunningDistribution, requireBinary, startDistribution } from '@provisioning/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BIN, CLI_ROOT, jsonOk, Sandbox } from './support/run-cli.js';
import { replayWorkflow } from './support/workflow-replay.js';

const gitBin = requireBinary('git');
const box = new Sandbox();
const REPO_ROOT = resolve(CLI_ROOT, '..', '..');
const EXAMPLES = join(REPO_ROOT, 'extensions');
const PASSWORD = 'release-key-password';
const GIT_ENV = {
  GIT_AUTHOR_NAME: 'ci',
  GIT_AUTHOR_EMAIL: 'ci@example.test',
  GIT_COMMITTER_NAME: 'ci',
  GIT_COMMITTER_EMAIL: 'ci@example.test',
};
let registry: RunningDistribution;
let origin: string;
let workflow: string;
let runnerEnv: Record<string, string>;
let secrets: Record<string, string>;

const git = (cwd: string, ...args: string[]) =>
  execFileSync(gitBin, ['-C', cwd, ...args], { env: { ...process.env, ...GIT_ENV } })
    .toString()
    .trim();

/** A fresh clone of the origin at `ref`, as a runner's checkout makes it. */
function clone(name: string, ref: string): string {
  const dir = join(box.root, 'runners', name);
  execFileSync(gitBin, ['clone', '-q', origin, dir]);
  git(dir, 'checkout', '-q', ref);
  return dir;
}

beforeAll(async () => {
  registry = await startDistribution();
  // the origin: main with etcd, a branch adding containerd, a branch breaking etcd
  const work = join(box.root, 'work');
  cpSync(join(EXAMPLES, 'taskservs', 'etcd'), join(work, 'taskservs', 'etcd'), { recursive: true });
  execFileSync(gitBin, ['init', '-q', '-b', 'main', work]);
  const generated = jsonOk(await box.run(['generate', 'ci', '--for', 'extensions', '--dir', work, '--json']));
  workflow = generated.path;
  git(work, 'add', '-A');
  git(work, 'commit', '-qm', 'feat: etcd');
  git(work, 'checkout', '-qb', 'add-containerd');
  cpSync(join(EXAMPLES, 'taskservs', 'containerd'), join(work, 'taskservs', 'containerd'), {
    recursive: true,
  });
  git(work, 'add', '-A');
  git(work, 'commit', '-qm', 'feat: containerd');
  const version = /^version: (.*)$/m.exec(
    readFileSync(join(work, 'taskservs', 'containerd', 'manifest.yaml'), 'utf8'),
  )![1];
  git(work, 'tag', `taskservs/containerd/v${version}`);
  git(work, 'checkout', '-q', 'main');
  git(work, 'checkout', '-qb', 'break-etcd');
  writeFileSync(join(work, 'taskservs', 'etcd', 'templates', 'broken.yaml.j2'), '{{ undefined_value }}\n');
  git(work, 'add', '-A');
  git(work, 'commit', '-qm', 'fix: etcd');
  origin = join(box.root, 'origin.git');
  execFileSync(gitBin, ['clone', '-q', '--bare', work, origin]);

  // the runner: `provisioning` on PATH is this build; secrets as a repository would hold them
  const bin = join(box.root, 'runner-bin');
  mkdirSync(bin, { recursive: true });
  writeFileSync(join(bin, 'provisioning'), `#!/bin/sh\nexec "${process.execPath}" "${BIN}" "$@"\n`);
  chmodSync(join(bin, 'provisioning'), 0o755);
  const keyPrefix = join(box.root, 'release');
  jsonOk(
    await box.run(['oci', 'key', 'generate', '--output', keyPrefix, '--json'], {
      env: { PROVISIONING_KEY_PASSWORD: PASSWORD },
    }),
  );
  runnerEnv = {
    PATH: `${bin}:${process.env.PATH}`,
    HOME: join(box.root, 'runner-home'),
    PROVISIONING_HOME: join(box.root, 'runner-home', '.provisioning'),
  };
  secrets = {
    PROVISIONING_REGISTRY: registry.host,
    REGISTRY_USERNAME: 'ci',
    REGISTRY_PASSWORD: 'ci-password',
    RELEASE_KEY: readFileSync(`${keyPrefix}.key`, 'utf8'),
    RELEASE_KEY_PASSWORD: PASSWORD,
  };
});
afterAll(async () => {
  await registry?.stop();
  box.cleanup();
});

describe('workflow files', () => {
  it("GitHub's parser accepts this repository's workflows and the generated one", () => {
    const files = [
      join(REPO_ROOT, '.github', 'workflows', 'ci.yml'),
      join(REPO_ROOT, '.github', 'workflows', 'release.yml'),
      workflow,
    ];
    for (const file of files) {
      const parsed = parseWorkflow(
        { name: file, content: readFileSync(file, 'utf8') },
        new NoOperationTraceWriter(),
      );
      expect(
        parsed.context.errors.getErrors().map((e) => e.message),
        file,
      ).toEqual([]);
    }
    const broken = parseWorkflow(
      { name: 'broken.yml', content: 'on: push\njobs:\n  x:\n    runs-on: ubuntu-latest\n    stepz: []\n' },
      new NoOperationTraceWriter(),
    );
    expect(broken.context.errors.getErrors().length).toBeGreaterThan(0);
  });

  it('ci.yml runs the README test command on Node 20 and 22', () => {
    const ci = parseYamlData(readFileSync(join(REPO_ROOT, '.github', 'workflows', 'ci.yml'), 'utf8'), {
      file: 'ci.yml',
    }) as { jobs: { test: { strategy: { matrix: { node: number[] } }; steps: { run?: string }[] } } };
    expect(ci.jobs.test.strategy.matrix.node).toEqual([20, 22]);
    const readme = readFileSync(join(REPO_ROOT, 'README.md'), 'utf8');
    expect(readme).toContain('pnpm test');
    expect(ci.jobs.test.steps.map((s) => s.run)).toContain('pnpm test');
  });

  it('generate ci --provider gitlab writes a pipeline whose jobs run this CLI; an existing file is kept', async () => {
    const dir = join(box.root, 'gitlab-repo');
    const written = jsonOk(
      await box.run([
        'generate',
        'ci',
        '--for',
        'extensions',
        '--provider',
        'gitlab',
        '--dir',
        dir,
        '--json',
      ]),
    );
    const pipeline = parseYamlData(readFileSync(written.path, 'utf8'), { file: written.path }) as Record<
      string,
      { script?: string[] }
    >;
    expect(pipeline.test?.script).toContain(
      'provisioning test changed --since "origin/$CI_MERGE_REQUEST_TARGET_BRANCH_NAME"',
    );
    expect(pipeline.release?.script?.at(-1)).toMatch(/^provisioning oci release "\$CI_COMMIT_TAG"/);
    const again = await box.run([
      'generate',
      'ci',
      '--for',
      'extensions',
      '--provider',
      'gitlab',
      '--dir',
      dir,
      '--json',
    ]);
    expect(again.code).toBe(1);
    expect(JSON.parse(again.stdout).error.code).toBe('TARGET_EXISTS');
  });
});

describe('replaying the generated workflow', () => {
  it('a pull request adding containerd: its checks run and pass', async () => {
    const cwd = clone('pr-ok', 'origin/add-containerd');
    const steps = await replayWorkflow({
      workflow: join(cwd, '.github', 'workflows', 'extensions.yml'),
      event: 'pull_request',
      cwd,
      github: { GITHUB_BASE_REF: 'main', GITHUB_HEAD_REF: 'add-containerd' },
      secrets,
      env: runnerEnv,
    });
    expect(steps.map((s) => [s.job, s.code])).toEqual([['test', 0]]);
    expect(steps[0]!.stdout).toMatch(/^pass {2}taskservs\/containerd/m);
    expect(steps[0]!.stdout).not.toContain('taskservs/etcd');
  });

  it('a pull request breaking etcd fails its job, naming the extension and the check', async () => {
    const cwd = clone('pr-broken', 'origin/break-etcd');
    const steps = await replayWorkflow({
      workflow: join(cwd, '.github', 'workflows', 'extensions.yml'),
      event: 'pull_request',
      cwd,
      github: { GITHUB_BASE_REF: 'main', GITHUB_HEAD_REF: 'break-etcd' },
      secrets,
      env: runnerEnv,
    });
    expect(steps.map((s) => [s.job, s.code])).toEqual([['test', 1]]);
    expect(steps[0]!.stdout).toMatch(/^FAIL {2}taskservs\/etcd/m);
    expect(steps[0]!.stderr).toMatch(
      /^error: 1 of 1 changed extensions failed their checks: taskservs\/etcd$/m,
    );
  });

  it('a release tag push: logs in, releases and signs the tagged extension in the registry', async () => {
    const tag = git(origin, 'tag', '--list', 'taskservs/containerd/v*');
    const cwd = clone('tag', tag);
    const steps = await replayWorkflow({
      workflow: join(cwd, '.github', 'workflows', 'extensions.yml'),
      event: 'push',
      cwd,
      github: { GITHUB_REF_NAME: tag, GITHUB_REF: `refs/tags/${tag}` },
      secrets,
      env: runnerEnv,
    });
    expect(steps.map((s) => s.code)).toEqual([0, 0, 0]);
    expect(steps.at(-1)!.stdout).toMatch(
      new RegExp(`^released ${registry.host}/provisioning-extensions/containerd:`, 'm'),
    );
    expect(steps.at(-1)!.stdout).toMatch(/^ {2}signed {2}/m);
    const version = tag.split('/v')[1];
    const verified = await box.run([
      'oci',
      'verify',
      `${registry.host}/provisioning-extensions/containerd:${version}`,
      '--key',
      join(box.root, 'release.pub'),
      '--json',
    ]);
    expect(verified.code, verified.stderr).toBe(0);
  });
});
