/**
 * The three ways to serve the local registry (docs/registry.md, "The local registry"). Chosen
 * automatically, only those that serve the embedded layout root itself, so the storage a user sees
 * is the same with and without a server: Zot (it stores one OCI layout per repository, like
 * `LayoutStore`), else the built-in server of `@provisioning/oci-client` (always available). CNCF
 * Distribution has a storage format of its own, so it runs only when asked for (`--backend
 * distribution`), in a directory of its own.
 */
import { writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { makeDirectory, ProvisioningError } from '@provisioning/schemas';
import { findExecutable } from './find-executable.js';
import type { BackendName } from './state-file.js';

export interface LaunchPlan {
  backend: BackendName;
  /** Executable first, then its arguments. */
  command: string[];
  storage: string;
  sharesEmbeddedStorage: boolean;
  /** A configuration file written for the backend, if any. */
  configFile?: string;
}

export interface BackendInputs {
  home: string;
  /** The embedded layout root (`registry.path`, default `$PROVISIONING_HOME/oci-registry`). */
  layoutRoot: string;
  host: string;
  port: number;
  /** `PATH` to search (tests pass their own). */
  path?: string | undefined;
}

/** Distribution's filesystem driver layout is not an OCI layout, so it gets a directory of its own. */
export function distributionStorage(home: string): string {
  return join(home, 'oci-registry-distribution');
}

export function builtinServerEntry(): string {
  // `@provisioning/oci-client` → dist/index.js; the detached entry sits beside it
  const index = fileURLToPath(import.meta.resolve('@provisioning/oci-client'));
  return join(dirname(index), 'server', 'main.js');
}

/** Which backend `start` uses: the requested one, else zot when on PATH, else the built-in server. */
export function chooseBackend(
  requested: BackendName | undefined,
  path: string | undefined,
): { backend: BackendName; executable: string } {
  const zot = () => findExecutable('zot', path);
  const distribution = () => findExecutable('docker-registry', path) ?? findExecutable('registry', path);
  if (requested === 'builtin') return { backend: 'builtin', executable: process.execPath };
  if (requested === 'zot') {
    const executable = zot();
    if (!executable)
      throw missingBackend('zot', 'zot', 'install zot (https://zotregistry.dev) or use --backend builtin');
    return { backend: 'zot', executable };
  }
  if (requested === 'distribution') {
    const executable = distribution();
    if (!executable) {
      throw missingBackend(
        'distribution',
        'docker-registry or registry',
        'install it (Debian/Ubuntu: apt-get install docker-registry) or use --backend builtin',
      );
    }
    return { backend: 'distribution', executable };
  }
  const found = zot();
  if (found) return { backend: 'zot', executable: found };
  return { backend: 'builtin', executable: process.execPath };
}

/** Writes the backend's configuration (if it has one) and returns what to run. */
export async function planLaunch(
  choice: { backend: BackendName; executable: string },
  inputs: BackendInputs,
): Promise<LaunchPlan> {
  const { home, layoutRoot, host, port } = inputs;
  await makeDirectory(home);
  switch (choice.backend) {
    case 'zot': {
      await makeDirectory(layoutRoot);
      const configFile = join(home, 'oci-registry-zot.json');
      await writeFile(configFile, `${JSON.stringify(zotConfig(layoutRoot, host, port), null, 2)}\n`);
      return {
        backend: 'zot',
        command: [choice.executable, 'serve', configFile],
        storage: layoutRoot,
        sharesEmbeddedStorage: true,
        configFile,
      };
    }
    case 'distribution': {
      const storage = distributionStorage(home);
      await makeDirectory(storage);
      const configFile = join(home, 'oci-registry-distribution.yml');
      await writeFile(configFile, distributionConfig(storage, host, port));
      return {
        backend: 'distribution',
        command: [choice.executable, 'serve', configFile],
        storage,
        sharesEmbeddedStorage: false,
        configFile,
      };
    }
    case 'builtin': {
      await makeDirectory(layoutRoot);
      return {
        backend: 'builtin',
        command: [
          choice.executable,
          builtinServerEntry(),
          '--root',
          layoutRoot,
          '--port',
          String(port),
          '--host',
          host,
        ],
        storage: layoutRoot,
        sharesEmbeddedStorage: true,
      };
    }
  }
}

/** Zot per the seed: storage root = the layout root, dedupe and garbage collection on, no auth, no TLS. */
export function zotConfig(layoutRoot: string, host: string, port: number): Record<string, unknown> {
  return {
    distSpecVersion: '1.1.0',
    storage: { rootDirectory: layoutRoot, dedupe: true, gc: true },
    http: { address: host, port: String(port) },
    log: { level: 'info' },
  };
}

export function distributionConfig(storage: string, host: string, port: number): string {
  const addr = host.includes(':') ? `[${host}]:${port}` : `${host}:${port}`;
  return [
    'version: 0.1',
    'log:',
    '  level: info',
    'storage:',
    '  filesystem:',
    `    rootdirectory: ${JSON.stringify(storage)}`,
    '  delete:',
    '    enabled: true',
    'http:',
    `  addr: ${JSON.stringify(addr)}`,
    '',
  ].join('\n');
}

function missingBackend(backend: BackendName, binary: string, hint: string): ProvisioningError {
  return new ProvisioningError('REGISTRY_BACKEND_MISSING', `--backend ${backend}: ${binary} is not on PATH`, {
    kind: 'input',
    hint,
  });
}
