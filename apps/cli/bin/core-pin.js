// Corepack-style core pinning (docs/releasing.md, "Core"): when the workspace's
// dependencies.core.source pins another core than this one, the command runs in that core.
// Kept tiny and dependency-free (no bundle, no YAML library) so that deciding costs ~1 ms: it
// walks up to config/provisioning.yaml, reads the pin with a line scan, and compares versions.
// The full config check (caret rule, CORE_VERSION_MISMATCH) still runs in the bundle.
import { existsSync, readFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const SEMVER = /^\d+\.\d+\.\d+(?:-[0-9A-Za-z.-]+)?(?:\+[0-9A-Za-z.-]+)?$/;

/** The `--workspace DIR` / `-w DIR` / PROVISIONING_WORKSPACE root, else the nearest one above cwd. */
function workspaceConfigFile(argv, env) {
  const flag = workspaceFlag(argv);
  if (flag) return join(resolve(flag), 'config', 'provisioning.yaml');
  if (env.PROVISIONING_WORKSPACE)
    return join(resolve(env.PROVISIONING_WORKSPACE), 'config', 'provisioning.yaml');
  for (let dir = process.cwd(); ; dir = dirname(dir)) {
    const file = join(dir, 'config', 'provisioning.yaml');
    if (existsSync(file)) return file;
    if (dirname(dir) === dir) return undefined;
  }
}

/** The value of `--workspace DIR` / `--workspace=DIR` before any `--`; undefined without one. */
export function workspaceFlag(argv) {
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (arg === '--') return undefined;
    if (arg === '--workspace') return argv[i + 1] || undefined;
    if (arg.startsWith('--workspace=')) return arg.slice('--workspace='.length) || undefined;
  }
  return undefined;
}

/** `dependencies.core.source` by a line scan: `core:` followed by an indented `source:`. */
function pinnedSource(file) {
  let text;
  try {
    text = readFileSync(file, 'utf8');
  } catch {
    return undefined;
  }
  const match = /^\s+core:[ \t]*(?:#.*)?\r?\n(?:\s*#.*\r?\n)*\s+source:[ \t]*["']?([^"'\s#]+)/m.exec(text);
  return match?.[1];
}

/** `oci://host/provisioning-core:v3.4.0` → `3.4.0` (OCI pins only; gitea:// stays with the full check). */
function pinnedVersion(source) {
  if (source.startsWith('gitea://')) return undefined;
  const tag = source.slice(source.lastIndexOf('/') + 1).split(':')[1];
  const version = tag?.startsWith('v') ? tag.slice(1) : tag;
  return version && SEMVER.test(version) ? version : undefined;
}

const truthy = (value) => value !== undefined && value !== '' && value !== '0' && value !== 'false';

/**
 * Runs the command in the pinned core and resolves to true when it did (the exit status is then
 * set); false: carry on with this core. `argv` loses `--no-core-pin` in place.
 */
export async function delegateToPinnedCore(argv, env = process.env) {
  const keepIndex = argv.indexOf('--no-core-pin');
  const keep = keepIndex >= 0;
  if (keep) argv.splice(keepIndex, 1);
  if (env.PROVISIONING_CORE_DELEGATED) return false;
  const file = workspaceConfigFile(argv, env);
  const source = file && pinnedSource(file);
  const version = source && pinnedVersion(source);
  if (!version) return false;
  const root = fileURLToPath(new URL('..', import.meta.url));
  const running = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')).version;
  if (version === running) return false;
  if (keep || env.PROVISIONING_CORE_STRICT === '0') {
    process.stderr.write(
      `warning: this workspace pins core ${version} (${source}); running core ${running} instead (${keep ? '--no-core-pin' : 'PROVISIONING_CORE_STRICT=0'})\n`,
    );
    return false;
  }
  const home = env.PROVISIONING_HOME
    ? resolve(env.PROVISIONING_HOME)
    : join(env.HOME || homedir(), '.provisioning');
  const entry = join(home, 'core', version, 'bin', 'run.js');
  const self = fileURLToPath(new URL('run.js', import.meta.url));
  if (!existsSync(entry)) {
    if (argv.includes('--offline') || truthy(env.PROVISIONING_OFFLINE)) {
      process.stderr.write(
        `error: this workspace pins core ${version} (${source}), which is not installed, and --offline forbids fetching it\n  hint: run \`provisioning core install ${source}\` while online, or pass --no-core-pin\n`,
      );
      process.exitCode = 1;
      return true;
    }
    // The install runs in this core; its errors (CORE_NOT_PUBLISHED, …) name the reference.
    const { spawnSync } = await import('node:child_process');
    const installed = spawnSync(process.execPath, [self, 'core', 'install', source], {
      stdio: ['ignore', 2, 2],
      env: { ...env, PROVISIONING_CORE_DELEGATED: running },
    });
    if (installed.status !== 0) {
      process.exitCode = installed.status ?? 1;
      return true;
    }
  }
  await runChild(entry, argv, { ...env, PROVISIONING_CORE_DELEGATED: version });
  return true;
}

/** stdio inherited; the child's exit status, or its signal, becomes ours. */
async function runChild(entry, argv, env) {
  // loaded here, not at the top: child_process brings net, dgram and streams into every run
  const { spawn } = await import('node:child_process');
  const child = spawn(process.execPath, [entry, ...argv], { stdio: 'inherit', env });
  const signals = ['SIGINT', 'SIGTERM', 'SIGHUP'];
  const forward = (signal) => child.kill(signal);
  for (const signal of signals) process.on(signal, forward);
  return new Promise((done) => {
    child.on('exit', (code, signal) => {
      for (const s of signals) process.off(s, forward);
      if (signal) process.kill(process.pid, signal);
      else process.exitCode = code ?? 1;
      done();
    });
  });
}
