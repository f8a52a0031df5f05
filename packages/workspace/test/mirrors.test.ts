/**
 * Registry mirrors (docs/sources.md, "Registry mirrors") against real CNCF Distribution registries:
 * an upstream, a full mirror, a partial one, one behind a proxy that tampers with a blob, and one
 * that is not running. Resolves go through the mirrors in order; what is installed is always the
 * content the digests name; pushes go upstream only; with the upstream stopped a workspace still
 * installs from a mirror.
 */
import { createHash } from 'node:crypto';
import { mkdir, readFile, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import {
  configText,
  KUBERNETES_GRAPH,
  publishToRegistry,
  type RegistryProxy,
  settingsFor,
  startProxy,
} from '@provisioning/fixtures';
import { copy, Registry } from '@provisioning/oci-client';
import type { PackResult } from '@provisioning/packager';
import {
  freePort,
  type RunningDistribution,
  startDistribution,
  type TempDir,
  tempDir,
} from '@provisioning/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ExtensionCache } from '../src/cache/cache-store.js';
import { installedModuleDir } from '../src/install/layout-paths.js';
import { verifyInstalledModule } from '../src/install/verify-installed.js';
import { readLockfile } from '../src/lockfile/lockfile-io.js';
import { RegistryClients } from '../src/repository/open-repository.js';
import { resolveWorkspace } from '../src/resolve/resolve-workspace.js';
import type { WorkspaceSettings } from '../src/settings/workspace-settings.js';

const CORE = '3.5.0';
const NS = 'provisioning-extensions';
const FAST_RETRY = { maxTries: 2, baseDelayMs: 1, minDelayMs: 1, maxDelayMs: 5 };

let upstream: RunningDistribution;
let full: RunningDistribution;
let partial: RunningDistribution;
let partialProxy: RegistryProxy;
let tampering: RegistryProxy;
let deadMirror: string;
let tmp: TempDir;
let packed: Map<string, PackResult>;
let run = 0;

const client = (host: string) => new Registry(host, { plainHttp: true, credentials: null });

/** Copy `name:tag` (and everything it references) from the upstream to `host`. */
async function mirrorTag(host: string, name: string, tag: string): Promise<void> {
  const from = client(upstream.host);
  const to = client(host);
  await copy(from.repository(`${NS}/${name}`), tag, to.repository(`${NS}/${name}`), tag);
  await Promise.all([from.close(), to.close()]);
}

beforeAll(async () => {
  [upstream, full, partial] = await Promise.all([
    startDistribution(),
    startDistribution(),
    startDistribution(),
  ]);
  tmp = await tempDir('ws-mirrors-');
  packed = await publishToRegistry(upstream.host, NS, [...KUBERNETES_GRAPH], join(tmp.path, 'publish'));
  for (const spec of KUBERNETES_GRAPH) await mirrorTag(full.host, spec.name, spec.version);
  // the partial mirror holds redis only
  await mirrorTag(partial.host, 'redis', '1.0.0');
  partialProxy = await startProxy(partial.host);
  tampering = await startProxy(full.host);
  deadMirror = `127.0.0.1:${await freePort()}`;
});

afterAll(async () => {
  await Promise.allSettled([partialProxy?.close(), tampering?.close()]);
  await Promise.allSettled([upstream?.stop(), full?.stop(), partial?.stop()]);
  await tmp?.remove();
});

/** A fresh workspace (own cache) whose registry is the upstream, with `mirrors` for it. */
async function workspace(mirrors: string[], modules = ['kubernetes:1.28.0', 'redis:1.0.0']) {
  run += 1;
  const root = join(tmp.path, `ws-${run}`);
  const text = configText({
    registry: upstream.host,
    taskservs: modules.map((m) => `oci://${upstream.host}/${NS}/${m}`),
    extra: `  registry:\n    mirrors:\n      "${upstream.host}": [${mirrors.map((m) => `"${m}"`).join(', ')}]\n`,
  });
  await mkdir(join(root, 'config'), { recursive: true });
  await writeFile(join(root, 'config', 'provisioning.yaml'), text);
  const settings = settingsFor(root, text, { registry: upstream.host, home: join(tmp.path, `home-${run}`) });
  return { ...settings, mirrors: { [upstream.host]: mirrors.map((host) => ({ host })) } };
}

async function resolve(settings: WorkspaceSettings, options: { frozen?: boolean } = {}) {
  const debug: string[] = [];
  const clients = new RegistryClients({
    registry: settings.registry,
    tlsEnabled: false,
    insecure: false,
    home: settings.home,
    retry: FAST_RETRY,
    mirrors: settings.mirrors,
    debug: (line) => debug.push(line),
  });
  try {
    const result = await resolveWorkspace({ settings, coreVersion: CORE, clients, ...options });
    return { result, debug };
  } finally {
    await clients.close();
  }
}

const layerOf = (key: string) => packed.get(key)!.layer.descriptor.digest;
const blobGets = (proxy: RegistryProxy) =>
  proxy.requests.filter((r) => r.method === 'GET' && r.url.includes('/blobs/')).map((r) => r.url);

describe('mirrors with the upstream running', () => {
  it('a partial mirror serves what it has; the rest comes from the upstream; the lock names the upstream', async () => {
    const settings = await workspace([partialProxy.host]);
    const { result, debug } = await resolve(settings);
    expect(result.installed).toBe(true);
    const lock = (await readLockfile(settings.root))!;
    expect(lock.modules.redis?.reference).toBe(`${upstream.host}/${NS}/redis:1.0.0`);
    expect(lock.modules.kubernetes?.layer_digest).toBe(layerOf('kubernetes@1.28.0'));
    // redis's layer came from the mirror, kubernetes's could not
    const gets = blobGets(partialProxy);
    expect(gets.some((url) => url.endsWith(layerOf('redis@1.0.0')))).toBe(true);
    expect(debug.some((l) => l.startsWith(`mirror ${partialProxy.host}/${NS}/kubernetes skipped`))).toBe(
      true,
    );
    expect(debug.some((l) => l.startsWith(`mirror ${partialProxy.host}/${NS}/redis skipped`))).toBe(false);
    for (const name of ['kubernetes', 'redis', 'containerd']) {
      expect(await verifyInstalledModule(installedModuleDir(settings.root, 'taskserv', name))).toEqual([]);
    }
  });

  it('a mirror that is not running is skipped with one debug line, not retried on every read', async () => {
    const settings = await workspace([deadMirror, full.host]);
    const { result, debug } = await resolve(settings);
    expect(result.installed).toBe(true);
    const skipped = debug.filter((l) => l.startsWith(`mirror ${deadMirror}`));
    expect(skipped.length).toBeGreaterThan(0);
    // after its first failure the dead host is no longer asked: every later line reuses that error
    expect(skipped.every((l) => l.includes('NETWORK_ERROR'))).toBe(true);
    expect(await verifyInstalledModule(installedModuleDir(settings.root, 'taskserv', 'redis'))).toEqual([]);
  });

  it('a mirror serving a tampered blob is refused, and the upstream provides the real one', async () => {
    tampering.tamper = new RegExp(layerOf('redis@1.0.0'));
    try {
      const settings = await workspace([tampering.host]);
      const { result, debug } = await resolve(settings);
      expect(result.installed).toBe(true);
      expect(
        debug.some(
          (l) => l.includes(`mirror ${tampering.host}/${NS}/redis`) && l.includes('DIGEST_MISMATCH'),
        ),
      ).toBe(true);
      const lock = (await readLockfile(settings.root))!;
      expect(lock.modules.redis?.layer_digest).toBe(layerOf('redis@1.0.0'));
      expect(await verifyInstalledModule(installedModuleDir(settings.root, 'taskserv', 'redis'))).toEqual([]);
      // the cache holds the verified bytes, not the mirror's
      const cache = new ExtensionCache(settings.cacheDir);
      const layout = (await cache.repository(upstream.host, `${NS}/redis`, false))!;
      const cached = await readFile(layout.blobPath(layerOf('redis@1.0.0')));
      expect(`sha256:${createHash('sha256').update(cached).digest('hex')}`).toBe(layerOf('redis@1.0.0'));
    } finally {
      tampering.tamper = undefined;
    }
  });

  it("a mirror's tag answer is checked: a tag pointing at another version is refused", async () => {
    const liar = await startDistribution();
    try {
      // kubernetes:1.29.0 on the mirror is really 1.28.0's manifest
      const from = client(upstream.host).repository(`${NS}/kubernetes`);
      const to = client(liar.host).repository(`${NS}/kubernetes`);
      await copy(from, '1.28.0', to, '1.29.0');
      for (const dep of ['containerd', 'runc', 'etcd']) {
        const spec = KUBERNETES_GRAPH.find((s) => s.name === dep)!;
        await mirrorTag(liar.host, dep, spec.version);
      }
      const settings = await workspace([liar.host], ['kubernetes:1.29.0']);
      const error = await resolve(settings).catch((e: unknown) => e);
      expect(error).toMatchObject({ cause: { code: 'ARTIFACT_INVALID' } });
      expect((error as Error).message).toContain('its manifest says version 1.28.0, the tag says 1.29.0');
      await expect(stat(join(settings.root, 'config', 'provisioning.lock'))).rejects.toThrow();
    } finally {
      await liar.stop();
    }
  });

  it('pushes go to the upstream only', async () => {
    const clients = new RegistryClients({
      registry: upstream.host,
      tlsEnabled: false,
      insecure: false,
      home: join(tmp.path, 'push-home'),
      retry: FAST_RETRY,
      mirrors: { [upstream.host]: [{ host: full.host }] },
    });
    try {
      const bytes = Buffer.from('pushed through a mirrored repository\n');
      const digest = `sha256:${createHash('sha256').update(bytes).digest('hex')}`;
      const desc = { mediaType: 'application/octet-stream', digest, size: bytes.length };
      await clients.repository(upstream.host, `${NS}/pushed`).push(desc, bytes);
      expect(await client(upstream.host).repository(`${NS}/pushed`).blobExists(digest)).toBe(true);
      expect(await client(full.host).repository(`${NS}/pushed`).blobExists(digest)).toBe(false);
    } finally {
      await clients.close();
    }
  });
});

describe('mirrors with the upstream stopped', () => {
  let locked: WorkspaceSettings;

  beforeAll(async () => {
    locked = await workspace([full.host]);
    await resolve(locked); // a lock written while the upstream still ran
    await upstream.stop();
  });

  it('dep resolve installs from the mirror', async () => {
    const settings = await workspace([deadMirror, full.host]);
    const { result } = await resolve(settings);
    expect(result.installed).toBe(true);
    const lock = (await readLockfile(settings.root))!;
    expect(lock.modules.kubernetes?.manifest_digest).toBe(
      packed.get('kubernetes@1.28.0')!.imageManifestDescriptor.digest,
    );
    expect(lock.modules.kubernetes?.reference).toBe(`${upstream.host}/${NS}/kubernetes:1.28.0`);
    expect(await verifyInstalledModule(installedModuleDir(settings.root, 'taskserv', 'kubernetes'))).toEqual(
      [],
    );
  });

  it('--frozen with a cold cache installs the locked digests from the mirror', async () => {
    const settings = { ...locked, cacheDir: join(tmp.path, 'cold-cache') };
    const { rm } = await import('node:fs/promises');
    await rm(join(settings.root, '.provisioning'), { recursive: true, force: true });
    const { result } = await resolve(settings, { frozen: true });
    expect(result.installed).toBe(true);
    expect(await verifyInstalledModule(installedModuleDir(settings.root, 'taskserv', 'etcd'))).toEqual([]);
  });

  it('a tampered blob on the only reachable mirror fails the install and changes no file', async () => {
    tampering.tamper = new RegExp(layerOf('redis@1.0.0'));
    try {
      const settings = await workspace([tampering.host]);
      const error = await resolve(settings).catch((e: unknown) => e);
      // the fetch step reports each failed download; the one here is the mirror's tampered blob
      expect(error).toMatchObject({ code: 'FETCH_FAILED', cause: { code: 'DIGEST_MISMATCH' } });
      expect((error as Error).message).toContain(`${tampering.host}/${NS}/redis`);
      expect((error as Error).message).toContain(`tried: ${tampering.host}/${NS}/redis`);
      await expect(stat(join(settings.root, 'config', 'provisioning.lock'))).rejects.toThrow();
      await expect(stat(join(settings.root, '.provisioning', 'extensions'))).rejects.toThrow();
    } finally {
      tampering.tamper = undefined;
    }
  });
});
