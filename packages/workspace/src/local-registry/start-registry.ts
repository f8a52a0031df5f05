/**
 * `oci-registry start`: launch a detached registry process serving the local storage, wait until
 * `/v2/` answers, record it in `$PROVISIONING_HOME/oci-registry.json`.
 */
import { spawn } from 'node:child_process';
import { closeSync, openSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { makeDirectory, ProvisioningError } from '@provisioning/schemas';
import { type BackendInputs, chooseBackend, type LaunchPlan, planLaunch } from './backends.js';
import { canListen, endpointOf, registryAnswers } from './health.js';
import { type LoadedLayouts, loadLayoutsInto } from './load-layouts.js';
import { lastLogLine } from './log-file.js';
import { isOurProcess, signalRegistry, waitForExit } from './process-check.js';
import {
  type BackendName,
  type LocalRegistryState,
  readState,
  removeState,
  writeState,
} from './state-file.js';

export const DEFAULT_LOCAL_REGISTRY_PORT = 5000;
export const DEFAULT_LOCAL_REGISTRY_HOST = '127.0.0.1';
export const LOG_FILE = 'oci-registry.log';

export interface StartLocalRegistryOptions {
  home: string;
  /** Embedded layout root (the effective `layoutPath`). */
  layoutRoot: string;
  port?: number;
  host?: string;
  backend?: BackendName;
  /** `PATH` used to find zot / docker-registry (default: the process's). */
  path?: string;
  /** How long to wait for `/v2/` (default 20 s). */
  readyTimeoutMs?: number;
}

export interface StartLocalRegistryResult {
  state: LocalRegistryState;
  /** Things the user should know: a stale state file removed, storage not shared. */
  notes: string[];
  /** A backend with storage of its own (Distribution): what was copied into it from the embedded storage. */
  loaded?: LoadedLayouts;
}

export function logFilePath(home: string): string {
  return join(home, 'logs', LOG_FILE);
}

export async function startLocalRegistry(
  options: StartLocalRegistryOptions,
): Promise<StartLocalRegistryResult> {
  const home = options.home;
  const host = options.host ?? DEFAULT_LOCAL_REGISTRY_HOST;
  const port = options.port ?? DEFAULT_LOCAL_REGISTRY_PORT;
  checkPort(port);
  const endpoint = endpointOf(host, port);
  const notes: string[] = [];

  const previous = await readState(home);
  if (previous) {
    if (await isOurProcess(previous.pid, previous.command)) {
      throw new ProvisioningError(
        'REGISTRY_ALREADY_RUNNING',
        `a local registry is already running: ${previous.backend} on ${previous.endpoint} (pid ${previous.pid})`,
        {
          kind: 'input',
          hint: 'use it as it is, or run `provisioning oci-registry stop` first',
          details: { pid: previous.pid, endpoint: previous.endpoint, backend: previous.backend },
        },
      );
    }
    await removeState(home);
    notes.push(
      `removed a stale state file: the ${previous.backend} registry on ${previous.endpoint} (pid ${previous.pid}) was no longer running`,
    );
  }

  const free = await canListen(host, port);
  if (!free.ok) throw portProblem(free.code, endpoint, await registryAnswers(host, port, 500));

  const choice = chooseBackend(options.backend, options.path);
  const inputs: BackendInputs = { home, layoutRoot: options.layoutRoot, host, port, path: options.path };
  const plan = await planLaunch(choice, inputs);
  const log = logFilePath(home);
  await makeDirectory(join(home, 'logs'));
  const launched = await launch(plan, log, endpoint);
  const pid = launched.pid;
  await waitUntilReady({ launched, plan, host, port, log, timeoutMs: options.readyTimeoutMs ?? 20_000 });
  let loaded: LoadedLayouts | undefined;
  if (!plan.sharesEmbeddedStorage) {
    loaded = await loadEmbeddedStorage(plan, options.layoutRoot, endpoint, pid);
    notes.push(
      `${plan.backend} keeps its own storage in ${plan.storage}: loaded ${loaded.tags} tags of ${loaded.repositories} repositories from the embedded storage ${options.layoutRoot} into it; what you push now stays there (copy it into the embedded storage with \`oci copy\` before \`oci-registry stop\`)`,
    );
  }

  const state: LocalRegistryState = {
    backend: plan.backend,
    pid,
    host,
    port,
    endpoint,
    storage: plan.storage,
    sharesEmbeddedStorage: plan.sharesEmbeddedStorage,
    log,
    command: plan.command,
    startedAt: new Date().toISOString(),
  };
  await writeState(home, state);
  return { state, notes, ...(loaded ? { loaded } : {}) };
}

/** Copies the embedded storage into a backend with storage of its own; on failure stops what was started. */
async function loadEmbeddedStorage(
  plan: LaunchPlan,
  layoutRoot: string,
  endpoint: string,
  pid: number,
): Promise<LoadedLayouts> {
  try {
    return await loadLayoutsInto(layoutRoot, endpoint);
  } catch (error) {
    signalRegistry(pid, 'SIGKILL');
    await waitForExit(pid, 2000);
    const reason = error instanceof ProvisioningError ? error.message : String(error);
    throw new ProvisioningError(
      'REGISTRY_START_FAILED',
      `could not load the embedded storage ${layoutRoot} into the ${plan.backend} registry: ${reason}`,
      {
        kind: 'input',
        hint: 'check the embedded storage, or use --backend builtin (it serves it directly)',
        cause: error,
      },
    );
  }
}

function checkPort(port: number): void {
  if (!Number.isInteger(port) || port < 1 || port > 65535) {
    throw new ProvisioningError('FLAG_INVALID', `--port ${port}: expected a port number 1-65535`, {
      kind: 'usage',
      hint: 'e.g. --port 5000',
    });
  }
}

function portProblem(code: string, endpoint: string, isRegistry: boolean): ProvisioningError {
  if (code === 'EADDRINUSE') {
    return new ProvisioningError(
      'REGISTRY_PORT_BUSY',
      `${endpoint} is already in use${isRegistry ? ' by another registry' : ' by another process'}`,
      {
        kind: 'input',
        hint: isRegistry
          ? 'use that registry as it is, stop it, or pick another port with --port'
          : 'stop what listens there, or pick another port with --port',
        details: { endpoint },
      },
    );
  }
  return new ProvisioningError('REGISTRY_PORT_UNAVAILABLE', `cannot listen on ${endpoint} (${code})`, {
    kind: 'input',
    hint:
      code === 'EACCES'
        ? 'ports below 1024 need privileges: pick another port with --port'
        : 'use a local address such as 127.0.0.1 with --host',
    details: { endpoint, code },
  });
}

interface Launched {
  pid: number;
  /** Set once the child exits (we are its parent while `start` runs, so we learn it directly). */
  exit: { code: number | null; signal: NodeJS.Signals | null } | undefined;
}

/** Spawns the backend detached (own process group, survives this CLI), output appended to the log. */
async function launch(plan: LaunchPlan, log: string, endpoint: string): Promise<Launched> {
  const fd = openSync(log, 'a', 0o600);
  try {
    writeSync(
      fd,
      `--- ${new Date().toISOString()} starting ${plan.backend} on ${endpoint}: ${plan.command.join(' ')}\n`,
    );
    const child = spawn(plan.command[0]!, plan.command.slice(1), {
      detached: true,
      stdio: ['ignore', fd, fd],
    });
    const launched: Launched = { pid: 0, exit: undefined };
    child.once('exit', (code, signal) => {
      launched.exit = { code, signal };
    });
    launched.pid = await new Promise<number>((resolve, reject) => {
      child.once('spawn', () => resolve(child.pid!));
      child.once('error', reject);
    }).catch((error: NodeJS.ErrnoException) => {
      throw new ProvisioningError(
        'REGISTRY_START_FAILED',
        `could not run ${plan.command[0]} (${error.code ?? error.message})`,
        { kind: 'input', hint: 'check the executable, or choose another --backend', cause: error },
      );
    });
    child.unref();
    return launched;
  } finally {
    closeSync(fd);
  }
}

async function waitUntilReady(input: {
  launched: Launched;
  plan: LaunchPlan;
  host: string;
  port: number;
  log: string;
  timeoutMs: number;
}): Promise<void> {
  const { launched, plan, host, port, log } = input;
  const pid = launched.pid;
  const deadline = Date.now() + input.timeoutMs;
  while (Date.now() < deadline) {
    if (launched.exit) {
      const last = await lastLogLine(log);
      throw new ProvisioningError(
        'REGISTRY_START_FAILED',
        `the ${plan.backend} registry exited while starting${last ? `: ${last}` : ''}`,
        { kind: 'input', hint: `see ${log}`, details: { log, backend: plan.backend } },
      );
    }
    // answered, and by our process (not by something that took the port meanwhile)
    if ((await registryAnswers(host, port, 1000)) && !launched.exit) return;
    await sleep(50);
  }
  // never leave a half-started server behind
  signalRegistry(pid, 'SIGKILL');
  await waitForExit(pid, 2000);
  throw new ProvisioningError(
    'REGISTRY_START_TIMEOUT',
    `the ${plan.backend} registry did not answer ${endpointOf(host, port)}/v2/ within ${Math.round(input.timeoutMs / 1000)} s`,
    { kind: 'input', hint: `see ${log}`, details: { log, backend: plan.backend } },
  );
}
