/**
 * The core as an OCI artifact (docs/releasing.md, "Core"): `core publish` of the running core and
 * of an older copy built here, `core list`, `core install`, and a workspace pinned to the older
 * core delegating every command to it — against a real Distribution registry and the embedded
 * default storage.
 */
import { execFile } from 'node:child_process';
import { cpSync, existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { type RunningDistribution, startDistribution } from '@provisioning/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CLI_ROOT, expectRefusal, jsonOk, Sandbox } from './support/run-cli.js';

const box = new Sandbox();
const running = JSON.parse(readFileSync(join(CLI_ROOT, 'package.json'), 'utf8')).version as string;
const OLD = `${running.split('.')[0]}.0.0`;
let registry: RunningDistribution;
let env: Record<string, string>;
let oldCore: string;

/** A second core: the built CLI copied with another version (and kcl/ beside it, as in the repository). */
function buildOldCore(dir: string, version: string): string {
  for (const part of ['bin', 'dist', 'oclif.manifest.json'])
    cpSync(join(CLI_ROOT, part), join(dir, part), { recursive: true });
  cpSync(resolve(CLI_ROOT, '..', '..', 'kcl'), join(dir, 'kcl'), { recursive: true });
  const pkg = JSON.parse(readFileSync(join(CLI_ROOT, 'package.json'), 'utf8'));
  writeFileSync(
    join(dir, 'package.json'),
    JSON.stringify({ ...pkg, version, oclif: { ...pkg.oclif, plugins: [] } }),
  );
  const manifest = JSON.parse(readFileSync(join(dir, 'oclif.manifest.json'), 'utf8'));
  writeFileSync(join(dir, 'oclif.manifest.json'), JSON.stringify({ ...manifest, version }));
  return dir;
}

/** Runs the older core's own bin (as its CI would), with the sandbox's environment. */
const runOld = (args: string[]) =>
  new Promise<{ code: number; stdout: string; stderr: string }>((done) => {
    const childEnv = {
      PATH: process.env.PATH ?? '',
      HOME: box.userHome,
      PROVISIONING_HOME: box.home,
      ...env,
    };
    execFile(
      process.execPath,
      [join(oldCore, 'bin', 'run.js'), ...args],
      { cwd: box.root, env: childEnv },
      (error, stdout, stderr) => done({ code: error ? Number(error.code ?? -1) : 0, stdout, stderr }),
    );
  });

beforeAll(async () => {
  registry = await startDistribution();
  env = { PROVISIONING_REGISTRY: registry.host };
  oldCore = buildOldCore(join(box.root, 'old-core'), OLD);
});

afterAll(async () => {
  await registry?.stop();
  box.cleanup();
});

describe('core publish / list / install (Distribution)', () => {
  it('publishes the running core, deterministically; the same content again is a no-op', async () => {
    const first = jsonOk(await box.run(['core', 'publish', '--json'], { env }));
    expect(first.reference).toBe(`${registry.host}/provisioning-core:v${running}`);
    expect(first.outcome).toBe('pushed');
    expect(first.latest).toBe(true);
    const again = jsonOk(await box.run(['core', 'publish', '--json'], { env }));
    expect(again.outcome).toBe('unchanged');
    expect(again.digest).toBe(first.digest);
  });

  it('publishes an older core from its own copy; latest stays on the highest version', async () => {
    const old = await runOld(['core', 'publish', '--json']);
    expect(old.code, old.stderr).toBe(0);
    expect(JSON.parse(old.stdout)).toMatchObject({ version: OLD, outcome: 'pushed', latest: false });
    const { cores } = jsonOk(await box.run(['core', 'list', '--json'], { env }));
    expect(cores.map((c: { version: string }) => c.version)).toEqual([running, OLD]);
    expect(cores.map((c: { latest: boolean }) => c.latest)).toEqual([true, false]);
  });

  it('refuses other content under a published version', async () => {
    writeFileSync(join(oldCore, 'dist', 'extra.js'), '// changed\n');
    const message = expectRefusal(await runOld(['core', 'publish', '--json']), 'VERSION_EXISTS');
    expect(message).toContain(`provisioning-core:v${OLD}`);
  });

  it('installs a published core into $PROVISIONING_HOME/core/VERSION', async () => {
    const installed = jsonOk(await box.run(['core', 'install', running, '--json'], { env }));
    expect(installed.dir).toBe(join(box.home, 'core', running));
    expect(existsSync(join(installed.dir, 'kcl', 'main.k'))).toBe(true);
    expect(existsSync(join(installed.dir, 'schemas', 'workspace-config.schema.json'))).toBe(true);
    expect(readFileSync(join(installed.dir, 'templates', 'provisioning.yaml'), 'utf8')).toContain(
      'provisioning-core',
    );
  });

  it('bad VERSION and an unpublished version are one clear error each', async () => {
    expectRefusal(
      await box.run(['core', 'install', 'not-a-version', '--json'], { env }),
      'CORE_VERSION_ARG_INVALID',
      2,
    );
    const message = expectRefusal(
      await box.run(['core', 'install', '9.9.9', '--json'], { env }),
      'CORE_NOT_PUBLISHED',
    );
    expect(message).toContain(`${registry.host}/provisioning-core:v9.9.9`);
    expectRefusal(
      await box.run(['core', 'publish', `${registry.host}/provisioning-core`, '--json'], { env }),
      'CORE_VERSION_ARG_INVALID',
      2,
    );
  });
});

describe('core install under a verify policy', () => {
  it('refuses an unsigned core and installs it once signed by a trusted key', async () => {
    const password = { PROVISIONING_KEY_PASSWORD: 'core' };
    const prefix = join(box.root, 'core-team');
    jsonOk(await box.run(['oci', 'key', 'generate', '--output', prefix, '--json'], { env: password }));
    const cwd = box.workspace(
      'ws-verify',
      `dependencies:\n  core:\n    source: "oci://${registry.host}/provisioning-core:v${running}"\n  extensions:\n    verify:\n      keys: ["${prefix}.pub"]\n`,
    );
    const home = { ...env, PROVISIONING_HOME: join(box.root, 'verify-home') };
    const refused = await box.run(['core', 'install', running, '--json'], { cwd, env: home });
    expect(expectRefusal(refused, 'SIGNATURE_NOT_FOUND')).toContain(`provisioning-core`);
    expect(existsSync(join(box.root, 'verify-home', 'core', running))).toBe(false);
    const reference = `${registry.host}/provisioning-core:v${running}`;
    jsonOk(
      await box.run(['oci', 'sign', reference, '--key', `${prefix}.key`, '--json'], {
        env: { ...env, ...password },
      }),
    );
    const installed = jsonOk(await box.run(['core', 'install', running, '--json'], { cwd, env: home }));
    expect(installed.outcome).toBe('installed');
    expect(installed.signature_digest).toMatch(/^sha256:/);
    jsonOk(await box.run(['core', 'use', running, '--json'], { cwd, env: home }));
    const which = jsonOk(await box.run(['core', 'which', '--json'], { cwd, env: home }));
    expect(which).toMatchObject({ version: running, dir: installed.dir, reference });
    expectRefusal(
      await box.run(['core', 'use', '1.2.3', '--json'], { cwd, env: home }),
      'CORE_NOT_INSTALLED',
    );
  });
});

describe('a workspace pinned to an older core delegates to it', () => {
  const pinned = (version: string) =>
    box.workspace(
      `ws-${version}`,
      `dependencies:\n  core:\n    source: "oci://${registry.host}/provisioning-core:v${version}"\n`,
    );

  it('--offline without the pinned core installed fails with one line naming the reference', async () => {
    const cwd = pinned(OLD);
    const result = await box.run(['--version', '--offline'], { cwd, env });
    expect(result.code).toBe(1);
    const errors = result.stderr.split('\n').filter((l) => l.startsWith('error:'));
    expect(errors).toEqual([expect.stringContaining(`provisioning-core:v${OLD}`)]);
    expect(existsSync(join(box.home, 'core', OLD))).toBe(false);
  });

  it('installs the pinned core and runs the command there (--version, exit status, stdin)', async () => {
    const cwd = pinned(OLD);
    const version = await box.run(['--version'], { cwd, env });
    expect(version.code, version.stderr).toBe(0);
    expect(version.stdout).toContain(`provisioning/${OLD} `);
    expect(existsSync(join(box.home, 'core', OLD, 'bin', 'run.js'))).toBe(true);
    // the exit status of the pinned core comes through (a usage error: 2)
    const failed = await box.run(['core', 'install', 'bad'], { cwd, env });
    expect(failed.code).toBe(2);
    expect(failed.stderr).toContain('core version "bad"');
    // stdin reaches the pinned core: --password-stdin reads it, and says it needs --username
    const stdin = await box.run(['oci', 'login', registry.host, '--password-stdin'], {
      cwd,
      env,
      input: 'secret',
    });
    expect(stdin.code).not.toBe(0);
    expect(stdin.stderr).toContain('--username');
    const which = jsonOk(await box.run(['core', 'which', '--json'], { cwd, env }));
    expect(which.version).toBe(OLD); // the running (delegated) core answers
    expect(which.from).toBe('workspace pin');
    // the lockfile records the pinned core's digest
    const installed = JSON.parse(readFileSync(join(box.home, 'core', OLD, 'core.json'), 'utf8'));
    expect((await box.run(['dep', 'resolve'], { cwd, env })).code).toBe(0);
    const lock = readFileSync(join(cwd, 'config', 'provisioning.lock'), 'utf8');
    expect(lock).toContain(`core:\n  digest: ${installed.digest}\n  version: ${OLD}\n`);
  });

  it('PROVISIONING_CORE_STRICT=0 and --no-core-pin keep the running core and warn', async () => {
    const cwd = pinned(OLD);
    for (const [args, extra] of [
      [['--version'], { PROVISIONING_CORE_STRICT: '0' }],
      [['--version', '--no-core-pin'], {}],
    ] as const) {
      const result = await box.run([...args], { cwd, env: { ...env, ...extra } });
      expect(result.code, result.stderr).toBe(0);
      expect(result.stdout).toContain(`provisioning/${running} `);
      expect(result.stderr).toMatch(new RegExp(`^warning: this workspace pins core ${OLD}`));
    }
  });

  it('a pin to an unpublished core fails naming the reference', async () => {
    const cwd = pinned('3.99.0');
    const result = await box.run(['--version'], { cwd, env });
    expect(result.code).toBe(1);
    expect(result.stderr).toContain(`${registry.host}/provisioning-core:v3.99.0 is not published`);
  });
});

describe('core publish on the embedded default registry (oci-layout storage)', () => {
  it('publishes, lists and installs without a registry server', async () => {
    const home = join(box.root, 'embedded-home');
    const local = { PROVISIONING_HOME: home };
    const published = jsonOk(await box.run(['core', 'publish', '--json'], { env: local }));
    expect(published.reference).toBe(`localhost:5000/provisioning-core:v${running}`);
    expect(existsSync(join(home, 'oci-registry'))).toBe(true);
    const { cores } = jsonOk(await box.run(['core', 'list', '--json'], { env: local }));
    expect(cores).toEqual([
      expect.objectContaining({ version: running, digest: published.digest, latest: true }),
    ]);
    const installed = jsonOk(await box.run(['core', 'install', running, '--json'], { env: local }));
    expect(installed.digest).toBe(published.digest);
  });
});
