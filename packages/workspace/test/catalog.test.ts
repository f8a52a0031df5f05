/**
 * The catalog's read operations against a real CNCF Distribution holding packed sample extensions:
 * namespaces, search with filters, describe, dependency graph, dry-run resolve (success and the
 * PubGrub explanation), workspace status and `why`, and that a dry run writes nothing.
 */
import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import {
  type ExtensionSpec,
  KUBERNETES_GRAPH,
  publishToRegistry,
  writeWorkspace,
} from '@provisioning/fixtures';
import { type RunningDistribution, startDistribution, type TempDir, tempDir } from '@provisioning/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadEffectiveConfig } from '../src/config/load-effective-config.js';
import {
  dependencyGraph,
  describeExtension,
  explainVersion,
  listNamespaces,
  parseModuleRequest,
  resolveDryRun,
  searchCatalog,
  workspaceStatus,
} from '../src/index.js';
import { OciSession } from '../src/oci/oci-session.js';
import { resolveWorkspace } from '../src/resolve/resolve-workspace.js';
import { settingsFromEffectiveConfig, type WorkspaceSettings } from '../src/settings/workspace-settings.js';

const CORE = '3.5.0';
const SPECS: ExtensionSpec[] = [
  ...KUBERNETES_GRAPH,
  { type: 'provider', name: 'aws', version: '2.0.0' },
  { type: 'cluster', name: 'legacy', version: '1.0.0', dependencies: { etcd: '<3.0.0' } },
];

let registry: RunningDistribution;
let tmp: TempDir;
let session: OciSession;
let settings: WorkspaceSettings;

beforeAll(async () => {
  registry = await startDistribution();
  tmp = await tempDir('catalog-');
  await publishToRegistry(registry.host, 'provisioning-extensions', SPECS, join(tmp.path, 'publish'));
  await publishToRegistry(
    registry.host,
    'team/extra',
    [{ type: 'taskserv', name: 'tool', version: '0.1.0' }],
    join(tmp.path, 'publish2'),
  );
  const root = join(tmp.path, 'ws');
  await writeWorkspace(root, { registry: registry.host, taskservs: ['kubernetes:1.29.0'] });
  const config = await loadEffectiveConfig({ cwd: root, env: { PROVISIONING_HOME: join(tmp.path, 'home') } });
  session = new OciSession(config);
  settings = settingsFromEffectiveConfig(config);
});

afterAll(async () => {
  await session?.close();
  await registry?.stop().catch(() => undefined);
  await tmp?.remove();
});

