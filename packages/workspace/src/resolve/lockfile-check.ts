/**
 * Does the lockfile still describe what the config asks for? Used by `--frozen` (any difference is
 * LOCK_STALE, each difference named) and by `dep validate`.
 */
import { type Lockfile, ProvisioningError, parseReference, referenceName } from '@provisioning/schemas';
import semver from 'semver';
import type { RootModule } from '../config/root-modules.js';
import type { ModuleSourceKind } from '../source/extension-source.js';

export interface LockCheckInput {
  roots: RootModule[];
  /** The workspace's source; a root written as a git reference comes from git whatever it is. */
  sourceKind: ModuleSourceKind;
  /** The git repository a root comes from, if any (docs/sources.md, "Git sources"). */
  gitUrlOf?: (root: RootModule) => string | undefined;
  platformImages: Record<string, string> | undefined;
  defaults: { registry: string; platformNamespace: string };
}

export function lockfileDifferences(lock: Lockfile, input: LockCheckInput): string[] {
  const out: string[] = [];
  for (const root of input.roots) {
    const mod = lock.modules[root.name];
    if (!mod) {
      out.push(`${root.name} is in the config but not in the lockfile`);
      continue;
    }
    if (root.version && !semver.eq(root.version, mod.version)) {
      out.push(`${root.name}: the config pins ${root.version}, the lockfile has ${mod.version}`);
    }
    if (mod.type !== root.type)
      out.push(`${root.name}: the config lists a ${root.type}, the lockfile a ${mod.type}`);
    const kind: ModuleSourceKind = root.git ? 'git' : input.sourceKind;
    if (!sameStorage(mod.source, kind))
      out.push(`${root.name}: locked from ${mod.source}, the config now uses ${kind}`);
    const gitUrl = input.gitUrlOf?.(root);
    if (gitUrl !== undefined && mod.git !== undefined && mod.git.url !== gitUrl)
      out.push(`${root.name}: the config points at ${gitUrl}, the lockfile at ${mod.git.url}`);
    if (kind !== 'local' && mod.source !== 'local') {
      const locked = safeName(mod.reference);
      const wanted = referenceName(root.reference);
      if (locked && locked !== wanted)
        out.push(`${root.name}: the config points at ${wanted}, the lockfile at ${locked}`);
    }
  }
  // every locked module must be needed, and every locked dependency locked
  const reachable = new Set<string>();
  const pending = input.roots.map((r) => r.name).filter((n) => lock.modules[n]);
  while (pending.length > 0) {
    const name = pending.pop()!;
    if (reachable.has(name)) continue;
    reachable.add(name);
    for (const [dep, version] of Object.entries(lock.modules[name]?.dependencies ?? {})) {
      const locked = lock.modules[dep];
      if (!locked) out.push(`${name} depends on ${dep}, which is not in the lockfile`);
      else {
        if (locked.version !== version)
          out.push(`${name} depends on ${dep} ${version}, the lockfile has ${locked.version}`);
        pending.push(dep);
      }
    }
  }
  for (const name of Object.keys(lock.modules).sort()) {
    if (!reachable.has(name)) out.push(`${name} is in the lockfile but nothing in the config needs it`);
  }
  const images = input.platformImages ?? {};
  const lockedImages = lock.platform?.images ?? {};
  for (const [name, written] of Object.entries(images)) {
    const locked = lockedImages[name];
    if (!locked) {
      out.push(`platform image ${name} is in the config but not in the lockfile`);
      continue;
    }
    const ref = parseReference(written, {
      registry: input.defaults.registry,
      namespace: input.defaults.platformNamespace,
    });
    const formatted = `${referenceName(ref)}${ref.tag ? `:${ref.tag}` : ''}`;
    if (locked.reference !== formatted)
      out.push(`platform image ${name}: the config says ${formatted}, the lockfile ${locked.reference}`);
  }
  for (const name of Object.keys(lockedImages)) {
    if (!(name in images)) out.push(`platform image ${name} is in the lockfile but not in the config`);
  }
  return out;
}

export function lockStaleError(lockFile: string, differences: string[]): ProvisioningError {
  return new ProvisioningError(
    'LOCK_STALE',
    `${lockFile} does not match the config:\n${differences.map((d) => `  ${d}`).join('\n')}`,
    {
      kind: 'input',
      hint: 'run `provisioning dep resolve` without --frozen to update the lockfile',
      details: { differences },
    },
  );
}

function safeName(reference: string): string | undefined {
  try {
    return referenceName(parseReference(reference));
  } catch {
    return undefined;
  }
}

/**
 * A registry and the OCI-layout storage it serves hold the same references and digests
 * (`oci-registry start` serves the embedded storage; the embedded default reads it directly), so
 * switching between them does not make a lock stale. A git source packs the same digests as the
 * OCI artifact pushed from the same tree (docs/sources.md), so it is the same storage too. The
 * local directory is another source.
 */
function sameStorage(locked: string, current: ModuleSourceKind): boolean {
  return locked === current || (locked !== 'local' && current !== 'local');
}
