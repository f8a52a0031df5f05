/**
 * Resolve → lock → frozen reinstall without network → update one → check-updates, against a real
 * CNCF Distribution registry (behind a counting/tampering loopback proxy) with real packed extensions.
 */
import { createHash } from 'node:crypto';
import { readFile, readlink, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import {
  configText,
  type ExtensionSpec,
  KUBERNETES_GRAPH,
  makeExtension,
  publishToRegistry,
  pushExtension,
  type RegistryProxy,
  settingsFor,
  startProxy,
  type WorkspaceSpec,
} from '@provisioning/fixtures';
import { Registry } from '@provisioning/oci-client';
import type { PackResult } from '@provisioning/packager';
import { type RunningDistribution, startDistribution, type TempDir, tempDir } from '@provisioning/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { currentGeneration } from '../src/install/generations.js';
import { GENERATION_LOCK_JSON, installedModuleDir } from '../src/install/layout-paths.js';
import { verifyInstalledModule } from '../src/install/verify-installed.js';
import { readLockfile } from '../src/lockfile/lockfile-io.js';
import { RegistryClients } from '../src/repository/open-repository.js';
import { checkUpdates } from '../src/resolve/check-updates.js';
import { frozenUpToDate } from '../src/resolve/frozen-check.js';
import {
  type ResolveWorkspaceOptions,
  resolveWorkspace as resolveWith,
} from '../src/resolve/resolve-workspace.js';
import type { WorkspaceSettings } from '../src/settings/workspace-settings.js';

const CORE = '3.5.0';
const SPECS: ExtensionSpec[] = [
  ...KUBERNETES_GRAPH.filter((s) => s.name !== 'redis'),
  { type: 'taskserv', name: 'etcd', version: '3.5.10' },
  {
    type: 'taskserv',
    name: 'kubernetes',
    version: '1.30.0',
    dependencies: { containerd: '>=1.7.0', etcd: '>=3.5.0' },
    minCore: '4.0.0',
  },
  { type: 'taskserv', name: 'cilium', version: '1.14.0', dependencies: { kubernetes: '>=1.27.0' } },
  { type: 'provider', name: 'aws', version: '2.0.0' },
  { type: 'cluster', name: 'legacy', version: '1.0.0', dependencies: { etcd: '<3.0.0' } },
];

let registry: RunningDistribution;
let proxy: RegistryProxy;
let tmp: TempDir;
let packed: Map<string, PackResult>;
let orchestratorDigest: string;

beforeAll(async () => {
  registry = await startDistribution();
  proxy = await startProxy(registry.host);
  tmp = await tempDir('ws-resolve-');
  packed = await publishToRegistry(
    registry.host,
    'provisioning-extensions',
    SPECS,
    join(tmp.path, 'publish'),
  );
  // a "platform image": any manifest will do for digest pinning
  const dir = await makeExtension(join(tmp.path, 'image'), {
    type: 'provider',
    name: 'orchestrator',
    version: '1.2.0',
  });
  const image = await pushExtension(
    dir,
    new Registry(registry.host, { plainHttp: true, credentials: null }).repository(
      'provisioning-platform/orchestrator',
    ),
    join(tmp.path, 'image-out'),
  );
  await new Registry(registry.host, { plainHttp: true, credentials: null })
    .repository('provisioning-platform/orchestrator')
    .tag(image.imageManifestDescriptor, 'v1.2.0');
  orchestratorDigest = image.imageManifestDescriptor.digest;
});

afterAll(async () => {
  await proxy?.close().catch(() => undefined);
  await registry?.stop().catch(() => undefined);
  await tmp?.remove();
});

async function workspace(name: string, spec: Omit<WorkspaceSpec, 'registry'>, home = join(tmp.path, 'home')) {
  const root = join(tmp.path, name);
  const text = configText({ registry: proxy.host, ...spec });
  const { mkdir } = await import('node:fs/promises');
  await mkdir(join(root, 'config'), { recursive: true });
  await writeFile(join(root, 'config', 'provisioning.yaml'), text);
  return settingsFor(root, text, { registry: proxy.host, home });
}

async function reload(settings: WorkspaceSettings): Promise<WorkspaceSettings> {
  const text = await readFile(join(settings.root, 'config', 'provisioning.yaml'), 'utf8');
  return {
    ...settingsFor(settings.root, text, { registry: settings.registry, home: settings.home }),
    cacheDir: settings.cacheDir,
  };
}

const FAST_RETRY = { maxTries: 2, baseDelayMs: 1, minDelayMs: 1, maxDelayMs: 5 };
/** Real registry clients, with short retry delays so failure cases stay fast. */
function resolveWorkspace(options: ResolveWorkspaceOptions) {
  const s = options.settings;
  const clients = new RegistryClients({
    registry: s.registry,
    tlsEnabled: false,
    insecure: false,
    home: s.home,
    retry: FAST_RETRY,
  });
  return resolveWith({ clients, ...options });
}

const ref = (name: string, version: string) =>
  `oci://${proxy.host}/provisioning-extensions/${name}:${version}`;

describe('resolve against a real registry', () => {
  let settings: WorkspaceSettings;

  it('resolves, installs in dependency order and writes the lockfile', async () => {
    settings = await workspace('main', {
      providers: [ref('aws', '2.0.0')],
      taskservs: [ref('kubernetes', '1.28.0'), ref('cilium', '1.14.0')],
      core: `oci://${proxy.host}/provisioning-core:v3.5.0`,
      images: { orchestrator: `${proxy.host}/provisioning-platform/orchestrator:v1.2.0` },
    });
    const result = await resolveWorkspace({ settings, coreVersion: CORE });
    expect(result.installed).toBe(true);
    const order = result.plan.map((e) => e.name);
    expect(order.indexOf('runc')).toBeLessThan(order.indexOf('containerd'));
    expect(order.indexOf('containerd')).toBeLessThan(order.indexOf('kubernetes'));
    expect(order.indexOf('etcd')).toBeLessThan(order.indexOf('kubernetes'));
    expect(order.indexOf('kubernetes')).toBeLessThan(order.indexOf('cilium'));
    expect(result.plan.every((e) => e.action === 'install')).toBe(true);

    const lock = (await readLockfile(settings.root))!;
    expect(lock.core.version).toBe(CORE);
    expect(Object.keys(lock.modules).sort()).toEqual([
      'aws',
      'cilium',
      'containerd',
      'etcd',
      'kubernetes',
      'runc',
    ]);
    expect(lock.modules.etcd!.version).toBe('3.5.10'); // highest within >=3.5.0
    const k8s = lock.modules.kubernetes!;
    expect(k8s).toMatchObject({
      type: 'taskserv',
      version: '1.28.0',
      reference: `${proxy.host}/provisioning-extensions/kubernetes:1.28.0`,
      source: 'oci',
      dependencies: { containerd: '1.7.0', etcd: '3.5.10' },
    });
    const published = packed.get('kubernetes@1.28.0')!;
    expect(k8s.manifest_digest).toBe(published.imageManifestDescriptor.digest);
    expect(k8s.layer_digest).toBe(published.layer.descriptor.digest);
    expect(lock.modules.aws!.type).toBe('provider');
    expect(lock.platform?.images.orchestrator).toEqual({
      reference: `${proxy.host}/provisioning-platform/orchestrator:v1.2.0`,
      digest: orchestratorDigest,
    });

    const dir = installedModuleDir(settings.root, 'taskserv', 'kubernetes');
    expect(await readFile(join(dir, 'manifest.yaml'), 'utf8')).toContain('version: 1.28.0');
    expect(await verifyInstalledModule(dir)).toEqual([]);
    expect(await readlink(join(settings.root, '.provisioning', 'extensions'))).toMatch(/^generations\//);
  });

  it('a second run changes nothing and downloads no blob', async () => {
    const before = proxy.requests.length;
    const lockBefore = await readFile(join(settings.root, 'config', 'provisioning.lock'), 'utf8');
    const result = await resolveWorkspace({ settings, coreVersion: CORE });
    expect(result.installed).toBe(false);
    expect(result.plan.every((e) => e.action === 'keep')).toBe(true);
    expect(await readFile(join(settings.root, 'config', 'provisioning.lock'), 'utf8')).toBe(lockBefore);
    const made = proxy.requests.slice(before);
    expect(made.filter((r) => r.url.includes('/blobs/'))).toEqual([]);
  });

  it('--frozen reinstalls exactly the lockfile from a warm cache with zero network requests', async () => {
    await rm(join(settings.root, '.provisioning'), { recursive: true, force: true });
    const lockBefore = await readFile(join(settings.root, 'config', 'provisioning.lock'), 'utf8');
    const before = proxy.requests.length;
    const result = await resolveWorkspace({ settings, coreVersion: CORE, frozen: true });
    expect(proxy.requests.length - before).toBe(0);
    expect(result.installed).toBe(true);
    expect(await readFile(join(settings.root, 'config', 'provisioning.lock'), 'utf8')).toBe(lockBefore);
    expect(await verifyInstalledModule(installedModuleDir(settings.root, 'taskserv', 'cilium'))).toEqual([]);
  });

  it('the frozen fast path says up to date only when config, lock and installed files all agree', async () => {
    const fast = await frozenUpToDate(settings, { coreVersion: CORE });
    expect(fast?.plan.map((e) => e.action)).toEqual(['keep', 'keep', 'keep', 'keep', 'keep', 'keep']);
    const file = join(installedModuleDir(settings.root, 'taskserv', 'runc'), 'defaults.yaml');
    const original = await readFile(file);
    await writeFile(file, original); // same bytes, but rewritten: the full path re-verifies it
    expect(await frozenUpToDate(settings, { coreVersion: CORE })).toBeUndefined();
    const full = await resolveWorkspace({ settings, coreVersion: CORE, frozen: true });
    expect(full.installed).toBe(false); // intact after hashing: kept, and its stamps refreshed
    expect(full.plan.every((e) => e.action === 'keep')).toBe(true);
    expect(await frozenUpToDate(settings, { coreVersion: CORE })).toBeDefined();
  });

  it('the frozen fast path reads the parsed lockfile of the generation only for the exact same text', async () => {
    const current = (await currentGeneration(settings.root))!;
    const parsedFile = join(current, GENERATION_LOCK_JSON);
    const record = JSON.parse(await readFile(parsedFile, 'utf8'));
    expect(record.lockfile).toEqual(await readLockfile(settings.root));
    // a parsed copy that says something else is used as long as it names this text: prove it is read
    const tampered = { ...record, lockfile: { ...record.lockfile, modules: {} } };
    await writeFile(parsedFile, JSON.stringify(tampered));
    expect(await frozenUpToDate(settings, { coreVersion: CORE })).toBeUndefined();
    // tied to another text (or unreadable), it is ignored and the YAML is parsed instead
    await writeFile(parsedFile, JSON.stringify({ ...tampered, text_sha256: '0'.repeat(64) }));
    expect(await frozenUpToDate(settings, { coreVersion: CORE })).toBeDefined();
    await writeFile(parsedFile, '{not json');
    expect(await frozenUpToDate(settings, { coreVersion: CORE })).toBeDefined();
    await writeFile(parsedFile, JSON.stringify(record));
    expect(await frozenUpToDate(settings, { coreVersion: CORE })).toBeDefined();
  });

  it('a plain resolve is a no-op on the fast path only when this core made the lockfile', async () => {
    expect(await frozenUpToDate(settings, { coreVersion: CORE, unfrozen: true })).toBeDefined();
    // another core solves again (and records itself); --frozen keeps the lock whatever core made it
    expect(await frozenUpToDate(settings, { coreVersion: '3.6.0', unfrozen: true })).toBeUndefined();
    expect(await frozenUpToDate(settings, { coreVersion: '3.6.0' })).toBeDefined();
  });

  it('--frozen keeps the lockfile byte for byte, even formatted by hand, and stays on the fast path', async () => {
    const file = join(settings.root, 'config', 'provisioning.lock');
    const original = await readFile(file, 'utf8');
    const edited = `${original}# reviewed by hand\n`;
    await writeFile(file, edited);
    try {
      await rm(join(settings.root, '.provisioning'), { recursive: true, force: true });
      const reinstall = await resolveWorkspace({ settings, coreVersion: CORE, frozen: true });
      expect(reinstall.installed).toBe(true);
      expect(await readFile(file, 'utf8')).toBe(edited);
      expect(await frozenUpToDate(settings, { coreVersion: CORE })).toBeDefined();
      const again = await resolveWorkspace({ settings, coreVersion: CORE, frozen: true });
      expect(again.installed).toBe(false);
    } finally {
      await writeFile(file, original);
      await resolveWorkspace({ settings, coreVersion: CORE, frozen: true });
    }
  });

  it('--frozen fails with LOCK_STALE naming what differs', async () => {
    const stale = await workspace('stale', { taskservs: [ref('kubernetes', '1.29.0')] });
    await writeFile(
      join(stale.root, 'config', 'provisioning.lock'),
      await readFile(join(settings.root, 'config', 'provisioning.lock'), 'utf8'),
    );
    const error = await resolveWorkspace({ settings: stale, coreVersion: CORE, frozen: true }).catch(
      (e) => e,
    );
    expect(error.code).toBe('LOCK_STALE');
    expect(error.message).toContain('kubernetes: the config pins 1.29.0, the lockfile has 1.28.0');
    expect(error.message).toContain('aws is in the lockfile but nothing in the config needs it');
    expect(error.hint).toContain('without --frozen');
  });

  it('updates one transitive module and keeps every other version', async () => {
    const before = (await readLockfile(settings.root))!;
    const result = await resolveWorkspace({
      settings,
      coreVersion: CORE,
      update: { name: 'etcd', to: '3.5.9' },
    });
    const after = (await readLockfile(settings.root))!;
    expect(after.modules.etcd!.version).toBe('3.5.9');
    expect(after.modules.kubernetes!.dependencies.etcd).toBe('3.5.9');
    for (const name of ['aws', 'cilium', 'containerd', 'kubernetes', 'runc']) {
      expect(after.modules[name]).toEqual(
        before.modules[name] && { ...before.modules[name], dependencies: after.modules[name]!.dependencies },
      );
    }
    expect(result.plan.find((e) => e.name === 'etcd')).toMatchObject({
      action: 'downgrade',
      previous: '3.5.10',
    });
    expect(
      result.plan
        .filter((e) => e.action === 'keep')
        .map((e) => e.name)
        .sort(),
    ).toEqual(['aws', 'cilium', 'containerd', 'kubernetes', 'runc']);
    expect(result.configChange).toBeUndefined();
  });

  it('check-updates lists current, wanted and latest (a newer core-incompatible release is not wanted)', async () => {
    const rows = await checkUpdates(settings, { coreVersion: CORE });
    const byName = new Map(rows.map((r) => [r.name, r]));
    expect(byName.get('etcd')).toMatchObject({ current: '3.5.9', wanted: '3.5.10', latest: '3.5.10' });
    expect(byName.get('kubernetes')).toMatchObject({ current: '1.28.0', wanted: '1.28.0', direct: true });
    expect(byName.has('runc')).toBe(false);
  });

  it('dep update of a root moves its pin in the config, keeping comments', async () => {
    const result = await resolveWorkspace({ settings, coreVersion: CORE, update: { name: 'kubernetes' } });
    // 1.30.0 needs core 4.0.0: the solver skips it
    expect(result.configChange).toEqual({ name: 'kubernetes', from: '1.28.0', to: '1.29.0' });
    const text = await readFile(join(settings.root, 'config', 'provisioning.yaml'), 'utf8');
    expect(text).toContain(ref('kubernetes', '1.29.0'));
    expect(text).not.toContain(ref('kubernetes', '1.28.0'));
    expect(text).toContain('# test workspace');
    expect(text).toContain('# where extensions come from');
    settings = await reload(settings);
    const lock = (await readLockfile(settings.root))!;
    expect(lock.modules.kubernetes!.version).toBe('1.29.0');
    expect(lock.modules.etcd!.version).toBe('3.5.9'); // still locked
    // and the new config + lock agree for --frozen
    const frozen = await resolveWorkspace({ settings, coreVersion: CORE, frozen: true });
    expect(frozen.installed).toBe(false);
  });

  it('a tampered blob from the registry aborts with nothing installed', async () => {
    const fresh = { ...settings, cacheDir: join(tmp.path, 'fresh-cache') };
    const lockBefore = await readFile(join(settings.root, 'config', 'provisioning.lock'), 'utf8');
    const linkBefore = await readlink(join(settings.root, '.provisioning', 'extensions'));
    const { readdir } = await import('node:fs/promises');
    const generationsDir = join(settings.root, '.provisioning', 'generations');
    const generationsBefore = await readdir(generationsDir);
    expect(generationsBefore).toContain(linkBefore.split('/')[1]);
    const layer = packed.get('etcd@3.5.10')!.layer.descriptor.digest;
    proxy.tamper = new RegExp(`/blobs/${layer}`);
    try {
      const error = await resolveWorkspace({
        settings: fresh,
        coreVersion: CORE,
        update: { name: 'etcd' },
      }).catch((e) => e);
      expect(error.code).toBe('FETCH_FAILED');
      expect(error.message).toContain('etcd:3.5.10');
      expect(String(error.message)).toMatch(/does not match|hashes to/);
    } finally {
      proxy.tamper = undefined;
    }
    expect(await readFile(join(settings.root, 'config', 'provisioning.lock'), 'utf8')).toBe(lockBefore);
    expect(await readlink(join(settings.root, '.provisioning', 'extensions'))).toBe(linkBefore);
    // the unfinished generation is gone; the kept history is untouched
    expect(await readdir(generationsDir)).toEqual(generationsBefore);
  });

  it('a tampered blob in the cache aborts a frozen install with nothing installed', async () => {
    const lock = (await readLockfile(settings.root))!;
    const [, hex] = lock.modules.runc!.layer_digest.split(':');
    const blob = join(
      settings.cacheDir,
      proxy.host.replace(':', '_'),
      'provisioning-extensions',
      'runc',
      'blobs',
      'sha256',
      hex!,
    );
    const original = await readFile(blob);
    const corrupt = Buffer.from(original);
    corrupt[corrupt.length >> 1]! ^= 0xff;
    await writeFile(blob, corrupt);
    await rm(join(settings.root, '.provisioning'), { recursive: true, force: true });
    // the verified trees would be linked without reading the blob: empty the tree store
    await rm(join(settings.cacheDir, '.trees'), { recursive: true, force: true });
    try {
      const error = await resolveWorkspace({ settings, coreVersion: CORE, frozen: true }).catch((e) => e);
      expect(error.code).toBe('DIGEST_MISMATCH');
      // and no tree was made from the tampered layer
      const { readdir } = await import('node:fs/promises');
      expect(await readdir(join(settings.cacheDir, '.trees', 'sha256')).catch(() => [])).not.toContain(hex);
      const { lstat } = await import('node:fs/promises');
      await expect(lstat(join(settings.root, '.provisioning', 'extensions'))).rejects.toThrow(/ENOENT/);
    } finally {
      await writeFile(blob, original);
    }
    const again = await resolveWorkspace({ settings, coreVersion: CORE, frozen: true });
    expect(again.installed).toBe(true);
  });

  it('--offline works from the cache alone and names what is missing', async () => {
    const before = proxy.requests.length;
    const offline = await workspace('offline', { taskservs: [ref('kubernetes', '1.29.0')] });
    const ok = await resolveWorkspace({
      settings: { ...offline, cacheDir: settings.cacheDir },
      coreVersion: CORE,
      offline: true,
    });
    expect(ok.installed).toBe(true);
    expect(proxy.requests.length).toBe(before);
    const missing = await workspace('offline-missing', { clusters: [ref('legacy', '1.0.0')] });
    const error = await resolveWorkspace({
      settings: { ...missing, cacheDir: settings.cacheDir },
      coreVersion: CORE,
      offline: true,
    }).catch((e) => e);
    expect(error.code).toMatch(/CACHE_MISS|FETCH_FAILED/);
    expect(error.message).toContain('provisioning-extensions/legacy');
    expect(error.hint).toContain('--offline');
  });

  it('broken artifacts are all reported at once, each reference named', async () => {
    const client = new Registry(registry.host, { plainHttp: true, credentials: null });
    // two plain container-image manifests where extensions are expected
    const config = Buffer.from('{}');
    const configDesc = {
      mediaType: 'application/vnd.oci.image.config.v1+json',
      digest: `sha256:${createHash('sha256').update(config).digest('hex')}`,
      size: config.length,
    };
    for (const name of ['broken-a', 'broken-b']) {
      const repo = client.repository(`provisioning-extensions/${name}`);
      await repo.push(configDesc, config);
      const manifest = Buffer.from(
        JSON.stringify({
          schemaVersion: 2,
          mediaType: 'application/vnd.oci.image.manifest.v1+json',
          config: configDesc,
          layers: [],
        }),
      );
      await repo.pushManifest(manifest, 'application/vnd.oci.image.manifest.v1+json', '1.0.0');
    }
    const broken = await workspace('broken', {
      taskservs: [ref('broken-a', '1.0.0'), ref('broken-b', '1.0.0'), ref('runc', '1.1.12')],
    });
    const error = await resolveWorkspace({ settings: broken, coreVersion: CORE }).catch((e) => e);
    expect(error.code).toBe('FETCH_FAILED');
    const lines = String(error.message).split('\n');
    expect(lines).toHaveLength(2);
    expect(lines[0]).toContain('broken-a:1.0.0');
    expect(lines[1]).toContain('broken-b:1.0.0');
    expect(error.message).toContain('is a container image, not a provisioning extension');
  });

  it('an extension whose config blob is over the cap is refused before the blob is downloaded', async () => {
    const client = new Registry(registry.host, { plainHttp: true, credentials: null });
    const repo = client.repository('provisioning-extensions/huge-config');
    const config = Buffer.from(JSON.stringify({ name: 'huge-config', padding: 'x'.repeat(1_200_000) }));
    const configDesc = {
      mediaType: 'application/vnd.provisioning.extension.config.v1+json',
      digest: `sha256:${createHash('sha256').update(config).digest('hex')}`,
      size: config.length,
    };
    await repo.push(configDesc, config);
    const layer = Buffer.from('never downloaded');
    const layerDesc = {
      mediaType: 'application/vnd.provisioning.extension.content.v1.tar+gzip',
      digest: `sha256:${createHash('sha256').update(layer).digest('hex')}`,
      size: layer.length,
    };
    await repo.push(layerDesc, layer);
    const manifest = Buffer.from(
      JSON.stringify({
        schemaVersion: 2,
        mediaType: 'application/vnd.oci.image.manifest.v1+json',
        artifactType: 'application/vnd.provisioning.extension.v1',
        config: configDesc,
        layers: [layerDesc],
      }),
    );
    await repo.pushManifest(manifest, 'application/vnd.oci.image.manifest.v1+json', '1.0.0');
    const huge = await workspace('huge-config', { taskservs: [ref('huge-config', '1.0.0')] });
    const before = proxy.requests.length;
    const error = await resolveWorkspace({ settings: huge, coreVersion: CORE }).catch((e) => e);
    expect(error.code).toBe('FETCH_FAILED');
    expect(error.message).toContain('huge-config:1.0.0 config is larger than 1048576 bytes');
    const made = proxy.requests.slice(before);
    expect(made.filter((r) => r.url.includes(configDesc.digest))).toEqual([]);
  });

  it('modules that are not published anywhere are named together, with where they were looked for', async () => {
    const ghost = await workspace('ghost', {
      taskservs: [ref('nginx', '1.0.0'), ref('runc', '1.1.12'), 'ghost'],
    });
    const error = await resolveWorkspace({ settings: ghost, coreVersion: CORE }).catch((e) => e);
    expect(error.code).toBe('MODULE_NOT_FOUND');
    expect(error.message.split('\n')).toEqual([
      `ghost: nothing published in ${proxy.host}/provisioning-extensions/ghost`,
      `${ref('nginx', '1.0.0')}: nothing published in ${proxy.host}/provisioning-extensions/nginx`,
    ]);
    expect(error.hint).toContain('oci push');
  });

  it('a mistyped module gets the closest published name from the catalog', async () => {
    const typo = await workspace('typo', { taskservs: [ref('rnuc', '1.1.12')] });
    const error = await resolveWorkspace({ settings: typo, coreVersion: CORE }).catch((e) => e);
    expect(error.code).toBe('MODULE_NOT_FOUND');
    expect(error.message).toBe(
      `${ref('rnuc', '1.1.12')}: nothing published in ${proxy.host}/provisioning-extensions/rnuc (did you mean runc?)`,
    );
  });

  it('an unsatisfiable workspace reports the solver explanation', async () => {
    const bad = await workspace('unsat', {
      taskservs: [ref('kubernetes', '1.28.0')],
      clusters: [ref('legacy', '1.0.0')],
    });
    const error = await resolveWorkspace({ settings: bad, coreVersion: CORE }).catch((e) => e);
    expect(error.code).toBe('RESOLUTION_FAILED');
    expect(error.explanation).toContain('legacy');
    expect(error.explanation).toContain('etcd');
    expect(error.explanation).toMatch(/version solving failed/);
  });

  it('a pinned core the CLI does not satisfy fails before solving', async () => {
    const bad = await workspace('core', {
      taskservs: [ref('runc', '1.1.12')],
      core: `oci://${proxy.host}/provisioning-core:v4.0.0`,
    });
    await expect(resolveWorkspace({ settings: bad, coreVersion: CORE })).rejects.toMatchObject({
      code: 'CORE_VERSION_MISMATCH',
      message: expect.stringContaining('running provisioning 3.5.0'),
    });
  });

  it('an unreachable platform image is named in the error', async () => {
    const bad = await workspace('image', {
      taskservs: [ref('runc', '1.1.12')],
      images: { control_center: '127.0.0.1:1/provisioning-platform/control-center:v1.2.0' },
    });
    const error = await resolveWorkspace({ settings: bad, coreVersion: CORE }).catch((e) => e);
    expect(error.code).toBe('PLATFORM_IMAGE_UNRESOLVED');
    expect(error.message).toContain(
      'platform image control_center (127.0.0.1:1/provisioning-platform/control-center:v1.2.0)',
    );
  });
});

describe('with the registry gone', () => {
  it('--frozen still reinstalls everything from the cache', async () => {
    const root = join(tmp.path, 'main');
    const text = await readFile(join(root, 'config', 'provisioning.yaml'), 'utf8');
    const settings = settingsFor(root, text, { registry: proxy.host, home: join(tmp.path, 'home') });
    await proxy.close();
    await registry.stop();
    await rm(join(root, '.provisioning'), { recursive: true, force: true });
    const result = await resolveWorkspace({ settings, coreVersion: CORE, frozen: true });
    expect(result.installed).toBe(true);
    expect(await verifyInstalledModule(installedModuleDir(root, 'taskserv', 'kubernetes'))).toEqual([]);
    // and a normal resolve now fails clearly instead of installing anything
    const error = await resolveWorkspace({ settings, coreVersion: CORE, update: { name: 'etcd' } }).catch(
      (e) => e,
    );
    expect(error.kind).toMatch(/network|registry/);
    expect(error.exitCode).toBe(3);
  });
});
