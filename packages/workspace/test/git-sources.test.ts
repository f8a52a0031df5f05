/**
 * Git sources against real git servers on loopback: `git daemon` serving bare repositories
 * (`source_type: gitea`, `gitea://`), `git http-backend` behind basic auth with credentials from
 * git's own credential store (`git+http://`), and one workspace mixing OCI and git modules.
 */
import { generateKeyPairSync } from 'node:crypto';
import { mkdir, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { type ExtensionSpec, makeExtension, publishToRegistry, settingsFor } from '@provisioning/fixtures';
import { packExtension } from '@provisioning/packager';
import { isProvisioningError, type ProvisioningError } from '@provisioning/schemas';
import {
  type GitDaemon,
  type GitHttpServer,
  git,
  type RunningDistribution,
  startDistribution,
  startGitDaemon,
  startGitHttpServer,
  startHttpServer,
  type TempDir,
  tempDir,
} from '@provisioning/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { installedModuleDir } from '../src/install/layout-paths.js';
import { verifyInstalledModule } from '../src/install/verify-installed.js';
import { lockfilePath, readLockfile } from '../src/lockfile/lockfile-io.js';
import { checkUpdates } from '../src/resolve/check-updates.js';
import { resolveWorkspace } from '../src/resolve/resolve-workspace.js';
import type { WorkspaceSettings } from '../src/settings/workspace-settings.js';

const CORE = '3.5.0';
const PASSWORD = 's3cret-Passw0rd';

let tmp: TempDir;
let reposRoot: string;
let work: string;
let daemon: GitDaemon;
let http: GitHttpServer;
let registry: RunningDistribution;
const previousEnv = { ...process.env };

/** Commit `specs` into the work tree and tag each as a release, then push to the bare repository. */
async function release(specs: ExtensionSpec[]): Promise<void> {
  for (const spec of specs) {
    await rm(join(work, `${spec.type}s`, spec.name), { recursive: true, force: true });
    const dir = await makeExtension(work, spec);
    await keepEmptyDirectories(dir);
    await git(work, 'add', '-A');
    await git(work, 'commit', '-q', '-m', `${spec.name} ${spec.version}`);
    // annotated, as release tooling writes them (the CLI suite uses lightweight tags)
    await git(
      work,
      'tag',
      '-a',
      '-m',
      `${spec.name} ${spec.version}`,
      `${spec.type}s/${spec.name}/v${spec.version}`,
    );
  }
  await git(work, 'push', '-q', '--force', 'origin', 'HEAD:refs/heads/main', '--tags');
}

/** git stores no empty directories: give them a file so the tree and its checkout are the same. */
async function keepEmptyDirectories(dir: string): Promise<void> {
  const entries = await readdir(dir, { withFileTypes: true });
  if (entries.length === 0) await writeFile(join(dir, '.gitkeep'), '');
  for (const entry of entries) if (entry.isDirectory()) await keepEmptyDirectories(join(dir, entry.name));
}

beforeAll(async () => {
  tmp = await tempDir('ws-git-');
  reposRoot = join(tmp.path, 'repos');
  await mkdir(reposRoot);
  await git(reposRoot, 'init', '-q', '--bare', 'extensions.git');
  work = join(tmp.path, 'work');
  await mkdir(work);
  await git(work, 'init', '-q');
  await git(work, 'remote', 'add', 'origin', join(reposRoot, 'extensions.git'));
  await release([
    { type: 'taskserv', name: 'redis', version: '1.0.0' },
    { type: 'taskserv', name: 'runc', version: '1.1.12' },
    { type: 'taskserv', name: 'containerd', version: '1.7.0', dependencies: { runc: '>=1.1.0' } },
    {
      type: 'taskserv',
      name: 'kubernetes',
      version: '1.28.0',
      dependencies: { containerd: '>=1.7.0' },
    },
  ]);
  // git's own credential store, as a user's `credential.helper store` keeps it (never argv)
  const credentials = join(tmp.path, 'git-credentials');
  const gitconfig = join(tmp.path, 'gitconfig');
  await writeFile(gitconfig, `[credential]\n\thelper = store --file=${credentials}\n`);
  process.env.GIT_CONFIG_GLOBAL = gitconfig;
  process.env.GIT_CONFIG_NOSYSTEM = '1';
  daemon = await startGitDaemon(reposRoot);
  http = await startGitHttpServer(reposRoot, { auth: { username: 'deploy', password: PASSWORD } });
  await writeFile(credentials, `http://deploy:${PASSWORD}@127.0.0.1:${http.port}\n`);
  registry = await startDistribution();
});

afterAll(async () => {
  process.env = previousEnv;
  await daemon?.stop();
  await http?.close();
  await registry?.stop();
  await tmp?.remove();
});

async function workspace(
  name: string,
  text: string,
  overrides: Partial<WorkspaceSettings> = {},
): Promise<WorkspaceSettings> {
  const root = join(tmp.path, name);
  await mkdir(join(root, 'config'), { recursive: true });
  await writeFile(join(root, 'config', 'provisioning.yaml'), text);
  return {
    ...settingsFor(root, text, { registry: registry.host, home: join(tmp.path, `home-${name}`) }),
    ...overrides,
  };
}

const giteaConfig = (repository: string, taskservs: string[]) => `dependencies:
  extensions:
    source_type: "gitea"
    gitea:
      url: "${daemon.url}"
      repository: "${repository}"
    modules:
      taskservs:
${taskservs.map((t) => `        - "${t}"`).join('\n')}
`;

async function failure(run: Promise<unknown>): Promise<ProvisioningError> {
  const error = await run.then(
    () => undefined,
    (e: unknown) => e,
  );
  if (!isProvisioningError(error)) throw new Error(`expected a ProvisioningError, got ${String(error)}`);
  return error;
}

/** Every file of the workspace (path → content), to show a failed command changed nothing. */
async function snapshot(root: string): Promise<Record<string, string>> {
  const out: Record<string, string> = {};
  const walk = async (dir: string) => {
    for (const entry of await readdir(dir, { withFileTypes: true }).catch(() => [])) {
      const path = join(dir, entry.name);
      if (entry.isDirectory()) await walk(path);
      else out[path] = await readFile(path, 'utf8').catch(() => '<unreadable>');
    }
  };
  await walk(root);
  return out;
}

describe('source_type: gitea over git daemon', () => {
  it('resolves and installs redis; the layer digest is the one `oci package` gives the same tree', async () => {
    const settings = await workspace('gitea', giteaConfig('extensions.git', ['redis:1.0.0']), {
      giteaUrl: daemon.url,
    });
    const result = await resolveWorkspace({ settings, coreVersion: CORE });
    expect(result.installed).toBe(true);
    const lock = (await readLockfile(settings.root))!;
    const commit = (await git(work, 'rev-parse', 'taskservs/redis/v1.0.0^{commit}')).trim();
    const packed = await packExtension(join(work, 'taskservs', 'redis'), {
      outputDir: join(tmp.path, 'pack-redis'),
    });
    expect(lock.modules.redis).toEqual({
      type: 'taskserv',
      version: '1.0.0',
      reference: `${registry.host}/provisioning-extensions/redis:1.0.0`,
      manifest_digest: packed.imageManifestDescriptor.digest,
      layer_digest: packed.layer.descriptor.digest,
      source: 'git',
      git: { url: `${daemon.url}/extensions.git`, tag: 'taskservs/redis/v1.0.0', commit },
      dependencies: {},
    });
    expect(await verifyInstalledModule(installedModuleDir(settings.root, 'taskserv', 'redis'))).toEqual([]);
    // the tree cache, by commit
    expect(await readdir(join(settings.cacheDir, 'git', 'trees', commit, 'taskservs', 'redis'))).toContain(
      'manifest.yaml',
    );

    // --frozen from the warm cache needs no server: stop serving and reinstall from scratch
    await rm(join(settings.root, '.provisioning'), { recursive: true, force: true });
    const offline = { ...settings, giteaUrl: 'git://127.0.0.1:9' };
    const bad = await workspace(
      'gitea',
      giteaConfig('extensions.git', ['redis:1.0.0']).replace(daemon.url, 'git://127.0.0.1:9'),
      offline,
    );
    // the URL changed in the config: the lock is stale, and says so
    const stale = await failure(resolveWorkspace({ settings: bad, coreVersion: CORE, frozen: true }));
    expect(stale.code).toBe('LOCK_STALE');
    expect(stale.message).toContain(
      `the config points at git://127.0.0.1:9/extensions.git, the lockfile at ${daemon.url}/extensions.git`,
    );
    await writeFile(
      join(settings.root, 'config', 'provisioning.yaml'),
      giteaConfig('extensions.git', ['redis:1.0.0']),
    );
    const frozen = await resolveWorkspace({ settings, coreVersion: CORE, frozen: true, offline: true });
    expect(frozen.installed).toBe(true);
    expect(await verifyInstalledModule(installedModuleDir(settings.root, 'taskserv', 'redis'))).toEqual([]);
    // --offline (not frozen) serves the locked version from the tree cache, and stays up to date
    const offlineRun = await resolveWorkspace({ settings, coreVersion: CORE, offline: true });
    expect(offlineRun.installed).toBe(false);
    const empty = { ...settings, cacheDir: join(tmp.path, 'empty-cache') };
    const miss = await failure(resolveWorkspace({ settings: empty, coreVersion: CORE, offline: true }));
    expect((miss.cause as ProvisioningError).code).toBe('CACHE_MISS');
  });

  it('resolves transitive dependencies inside the repository', async () => {
    const settings = await workspace('gitea-deps', giteaConfig('extensions.git', ['kubernetes:1.28.0']), {
      giteaUrl: daemon.url,
    });
    const result = await resolveWorkspace({ settings, coreVersion: CORE });
    expect(result.plan.map((e) => e.name)).toEqual(['runc', 'containerd', 'kubernetes']);
    const lock = (await readLockfile(settings.root))!;
    expect(Object.values(lock.modules).map((m) => m.source)).toEqual(['git', 'git', 'git']);
    expect(lock.modules.containerd!.git!.tag).toBe('taskservs/containerd/v1.7.0');
  });

  it('refuses a tag that moved since the lock was written, naming both commits, and changes no file', async () => {
    const settings = await workspace('moved', giteaConfig('moved.git', ['redis:1.0.0']), {
      giteaUrl: daemon.url,
    });
    await git(reposRoot, 'clone', '-q', '--bare', join(reposRoot, 'extensions.git'), 'moved.git');
    await resolveWorkspace({ settings, coreVersion: CORE });
    const before = (
      await git(join(reposRoot, 'moved.git'), 'rev-parse', 'taskservs/redis/v1.0.0^{commit}')
    ).trim();

    // someone re-tags redis 1.0.0 on another commit
    const other = join(tmp.path, 'moved-work');
    await git(tmp.path, 'clone', '-q', '-b', 'main', join(reposRoot, 'moved.git'), other);
    await writeFile(join(other, 'taskservs', 'redis', 'README.md'), 'changed\n');
    await git(other, 'add', '-A');
    await git(other, 'commit', '-q', '-m', 'change');
    await git(other, 'tag', '-f', 'taskservs/redis/v1.0.0');
    await git(other, 'push', '-q', '--force', 'origin', 'taskservs/redis/v1.0.0');
    const after = (await git(other, 'rev-parse', 'HEAD')).trim();

    const files = await snapshot(settings.root);
    const moved = await failure(resolveWorkspace({ settings, coreVersion: CORE }));
    expect(moved.code).toBe('FETCH_FAILED');
    expect((moved.cause as ProvisioningError).code).toBe('GIT_TAG_MOVED');
    expect(moved.exitCode).toBe(3);
    expect(moved.message).toBe(
      `redis:1.0.0: ${daemon.url}/moved.git: tag taskservs/redis/v1.0.0 now points at commit ${after}, the lockfile records ${before}`,
    );
    expect(await snapshot(settings.root)).toEqual(files);

    // --frozen with a cold cache fetches by tag and refuses the same way
    await rm(join(settings.root, '.provisioning'), { recursive: true, force: true });
    const cold = { ...settings, cacheDir: join(tmp.path, 'cold-cache') };
    const frozen = await failure(resolveWorkspace({ settings: cold, coreVersion: CORE, frozen: true }));
    expect(frozen.code).toBe('FETCH_FAILED');
    expect((frozen.cause as ProvisioningError).code).toBe('GIT_TAG_MOVED');
    expect(frozen.message).toContain(before);
    expect(frozen.message).toContain(after);
  });

  it.each([
    ['an unknown repository', 'nope.git', 'redis:1.0.0', 'GIT_REPOSITORY_MISSING'],
    ['a module with no release tag', 'extensions.git', 'valkey:1.0.0', 'MODULE_NOT_FOUND'],
    ['a version with no tag', 'extensions.git', 'redis:9.9.9', 'RESOLUTION_FAILED'],
  ])('%s is one clear error, and no file changes', async (_what, repository, module, code) => {
    const settings = await workspace(`bad-${code}`, giteaConfig(repository, [module]), {
      giteaUrl: daemon.url,
    });
    const files = await snapshot(settings.root);
    const error = await failure(resolveWorkspace({ settings, coreVersion: CORE }));
    // a failure while fetching is reported per module (FETCH_FAILED), its cause carries the code
    const cause = error.code === 'FETCH_FAILED' ? (error.cause as ProvisioningError) : error;
    expect(cause.code).toBe(code);
    if (code !== 'RESOLUTION_FAILED') expect(error.message).not.toContain('\n');
    if (code === 'MODULE_NOT_FOUND') expect(error.message).toContain('valkey:1.0.0: nothing published in');
    if (code === 'GIT_REPOSITORY_MISSING') expect(error.message).toContain(`${daemon.url}/nope.git`);
    expect(await snapshot(settings.root)).toEqual(files);
  });

  it('a server that does not answer is a network error', async () => {
    const settings = await workspace('down', giteaConfig('extensions.git', ['redis:1.0.0']), {
      giteaUrl: 'git://127.0.0.1:9',
    });
    const error = await failure(resolveWorkspace({ settings, coreVersion: CORE }));
    expect((error.cause as ProvisioningError).code).toBe('NETWORK_ERROR');
    expect(error.exitCode).toBe(3);
  });
});

describe('a git server that stops answering', () => {
  it('is a network error after the configured timeout, not a hang', async () => {
    const silent = await startHttpServer(() => new Promise(() => {})); // never answers
    try {
      const text = `dependencies:\n  extensions:\n    modules:\n      taskservs:\n        - "git+http://${silent.host}/x.git#redis:1.0.0"\n`;
      const settings = await workspace('silent', text, { timeoutMs: 1000 });
      const started = Date.now();
      const error = await failure(resolveWorkspace({ settings, coreVersion: CORE }));
      expect((error.cause as ProvisioningError).code).toBe('NETWORK_ERROR');
      expect(Date.now() - started).toBeLessThan(15_000);
    } finally {
      await silent.close();
    }
  });
});

describe('a verify policy', () => {
  it('refuses an unsigned git module when signatures are required, and lets it through with require: false', async () => {
    const { publicKey } = generateKeyPairSync('ec', { namedCurve: 'prime256v1' });
    const keyFile = join(tmp.path, 'team.pub');
    await writeFile(keyFile, publicKey.export({ type: 'spki', format: 'pem' }).toString());
    const policy = (require: boolean) =>
      giteaConfig('extensions.git', ['redis:1.0.0']).replace(
        '    modules:',
        `    verify:\n      keys: ["${keyFile}"]\n      require: ${require}\n    modules:`,
      );
    const strict = await workspace('verify-strict', policy(true), { giteaUrl: daemon.url });
    const refused = await failure(resolveWorkspace({ settings: strict, coreVersion: CORE }));
    expect(refused.code).toBe('SIGNATURE_REFUSED');
    expect(refused.message).toMatch(/^module redis: /);
    const lenient = await workspace('verify-lenient', policy(false), { giteaUrl: daemon.url });
    expect((await resolveWorkspace({ settings: lenient, coreVersion: CORE })).installed).toBe(true);
  });
});

describe('git+ssh://', () => {
  it("talks to git-upload-pack through the user's own GIT_SSH_COMMAND", async () => {
    // a stand-in for ssh that runs the remote command locally, as git's own test suite does
    const fakeSsh = join(tmp.path, 'fake-ssh');
    await writeFile(fakeSsh, '#!/bin/sh\nfor last; do :; done\nexec sh -c "$last"\n', { mode: 0o755 });
    const text = `dependencies:
  extensions:
    modules:
      taskservs:
        - "git+ssh://git@127.0.0.1${reposRoot}/extensions.git#redis:1.0.0"
`;
    const settings = await workspace('ssh', text);
    process.env.GIT_SSH_COMMAND = fakeSsh;
    try {
      await resolveWorkspace({ settings, coreVersion: CORE });
    } finally {
      delete process.env.GIT_SSH_COMMAND;
    }
    const lock = (await readLockfile(settings.root))!;
    expect(lock.modules.redis).toMatchObject({
      source: 'git',
      git: { url: `ssh://git@127.0.0.1${reposRoot}/extensions.git`, tag: 'taskservs/redis/v1.0.0' },
    });
    expect(await verifyInstalledModule(installedModuleDir(settings.root, 'taskserv', 'redis'))).toEqual([]);
  });
});

describe('git+http:// behind basic auth, mixed with OCI modules', () => {
  it('installs a git module whose dependencies come from the OCI registry', async () => {
    await publishToRegistry(
      registry.host,
      'provisioning-extensions',
      [
        { type: 'taskserv', name: 'runc', version: '1.1.13' },
        { type: 'taskserv', name: 'containerd', version: '1.7.2', dependencies: { runc: '>=1.1.0' } },
      ],
      join(tmp.path, 'publish'),
    );
    const text = `dependencies:
  extensions:
    source_type: "oci"
    oci:
      registry: "${registry.host}"
      tls_enabled: false
    modules:
      taskservs:
        - "git+http://127.0.0.1:${http.port}/extensions.git#kubernetes:1.28.0"
        - "redis"
`;
    await publishToRegistry(
      registry.host,
      'provisioning-extensions',
      [{ type: 'taskserv', name: 'redis', version: '1.0.0' }],
      join(tmp.path, 'publish-redis'),
    );
    const settings = await workspace('mixed', text);
    const authorizedBefore = http.authorized;
    const result = await resolveWorkspace({ settings, coreVersion: CORE });
    expect(result.plan.map((e) => e.name).sort()).toEqual(['containerd', 'kubernetes', 'redis', 'runc']);
    expect(http.authorized).toBeGreaterThan(authorizedBefore);
    const lock = (await readLockfile(settings.root))!;
    expect(lock.modules.kubernetes).toMatchObject({
      source: 'git',
      git: { url: `http://127.0.0.1:${http.port}/extensions.git` },
    });
    expect(lock.modules.containerd).toMatchObject({ source: 'oci', version: '1.7.2' });
    expect(lock.modules.redis).toMatchObject({ source: 'oci' });
    const text2 = await readFile(lockfilePath(settings.root), 'utf8');
    expect(text2).not.toContain(PASSWORD);
    for (const name of ['kubernetes', 'containerd', 'runc', 'redis'])
      expect(await verifyInstalledModule(installedModuleDir(settings.root, 'taskserv', name))).toEqual([]);

    // a frozen reinstall with a warm cache goes through the same routes
    await rm(join(settings.root, '.provisioning'), { recursive: true, force: true });
    expect((await resolveWorkspace({ settings, coreVersion: CORE, frozen: true })).installed).toBe(true);
  });

  it('without credentials from a helper: GIT_AUTH_FAILED, no prompt, no file changed', async () => {
    const text = `dependencies:
  extensions:
    modules:
      taskservs:
        - "git+http://127.0.0.1:${http.port}/extensions.git#redis:1.0.0"
`;
    const settings = await workspace('noauth', text);
    const files = await snapshot(settings.root);
    const saved = process.env.GIT_CONFIG_GLOBAL;
    process.env.GIT_CONFIG_GLOBAL = '/dev/null';
    try {
      const error = await failure(resolveWorkspace({ settings, coreVersion: CORE }));
      expect(error.code).toBe('FETCH_FAILED');
      expect((error.cause as ProvisioningError).code).toBe('GIT_AUTH_FAILED');
      expect(error.message).toContain('the server wants credentials, or refused them');
      expect(error.exitCode).toBe(3);
    } finally {
      process.env.GIT_CONFIG_GLOBAL = saved;
    }
    expect(await snapshot(settings.root)).toEqual(files);
  });
});

describe('a new release tag', () => {
  it('shows in check-updates, and `dep update` moves a git root, rewriting its reference', async () => {
    const written = `git+git://127.0.0.1:${daemon.port}/extensions.git#redis:1.0.0`;
    const settings = await workspace(
      'update',
      `dependencies:\n  extensions:\n    modules:\n      taskservs:\n        - "${written}" # pinned\n`,
    );
    await resolveWorkspace({ settings, coreVersion: CORE });
    await release([{ type: 'taskserv', name: 'redis', version: '1.1.0' }]);
    const rows = await checkUpdates(settings, { coreVersion: CORE });
    expect(rows.find((r) => r.name === 'redis')).toMatchObject({ current: '1.0.0', latest: '1.1.0' });
    const updated = await resolveWorkspace({ settings, coreVersion: CORE, update: { name: 'redis' } });
    expect(updated.configChange).toEqual({ name: 'redis', from: '1.0.0', to: '1.1.0' });
    expect(await readFile(join(settings.root, 'config', 'provisioning.yaml'), 'utf8')).toContain(
      `- "${written.replace('redis:1.0.0', 'redis:1.1.0')}" # pinned`,
    );
    expect((await readLockfile(settings.root))!.modules.redis!.git!.tag).toBe('taskservs/redis/v1.1.0');
  });
});
