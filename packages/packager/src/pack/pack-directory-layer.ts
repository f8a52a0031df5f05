import { stat } from 'node:fs/promises';
import { ProvisioningError } from '@provisioning/schemas';
import { formatExtensionProblem } from '../problems.js';
import { type WalkLimits, walkTree } from '../tree/walk-tree.js';
import { hashFile } from './digest-stream.js';
import { resolveSourceDateEpoch } from './source-date-epoch.js';
import { type TarballItem, writeTarball } from './write-tarball.js';

export interface DirectoryLayerOptions {
  /** POSIX directory inside the image the tree goes under, e.g. `opt/provisioning/api-gateway`. */
  prefix: string;
  /** The `.tar.gz` to write (must not exist). */
  outFile: string;
  /** Tar mtime in seconds; default `SOURCE_DATE_EPOCH`, else 0. */
  sourceDateEpoch?: number;
  env?: NodeJS.ProcessEnv;
  limits?: WalkLimits;
}

export interface DirectoryLayer {
  /** Digest and size of the compressed layer (the blob). */
  digest: string;
  size: number;
  /** Digest of the uncompressed tar (the image config's `rootfs.diff_ids` entry). */
  diffId: string;
  /** Regular files packed. */
  files: number;
  /** The mtime written into every header (seconds). */
  mtime: number;
}

/** App bundles are bigger than extensions: still capped, still streamed. */
export const DIRECTORY_LAYER_LIMITS: WalkLimits = { maxEntries: 100_000, maxTotalBytes: 4 * 1024 ** 3 };

/**
 * Packs the directory `dir` as one image layer (docs/platform.md, "Images"): a deterministic
 * tar+gzip (sorted members, fixed mtime, uid/gid 0, modes 0755/0644) holding the tree under
 * `prefix`, with the prefix's own directories first. Links and special files are refused, like in
 * an extension. The same tree and mtime always give the same digest and diff_id.
 */
export async function packDirectoryLayer(
  dir: string,
  options: DirectoryLayerOptions,
): Promise<DirectoryLayer> {
  const mtime = resolveSourceDateEpoch(options.sourceDateEpoch, options.env);
  const prefix = options.prefix.replace(/^\/+|\/+$/g, '');
  if (prefix === '' || prefix.split('/').some((part) => part === '' || part === '.' || part === '..')) {
    throw new ProvisioningError(
      'LAYER_SOURCE_INVALID',
      `layer prefix ${JSON.stringify(options.prefix)} is not a plain path`,
      {
        hint: 'give a directory like opt/provisioning/app',
      },
    );
  }
  const info = await stat(dir).catch(() => undefined);
  if (!info?.isDirectory()) {
    throw new ProvisioningError('LAYER_SOURCE_INVALID', `${dir} is not a directory`, {
      hint: 'give the directory whose files go into the layer',
      details: { dir },
    });
  }
  const { entries, problems } = await walkTree(dir, options.limits ?? DIRECTORY_LAYER_LIMITS);
  if (problems.length > 0) {
    const count = problems.length === 1 ? '1 problem' : `${problems.length} problems`;
    throw new ProvisioningError(
      'LAYER_SOURCE_INVALID',
      [
        `${dir} cannot be packed as a layer (${count}):`,
        ...problems.map((p) => `  ${formatExtensionProblem(p)}`),
      ].join('\n'),
      {
        hint: 'a layer holds regular files and directories only: replace links by copies, remove special files',
        details: { dir, problems },
      },
    );
  }
  const parts = prefix.split('/');
  const items: TarballItem[] = parts.map((_, i) => ({
    path: parts.slice(0, i + 1).join('/'),
    type: 'directory',
  }));
  let files = 0;
  for (const entry of entries) {
    const path = `${prefix}/${entry.path}`;
    if (entry.type === 'directory') {
      items.push({ path, type: 'directory' });
      continue;
    }
    const { sha256, size } = await hashFile(entry.absolutePath, entry.size);
    items.push({
      path,
      type: 'file',
      source: entry.absolutePath,
      size,
      sha256,
      executable: entry.executable,
    });
    files += 1;
  }
  const blob = await writeTarball(items, options.outFile, mtime, { diffId: true });
  return { ...blob, diffId: blob.diffId as string, files, mtime };
}
