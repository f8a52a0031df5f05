/**
 * The three places a user's extensions can live (docs/registry.md): the embedded storage (nothing
 * running), the local registry `oci-registry start` runs, and a registry that asks for credentials
 * (CNCF Distribution with htpasswd). One registry per backend, started once per suite.
 */
import { freePort, type RunningDistribution, startDistribution } from '@provisioning/testkit';
import { expect } from 'vitest';
import { StartedRegistries } from '../support/registry-processes.js';
import type { CliResult, Sandbox } from '../support/run-cli.js';

export const USER = 'ci-robot';
export const PASSWORD = 'walkthrough-Passw0rd!';

export interface Backend {
  readonly name: string;
  /** The registry part of every reference, e.g. `localhost:5000`. */
  host: string;
  /** Environment of every command (the registry a user configured). */
  env: Record<string, string>;
  /** Directories outside the sandbox whose content the user's actions change (a registry's storage). */
  storageRoots: string[];
  /** Nothing runs: commands read and write `$PROVISIONING_HOME/oci-registry` directly. */
  readonly embedded: boolean;
  /** What it serves is `$PROVISIONING_HOME/oci-registry`, the storage commands use when no registry runs. */
  readonly sharesEmbeddedStorage: boolean;
  /** Pushing needs `oci login` first. */
  readonly needsLogin: boolean;
  start(box: Sandbox): Promise<void>;
  stop(box: Sandbox): Promise<void>;
}

/** The embedded default is about localhost:5000: a registry answering there would change what is tested. */
async function expectNoRegistryOn5000(): Promise<void> {
  let status = 0;
  try {
    const res = await fetch('http://localhost:5000/v2/', { signal: AbortSignal.timeout(1500) });
    await res.arrayBuffer();
    status = res.status;
  } catch {
    // nothing listens: the embedded storage is in effect
  }
  expect(
    status === 200 || status === 401,
    'a registry answers on localhost:5000: stop it to run this suite',
  ).toBe(false);
}

export function embedded(): Backend {
  return {
    name: 'the embedded storage (no registry running)',
    host: 'localhost:5000',
    env: {},
    storageRoots: [],
    embedded: true,
    sharesEmbeddedStorage: true,
    needsLogin: false,
    start: expectNoRegistryOn5000,
    async stop() {},
  };
}

/** `oci-registry start` on a free port, whichever backend it picks with docker-registry on PATH. */
export function localRegistry(started: StartedRegistries = new StartedRegistries()): Backend {
  return {
    name: 'the registry `oci-registry start` runs',
    host: '',
    env: {},
    storageRoots: [],
    embedded: false,
    sharesEmbeddedStorage: true,
    needsLogin: false,
    async start(box) {
      const port = await freePort();
      const result = await box.run(['oci-registry', 'start', '--port', String(port)]);
      started.record(box.home);
      expect(result.code, result.stderr).toBe(0);
      // it says which backend and that it serves the storage the embedded default uses
      expect(result.stdout).toMatch(new RegExp(`^started the \\w+ registry on 127\\.0\\.0\\.1:${port} `));
      expect(result.stdout).toContain(`storage:  ${box.home}/oci-registry (the embedded storage)`);
      this.host = `localhost:${port}`;
      this.env = { PROVISIONING_REGISTRY: this.host };
    },
    async stop(box) {
      await box.run(['oci-registry', 'stop']);
      expect(started.killLeftovers()).toEqual([]);
    },
  };
}

export function htpasswdDistribution(): Backend {
  let registry: RunningDistribution | undefined;
  return {
    name: 'CNCF Distribution with htpasswd auth',
    host: '',
    env: {},
    storageRoots: [],
    embedded: false,
    sharesEmbeddedStorage: false,
    needsLogin: true,
    async start() {
      registry = await startDistribution({ auth: { htpasswd: { user: USER, password: PASSWORD } } });
      this.host = registry.host;
      this.env = { PROVISIONING_REGISTRY: registry.host };
      this.storageRoots = [registry.storageDir];
    },
    async stop() {
      await registry?.stop();
    },
  };
}

/** Cells of the rows of a table the CLI printed (`│ a │ b │`), header first. */
export function tableRows(stdout: string): string[][] {
  return stdout
    .split('\n')
    .filter((line) => line.startsWith('│'))
    .map((line) =>
      line
        .split('│')
        .slice(1, -1)
        .map((cell) => cell.trim()),
    );
}

/** The JSON a `--json` command printed on stdout (its error object on failure). */
export function json(result: CliResult): Record<string, unknown> & { error?: { code: string } } {
  return JSON.parse(result.stdout);
}
