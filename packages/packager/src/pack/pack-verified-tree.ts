import { ProvisioningError } from '@provisioning/schemas';
import { OCI_MANIFEST_FILE } from '../extension-layout.js';
import { formatExtensionProblem } from '../problems.js';
import { walkTree } from '../tree/walk-tree.js';
import { hashFile } from './digest-stream.js';
import { serializeOciManifestFile } from './oci-manifest-file.js';
import { DIRECTORY_LAYER_LIMITS } from './pack-directory-layer.js';
import { resolveSourceDateEpoch } from './source-date-epoch.js';
import { type TarballItem, writeTarball } from './write-tarball.js';

export interface VerifiedTreeOptions {
  /** Written into the generated oci-manifest.json (what `unpackExtension` checks). */
  name: string;
  version: string;
  type: string;
  /** The `.tar.gz` to write (must not exist). */
  outFile: string;
  /** Tar mtime in seconds; default `SOURCE_DATE_EPOCH`, else 0. */
  sourceDateEpoch?: number;
  env?: NodeJS.ProcessEnv;
}

export interface VerifiedTree {
  digest: string;
  size: number;
  files: number;
  mtime: number;
}

/**
 * Packs `dir` at the archive root with a generated `oci-manifest.json` listing every file's size
 * and sha256 — the extension tarball format, so `unpackExtension` verifies it file by file. Used
 * for trees that are not extensions (the core artifact, docs/releasing.md "Core"). Deterministic
 * like every tarball here: sorted members, fixed mtime, uid/gid 0.
 */
export async function packVerifiedTree(dir: string, options: VerifiedTreeOptions): Promise<VerifiedTree> {
  const mtime = resolveSourceDateEpoch(options.sourceDateEpoch, options.env);
  const { entries, problems } = await walkTree(dir, DIRECTORY_LAYER_LIMITS);
  if (problems.length > 0) {
    throw new ProvisioningError(
      'LAYER_SOURCE_INVALID',
      [`${dir} cannot be packed:`, ...problems.map((p) => `  ${formatExtensionProblem(p)}`)].join('\n'),
      { hint: 'the tree holds regular files and directories only', details: { dir, problems } },
    );
  }
  const items: TarballItem[] = [];
  const listed: { path: string; size: number; sha256: string }[] = [];
  for (const entry of entries) {
    if (entry.type === 'directory') {
      items.push({ path: entry.path, type: 'directory' });
      continue;
    }
    const { sha256, size } = await hashFile(entry.absolutePath, entry.size);
    items.push({
      path: entry.path,
      type: 'file',
      source: entry.absolutePath,
      size,
      sha256,
      executable: entry.executable,
    });
    listed.push({ path: entry.path, size, sha256 });
  }
  items.push({
    path: OCI_MANIFEST_FILE,
    type: 'file',
    bytes: serializeOciManifestFile({
      name: options.name,
      version: options.version,
      type: options.type,
      files: listed,
    }),
  });
  const { digest, size } = await writeTarball(items, options.outFile, mtime);
  return { digest, size, files: listed.length, mtime };
}
