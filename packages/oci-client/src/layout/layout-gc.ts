/**
 * Mark and sweep for one layout: everything reachable from index.json entries (index → manifests →
 * config + layers) stays; other blobs and abandoned `.ingest` files older than the grace period go.
 * The caller holds the index lock.
 */
import { rm, stat } from 'node:fs/promises';
import { join } from 'node:path';
import type { Descriptor } from '../types.js';
import { isSupportedDigest } from './digest.js';
import { readdirOrEmpty } from './fs-util.js';
import { isManifestMediaType, manifestChildren } from './manifest-json.js';
import type { OciLayout } from './oci-layout.js';

export interface GcResult {
  removed: string[];
  freedBytes: number;
}

const MAX_DEPTH = 16;

export async function collectGarbage(
  layout: OciLayout,
  roots: Descriptor[],
  graceMs: number,
): Promise<GcResult> {
  const reachable = await markReachable(layout, roots);
  const cutoff = Date.now() - graceMs;
  const result: GcResult = { removed: [], freedBytes: 0 };
  const blobs = join(layout.path, 'blobs');
  for (const algorithm of await readdirOrEmpty(blobs)) {
    for (const hex of await readdirOrEmpty(join(blobs, algorithm))) {
      const digest = `${algorithm}:${hex}`;
      if (reachable.has(digest)) continue;
      const file = join(blobs, algorithm, hex);
      const info = await stat(file).catch(() => undefined);
      if (!info?.isFile() || info.mtimeMs > cutoff) continue;
      await rm(file, { force: true });
      result.removed.push(digest);
      result.freedBytes += info.size;
    }
  }
  const ingest = layout.ingestDir;
  for (const name of await readdirOrEmpty(ingest)) {
    const file = join(ingest, name);
    const info = await stat(file).catch(() => undefined);
    if (info && info.mtimeMs <= cutoff) await rm(file, { force: true });
  }
  result.removed.sort();
  return result;
}

async function markReachable(layout: OciLayout, roots: Descriptor[]): Promise<Set<string>> {
  const reachable = new Set<string>();
  const visit = async (desc: Descriptor, depth: number): Promise<void> => {
    if (!isSupportedDigest(desc.digest) || reachable.has(desc.digest)) return;
    reachable.add(desc.digest);
    if (!isManifestMediaType(desc.mediaType) || depth > MAX_DEPTH || !(await layout.exists(desc))) return;
    const { manifest } = await layout.readManifest(desc);
    for (const child of manifestChildren(manifest)) await visit(child, depth + 1);
  };
  for (const root of roots) await visit(root, 0);
  return reachable;
}
