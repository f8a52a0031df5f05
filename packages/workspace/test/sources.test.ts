/**
 * The other two sources: the embedded OCI-layout storage (`registry.type: oci-layout`) and the legacy
 * local monorepo directory (`source_type: local`), resolved and installed exactly like a registry.
 */
import { appendFile, mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import {
  type ExtensionSpec,
  makeExtension,
  publishToLayout,
  pushExtension,
  settingsFor,
} from '@provisioning/fixtures';
import { LayoutStore } from '@provisioning/oci-client';
import { type TempDir, tempDir } from '@provisioning/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadEffectiveConfig } from '../src/config/load-effective-config.js';
import { installedModuleDir } from '../src/install/layout-paths.js';
import { verifyInstalledModule } from '../src/install/verify-installed.js';
import { readLockfile } from '../src/lockfile/lockfile-io.js';
import { openExtensionRepository } from '../src/repository/open-repository.js';
import { resolveWorkspace } from '../src/resolve/resolve-workspace.js';
import type { WorkspaceSettings } from '../src/settings/workspace-settings.js';
import { validateWorkspace } from '../src/validate/validate-workspace.js';

const SPECS: ExtensionSpec[] = [
  { type: 'taskserv', name: 'runc', version: '1.1.12' },
  { type: 'taskserv', name: 'containerd', version: '1.7.0', dependencies: { runc: '>=1.1.0' } },
  { type: 'taskserv', name: 'containerd', version: '1.7.2', dependencies: { runc: '>=1.1.0' } },
  { type: 'cluster', name: 'buildkit', version: '0.12.0', dependencies: { containerd: '>=1.7.0' } },
];

let tmp: TempDir;
beforeAll(async () => {
  tmp = await tempDir('ws-sources-');
});
afterAll(async () => {
  await tmp?.remove();
});

async function workspace(name: string, text: string, overrides: Partial<WorkspaceSettings> = {}) {
  const root = join(tmp.path, name);
  await mkdir(join(root, 'config'), { recursive: true });
  await writeFile(join(root, 'config', 'provisioning.yaml'), text);
  return {
    ...settingsFor(root, text, { registry: 'localhost:5000', home: join(tmp.path, 'home') }),
    ...overrides,
  };
}

describe('oci-layout source (embedded registry storage)', () => {
  it('resolves and installs from the layout store, and reinstalls frozen + offline', async () => {
    const storage = join(tmp.path, 'home', 'oci-registry');
    await publishToLayout(storage, 'provisioning-extensions', SPECS, join(tmp.path, 'layout-publish'));
    const settings = await workspace(
      'layout',
      `dependencies:
  registry:
    type: "oci-layout"
  extensions:
    modules:
      clusters:
        - "buildkit:0.12.0"
`,
      { registryType: 'oci-layout', layoutPath: storage },
    );
    const result = await resolveWorkspace({ settings, coreVersion: '3.5.0' });
    expect(result.plan.map((e) => e.name)).toEqual(['runc', 'containerd', 'buildkit']);
    const lock = (await readLockfile(settings.root))!;
    expect(lock.modules.containerd).toMatchObject({
      version: '1.7.2',
      source: 'oci-layout',
      reference: 'localhost:5000/provisioning-extensions/containerd:1.7.2',
    });
    expect(await verifyInstalledModule(installedModuleDir(settings.root, 'cluster', 'buildkit'))).toEqual([]);

    // a `v`-prefixed tag counts as its version (the core's style)
    const vdir = await makeExtension(join(tmp.path, 'v-src'), {
      type: 'cluster',
      name: 'buildkit',
      version: '0.13.0',
    });
    const repo = await new LayoutStore(storage).repository('provisioning-extensions/buildkit');
    const packed = await pushExtension(vdir, repo, join(tmp.path, 'v-out'));
    await repo.tag(packed.imageManifestDescriptor, 'v0.13.0');
    await repo.untag('0.13.0');
    const vsettings = await workspace(
      'layout-v',
      `dependencies:
  registry:
    type: "oci-layout"
  extensions:
    modules:
      clusters:
        - "buildkit"
`,
      { registryType: 'oci-layout', layoutPath: storage },
    );
    await resolveWorkspace({ settings: vsettings, coreVersion: '3.5.0' });
    expect((await readLockfile(vsettings.root))!.modules.buildkit).toMatchObject({
      version: '0.13.0',
      reference: 'localhost:5000/provisioning-extensions/buildkit:v0.13.0',
    });

    // the factory the oci commands use opens the same storage
    const effective = await loadEffectiveConfig({
      cwd: vsettings.root,
      env: { PROVISIONING_HOME: join(tmp.path, 'home'), HOME: tmp.path },
    });
    const target = await openExtensionRepository(effective, 'containerd');
    expect(target.location).toContain(join('oci-registry', 'provisioning-extensions', 'containerd'));
    expect((await target.tags()).sort()).toEqual(['1.7.0', '1.7.2']);

    const { rm } = await import('node:fs/promises');
    await rm(join(settings.root, '.provisioning'), { recursive: true });
    await rm(storage, { recursive: true }); // the storage is gone: the cache must be enough
    const again = await resolveWorkspace({ settings, coreVersion: '3.5.0', frozen: true, offline: true });
    expect(again.installed).toBe(true);
    expect((await validateWorkspace(settings, { coreVersion: '3.5.0' })).problems).toEqual([]);
  });
});

describe('local source (legacy monorepo directory)', () => {
  let settings: WorkspaceSettings;
  let extensions: string;

  it('installs modules read directly from extensions/<type>s/<name>/', async () => {
    extensions = join(tmp.path, 'monorepo', 'extensions');
    for (const spec of [SPECS[0]!, SPECS[1]!]) await makeExtension(extensions, spec);
    settings = await workspace(
      'local',
      `dependencies:
  extensions:
    source_type: "local"
    local:
      path: "../monorepo/extensions"
    modules:
      taskservs:
        - "containerd:1.7.0"
`,
    );
    const result = await resolveWorkspace({ settings, coreVersion: '3.5.0' });
    expect(result.plan.map((e) => e.name)).toEqual(['runc', 'containerd']);
    const lock = (await readLockfile(settings.root))!;
    expect(lock.modules.runc).toMatchObject({ source: 'local', version: '1.1.12' });
    expect(lock.modules.runc!.reference).toBe('localhost:5000/provisioning-extensions/runc:1.1.12');
    const installed = installedModuleDir(settings.root, 'taskserv', 'containerd');
    expect(await readFile(join(installed, 'manifest.yaml'), 'utf8')).toContain('name: containerd');
    expect(await verifyInstalledModule(installed)).toEqual([]);
  });

  it('packing is deterministic: an unchanged tree re-resolves to the same digests', async () => {
    const before = await readFile(join(settings.root, 'config', 'provisioning.lock'), 'utf8');
    const result = await resolveWorkspace({ settings, coreVersion: '3.5.0' });
    expect(result.installed).toBe(false);
    expect(await readFile(join(settings.root, 'config', 'provisioning.lock'), 'utf8')).toBe(before);
  });

  it('--frozen notices a local extension that changed since it was locked', async () => {
    await appendFile(join(extensions, 'taskservs', 'runc', 'docs', 'README.md'), '\nchanged\n');
    await expect(resolveWorkspace({ settings, coreVersion: '3.5.0', frozen: true })).rejects.toMatchObject({
      code: 'FETCH_FAILED',
      message: expect.stringContaining('local extension runc'),
    });
    const relocked = await resolveWorkspace({ settings, coreVersion: '3.5.0' });
    expect(relocked.plan.find((e) => e.name === 'runc')!.action).toBe('reinstall');
  });

  it('a config pin the local tree does not have is explained by the solver', async () => {
    const pinned = await workspace(
      'local-pin',
      `dependencies:
  extensions:
    source_type: "local"
    local:
      path: "${extensions}"
    modules:
      taskservs:
        - "containerd:2.0.0"
`,
    );
    const error = await resolveWorkspace({ settings: pinned, coreVersion: '3.5.0' }).catch((e) => e);
    expect(error.code).toBe('RESOLUTION_FAILED');
    expect(error.explanation).toContain('containerd');
  });

  it('a dependency cycle is refused with its full path, nothing installed', async () => {
    const cyclic = join(tmp.path, 'cyclic', 'extensions');
    await makeExtension(cyclic, {
      type: 'taskserv',
      name: 'alpha',
      version: '1.0.0',
      dependencies: { beta: '^1.0.0' },
    });
    await makeExtension(cyclic, {
      type: 'taskserv',
      name: 'beta',
      version: '1.0.0',
      dependencies: { gamma: '^1.0.0' },
    });
    await makeExtension(cyclic, {
      type: 'taskserv',
      name: 'gamma',
      version: '1.0.0',
      dependencies: { alpha: '^1.0.0' },
    });
    const settings = await workspace(
      'cycle',
      `dependencies:
  extensions:
    source_type: "local"
    local:
      path: "${cyclic}"
    modules:
      taskservs:
        - "alpha:1.0.0"
`,
    );
    const error = await resolveWorkspace({ settings, coreVersion: '3.5.0' }).catch((e) => e);
    expect(error.code).toBe('DEPENDENCY_CYCLE');
    expect(error.message).toContain('alpha → beta → gamma → alpha');
    const { readdir } = await import('node:fs/promises');
    expect(await readdir(join(settings.root, '.provisioning'))).not.toContain('extensions');
  });
});
