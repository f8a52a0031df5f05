/**
 * Test support: small real extensions (scaffolded by the packager, then given a version and
 * dependencies), packed and pushed to a real registry or an OCI layout the way `oci push` does.
 */
import { createReadStream } from 'node:fs';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { type ContentTarget, LayoutStore, Registry } from '@provisioning/oci-client';
import { type PackResult, packExtension, scaffoldExtension } from '@provisioning/packager';
import { parseDocument } from 'yaml';

export interface ExtensionSpec {
  type: 'provider' | 'taskserv' | 'cluster';
  name: string;
  version: string;
  dependencies?: Record<string, string>;
  minCore?: string;
}

/** The kubernetes corner of the sample graph, small: the suites add the versions their cases need. */
export const KUBERNETES_GRAPH: readonly ExtensionSpec[] = [
  { type: 'taskserv', name: 'runc', version: '1.1.12' },
  { type: 'taskserv', name: 'containerd', version: '1.7.0', dependencies: { runc: '>=1.1.0' } },
  { type: 'taskserv', name: 'etcd', version: '3.5.9' },
  ...['1.28.0', '1.29.0'].map(
    (version): ExtensionSpec => ({
      type: 'taskserv',
      name: 'kubernetes',
      version,
      dependencies: { containerd: '>=1.7.0', etcd: '>=3.5.0' },
    }),
  ),
  { type: 'taskserv', name: 'redis', version: '1.0.0' },
];

/** Write an extension to `root/<type>s/<name>/` (or `root/<name>-<version>/` with `flat`). */
export async function makeExtension(
  root: string,
  spec: ExtensionSpec,
  options: { flat?: boolean } = {},
): Promise<string> {
  const dir = options.flat
    ? join(root, `${spec.name}-${spec.version}`, spec.name)
    : join(root, `${spec.type}s`, spec.name);
  await mkdir(join(dir, '..'), { recursive: true });
  await scaffoldExtension(spec.type, spec.name, dir);
  const manifestFile = join(dir, 'manifest.yaml');
  const doc = parseDocument(await readFile(manifestFile, 'utf8'));
  doc.set('version', spec.version);
  if (spec.dependencies && Object.keys(spec.dependencies).length > 0)
    doc.set('dependencies', spec.dependencies);
  if (spec.minCore) doc.set('min_provisioning_version', spec.minCore);
  await writeFile(manifestFile, doc.toString());
  const kclMod = join(dir, 'kcl', 'kcl.mod');
  await writeFile(
    kclMod,
    (await readFile(kclMod, 'utf8')).replace(/^version = ".*"$/m, `version = "${spec.version}"`),
  );
  return dir;
}

/** Pack `dir` and push config, layer and manifest to `target`, tagged with the version. */
export async function pushExtension(
  dir: string,
  target: ContentTarget,
  outputDir: string,
): Promise<PackResult> {
  const packed = await packExtension(dir, { outputDir });
  await target.push(packed.config.descriptor, packed.config.bytes);
  await target.push(packed.layer.descriptor, createReadStream(packed.layer.path));
  await target.push(packed.imageManifestDescriptor, packed.imageManifestBytes);
  await target.tag(packed.imageManifestDescriptor, packed.manifest.version);
  return packed;
}

/** Make every spec and publish it to `host/ns/<name>` on a registry. */
export async function publishToRegistry(
  host: string,
  namespace: string,
  specs: ExtensionSpec[],
  workDir: string,
): Promise<Map<string, PackResult>> {
  const registry = new Registry(host, { plainHttp: true, credentials: null });
  const out = new Map<string, PackResult>();
  for (const spec of specs) {
    const dir = await makeExtension(join(workDir, 'src'), spec, { flat: true });
    const packed = await pushExtension(
      dir,
      registry.repository(`${namespace}/${spec.name}`),
      join(workDir, 'out'),
    );
    out.set(`${spec.name}@${spec.version}`, packed);
  }
  return out;
}

/** The same into an OCI-layout store (the embedded registry storage). */
export async function publishToLayout(
  root: string,
  namespace: string,
  specs: ExtensionSpec[],
  workDir: string,
) {
  const store = new LayoutStore(root);
  for (const spec of specs) {
    const dir = await makeExtension(join(workDir, 'src'), spec, { flat: true });
    await pushExtension(dir, await store.repository(`${namespace}/${spec.name}`), join(workDir, 'out'));
  }
}