describe('catalog', () => {
  it('lists namespaces with their extension counts', async () => {
    const namespaces = await listNamespaces(session);
    expect(namespaces).toEqual([
      { name: 'provisioning-extensions', extensionCount: 7 },
      { name: 'team/extra', extensionCount: 1 },
    ]);
  });

  it('searches by text and type, with tags newest first', async () => {
    const all = await searchCatalog(session);
    expect(all.map((e) => e.name).sort()).toEqual([
      'aws',
      'containerd',
      'etcd',
      'kubernetes',
      'legacy',
      'redis',
      'runc',
    ]);
    const k8s = all.find((e) => e.name === 'kubernetes')!;
    expect(k8s).toMatchObject({ type: 'taskserv', latestVersion: '1.29.0', tags: ['1.29.0', '1.28.0'] });
    expect((await searchCatalog(session, { type: 'provider' })).map((e) => e.name)).toEqual(['aws']);
    expect((await searchCatalog(session, { text: 'KUBER' })).map((e) => e.name)).toEqual(['kubernetes']);
    expect((await searchCatalog(session, { namespace: 'team/extra' })).map((e) => e.name)).toEqual(['tool']);
  });

  it('describes one extension version with its dependencies and signature status', async () => {
    const described = await describeExtension(session, 'kubernetes', { version: '1.28.0' });
    expect(described).toMatchObject({
      name: 'kubernetes',
      type: 'taskserv',
      version: '1.28.0',
      versions: ['1.29.0', '1.28.0'],
      signature: { status: 'unsigned', signatures: [] },
    });
    expect(described.digest).toMatch(/^sha256:[0-9a-f]{64}$/);
    expect(described.readme).toMatch(/^# kubernetes\n\nA provisioning taskserv\./);
    expect(described.dependencies).toEqual([
      { name: 'containerd', constraint: '>=1.7.0', optional: false },
      { name: 'etcd', constraint: '>=3.5.0', optional: false },
    ]);
  });

  it('builds the dependency graph of an extension', async () => {
    const graph = await dependencyGraph('kubernetes', undefined, { settings, coreVersion: CORE, session });
    expect(graph.root).toBe('kubernetes@1.29.0');
    expect(graph.nodes.map((n) => n.id).sort()).toEqual([
      'containerd@1.7.0',
      'etcd@3.5.9',
      'kubernetes@1.29.0',
      'runc@1.1.12',
    ]);
    expect(graph.edges).toContainEqual({
      from: 'containerd@1.7.0',
      to: 'runc@1.1.12',
      constraint: '>=1.1.0',
    });
  });

  it('resolves a module list as a dry run and writes nothing', async () => {
    const result = await resolveDryRun(['taskservs/kubernetes@^1.28', 'redis'], {
      settings,
      coreVersion: CORE,
      session,
    });
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(result.modules.map((m) => `${m.name}@${m.version}`)).toEqual([
      'containerd@1.7.0',
      'etcd@3.5.9',
      'kubernetes@1.29.0',
      'redis@1.0.0',
      'runc@1.1.12',
    ]);
    expect(await readdir(settings.root)).toEqual(['config']);
  });

  it('answers an unsatisfiable request with the PubGrub explanation', async () => {
    const result = await resolveDryRun(['kubernetes@1.29.0', 'clusters/legacy'], {
      settings,
      coreVersion: CORE,
      session,
    });
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.code).toBe('RESOLUTION_FAILED');
    expect(result.explanation).toContain('etcd');
    expect(result.lines.length).toBeGreaterThan(1);
  });

  it('refuses malformed module references naming the problem', () => {
    expect(() => parseModuleRequest('Kube')).toThrow(/module reference "Kube": names use lowercase/);
    expect(() => parseModuleRequest('bogus/redis')).toThrow(/unknown type group "bogus"/);
    expect(() => parseModuleRequest('redis@not a range')).toThrow(/is not a semver range/);
    expect(() => parseModuleRequest('redis:latest')).toThrow(
      /"latest" is not a version \(NAME:VERSION pins one/,
    );
    expect(parseModuleRequest('kubernetes:1.28.0')).toEqual({
      written: 'kubernetes:1.28.0',
      name: 'kubernetes',
      range: '1.28.0',
    });
    expect(parseModuleRequest('taskservs/redis@^1')).toEqual({
      written: 'taskservs/redis@^1',
      type: 'taskserv',
      name: 'redis',
      range: '^1',
    });
  });

  it('reports workspace status and explains a version once installed', async () => {
    await resolveWorkspace({ settings, coreVersion: CORE });
    const status = await workspaceStatus(settings, { coreVersion: CORE });
    expect(status.modules.find((m) => m.name === 'kubernetes')).toMatchObject({
      version: '1.29.0',
      constraint: '1.29.0',
      requiredBy: [],
      installed: true,
    });
    expect(status.modules.find((m) => m.name === 'runc')).toMatchObject({
      constraint: '*',
      requiredBy: ['containerd'],
    });
    expect(status.lock.modules).toBe(4);
    expect(status.generation.count).toBe(1);
    expect(status.history).toHaveLength(1);
    expect(status.drift).toEqual([]);
    const why = await explainVersion(settings, 'runc');
    expect(why.version).toBe('1.1.12');
    expect(why.lines[1]).toContain('kubernetes 1.29.0 → containerd 1.7.0');
  });
});
