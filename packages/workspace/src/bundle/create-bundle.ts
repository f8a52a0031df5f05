/**
 * `bundle create`: everything a workspace's lockfile needs, in one OCI image-layout tar archive
 * (docs/air-gap.md): each locked extension, each pinned platform image, the cosign signature tag
 * (`sha256-<hex>.sig`) of any of them when the registry has one, and the core artifact when it is
 * published. Content is read by the locked digests (from the cache when it has them, else the
 * registry and its mirrors), so the archive is the same for the same lock.
 */
import {
  type ArchiveArtifact,
  type ContentTarget,
  type CopyProgressEvent,
  type Descriptor,
  LayoutStore,
  MirroredRepository,
  writeLayoutArchive,
} from '@provisioning/oci-client';
import { ProvisioningError, parseReference } from '@provisioning/schemas';
import { ExtensionCache } from '../cache/cache-store.js';
import { lockfilePath, readLockfile } from '../lockfile/lockfile-io.js';
import { isNotFound } from '../repository/not-found-error.js';
import { RegistryClients } from '../repository/open-repository.js';
import type { WorkspaceSettings } from '../settings/workspace-settings.js';
import { layoutStorePath } from '../source/source-kind.js';

export const BUNDLE_KIND = 'dev.provisioning.bundle.kind';
export const BUNDLE_NAME = 'dev.provisioning.bundle.name';

export type BundleArtifactKind = 'extension' | 'platform-image' | 'signature' | 'core';

export interface CreateBundleOptions {
  output: string;
  /** Split into parts of at most this many bytes (`--max-size`). */
  maxPartSize?: number;
  clients?: RegistryClients;
  debug?: (line: string) => void;
  onProgress?(event: CopyProgressEvent): void;
}

export interface CreateBundleResult {
  files: string[];
  size: number;
  artifacts: { reference: string; kind: BundleArtifactKind; name: string; digest: string }[];
  /** What the lock names that cannot go into a bundle (a local module), with why. */
  skipped: { name: string; reason: string }[];
}

export async function createBundle(
  settings: WorkspaceSettings,
  options: CreateBundleOptions,
): Promise<CreateBundleResult> {
  const lock = await readLockfile(settings.root);
  if (!lock) {
    throw new ProvisioningError('LOCK_MISSING', `${lockfilePath(settings.root)} does not exist`, {
      kind: 'input',
      hint: 'run `provisioning dep resolve` first: a bundle holds what the lockfile pins',
    });
  }
  const clients = options.clients ?? RegistryClients.forSettings(settings, { debug: options.debug });
  const cache = new ExtensionCache(settings.cacheDir);
  const layouts = new LayoutStore(layoutStorePath(settings));
  const artifacts: (ArchiveArtifact & { kind: BundleArtifactKind; name: string })[] = [];
  const skipped: CreateBundleResult['skipped'] = [];
  try {
    /** The cache first (a warm workspace needs no network), then the registry and its mirrors. */
    const open = async (reference: string, fromLayout: boolean): Promise<ContentTarget> => {
      const ref = parseReference(reference);
      if (fromLayout) return layouts.repository(ref.repository, { create: false });
      const remote = clients.repository(ref.registry, ref.repository);
      const cached = await cache.repository(ref.registry, ref.repository, false);
      return cached
        ? new MirroredRepository(remote, [cached], options.debug ? { debug: options.debug } : {})
        : remote;
    };
    const add = async (
      kind: BundleArtifactKind,
      name: string,
      reference: string,
      source: ContentTarget,
      root: Descriptor,
    ) => {
      artifacts.push({
        kind,
        name,
        reference,
        root,
        source,
        annotations: { [BUNDLE_KIND]: kind, [BUNDLE_NAME]: name },
      });
      // a cosign signature beside it is an ordinary tag: sha256-<hex>.sig
      const sigTag = `${root.digest.replace(':', '-')}.sig`;
      const signature = await source.resolve(sigTag).catch((error: unknown) => {
        if (isNotFound(error)) return undefined;
        throw error;
      });
      if (signature) {
        const ref = parseReference(reference);
        artifacts.push({
          kind: 'signature',
          name,
          reference: `${ref.registry}/${ref.repository}:${sigTag}`,
          root: signature,
          source,
          annotations: { [BUNDLE_KIND]: 'signature', [BUNDLE_NAME]: name },
        });
      }
    };

    for (const [name, mod] of Object.entries(lock.modules).sort(([a], [b]) => (a < b ? -1 : 1))) {
      if (mod.source === 'local') {
        skipped.push({
          name,
          reason: 'a local module (publish it with `provisioning oci publish` to bundle it)',
        });
        continue;
      }
      const source = await open(mod.reference, mod.source === 'oci-layout');
      await add('extension', name, mod.reference, source, await source.resolve(mod.manifest_digest));
    }
    for (const [name, image] of Object.entries(lock.platform?.images ?? {}).sort(([a], [b]) =>
      a < b ? -1 : 1,
    )) {
      const ref = parseReference(image.reference);
      const reference = `${ref.registry}/${ref.repository}:${ref.tag ?? 'latest'}`;
      const source = await open(image.reference, false);
      await add('platform-image', name, reference, source, await source.resolve(image.digest));
    }
    const core = settings.config.dependencies.core?.source;
    if (core !== undefined && !core.startsWith('gitea://')) {
      const ref = parseReference(core);
      const source = await open(core, false);
      const root = await source.resolve(ref.digest ?? ref.tag ?? 'latest').catch((error: unknown) => {
        if (isNotFound(error)) return undefined;
        throw error;
      });
      if (root) {
        await add(
          'core',
          'core',
          `${ref.registry}/${ref.repository}:${ref.tag ?? root.digest}`,
          source,
          root,
        );
      } else {
        skipped.push({ name: 'core', reason: `${core} is not published` });
      }
    }
    const written = await writeLayoutArchive(options.output, artifacts, {
      ...(options.maxPartSize === undefined ? {} : { maxPartSize: options.maxPartSize }),
      ...(options.onProgress ? { onProgress: options.onProgress } : {}),
    });
    return {
      files: written.files,
      size: written.size,
      artifacts: artifacts.map((a) => ({
        reference: a.reference,
        kind: a.kind,
        name: a.name,
        digest: a.root.digest,
      })),
      skipped,
    };
  } finally {
    if (!options.clients) await clients.close();
  }
}
