/** Turning a solution into `config/provisioning.lock`, and a lockfile back into a dependency graph. */
import type { DependencyGraph, GraphNode } from '@provisioning/resolver';
import type { Lockfile } from '@provisioning/schemas';
import type { RootModule } from '../config/root-modules.js';
import type { PlatformImages } from '../platform/platform-images.js';
import type { ExtensionArtifact } from '../source/extension-source.js';

export function buildLockfile(
  coreVersion: string,
  artifacts: ReadonlyMap<string, ExtensionArtifact>,
  graph: DependencyGraph,
  platform: PlatformImages | undefined,
  /** Module name → the signature manifest the verify policy accepted. */
  signatures: ReadonlyMap<string, string> = new Map(),
  /** Manifest digest of the running core when it is an installed release. */
  coreDigest?: string,
): Lockfile {
  const modules: Lockfile['modules'] = {};
  for (const [name, node] of [...graph.nodes.entries()].sort(([a], [b]) => (a < b ? -1 : 1))) {
    const artifact = artifacts.get(name)!;
    modules[name] = {
      type: artifact.type,
      version: node.version,
      reference: artifact.reference,
      manifest_digest: artifact.manifestDigest,
      layer_digest: artifact.layer.digest,
      source: artifact.source,
      ...(signatures.has(name) ? { signature_digest: signatures.get(name)! } : {}),
      ...(artifact.git ? { git: artifact.git } : {}),
      dependencies: Object.fromEntries(node.dependencies.map((edge) => [edge.name, edge.version])),
    };
  }
  return {
    lockfile_version: 1,
    core: { version: coreVersion, ...(coreDigest ? { digest: coreDigest } : {}) },
    modules,
    ...(platform && Object.keys(platform).length > 0 ? { platform: { images: platform } } : {}),
  } as Lockfile;
}

/**
 * The graph a lockfile describes. Edge ranges come from `ranges` (each module's manifest, e.g. read
 * from the installed tree) when known, else the locked version itself.
 */
export function graphFromLockfile(
  lock: Lockfile,
  roots: RootModule[],
  ranges: (name: string) => Record<string, string> | undefined = () => undefined,
  rootName = 'your workspace',
): DependencyGraph {
  const nodes = new Map<string, GraphNode>();
  for (const name of Object.keys(lock.modules).sort()) {
    const mod = lock.modules[name]!;
    const asked = ranges(name) ?? {};
    nodes.set(name, {
      name,
      version: mod.version,
      id: `${name}@${mod.version}`,
      dependencies: Object.keys(mod.dependencies ?? {})
        .sort()
        .map((dep) => ({
          name: dep,
          range: asked[dep] ?? mod.dependencies[dep]!,
          version: mod.dependencies[dep]!,
        })),
    });
  }
  return {
    rootName,
    roots: roots
      .filter((r) => lock.modules[r.name])
      .map((r) => ({ name: r.name, range: r.range, version: lock.modules[r.name]!.version }))
      .sort((a, b) => (a.name < b.name ? -1 : 1)),
    nodes,
  };
}
