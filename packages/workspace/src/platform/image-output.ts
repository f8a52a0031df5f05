/**
 * Where a built image goes: an OCI image layout directory (`--output DIR`), or the configured
 * registry under the platform namespace (`--push`). A new layout directory is written beside its
 * final path and renamed into place at the end, so a failed build leaves nothing there.
 */
import { randomBytes } from 'node:crypto';
import { readdir, rename, rm, stat } from 'node:fs/promises';
import { basename, dirname, join, resolve } from 'node:path';
import { type ContentTarget, OciLayout } from '@provisioning/oci-client';
import { ProvisioningError, pathExists } from '@provisioning/schemas';
import type { OciSession } from '../oci/oci-session.js';

export interface ImageOutput {
  target: ContentTarget;
  /** Where the image is, as a reference: `host/ns/app:vX.Y.Z` or `oci-layout:DIR:vX.Y.Z`. */
  destination: string;
  /** Make the result visible (rename a new layout into place). */
  commit(): Promise<void>;
  /** Remove what a failed build left (a new layout's temporary directory). */
  abort(): Promise<void>;
}

export async function openLayoutOutput(dir: string, tag: string): Promise<ImageOutput> {
  const final = resolve(dir);
  const info = await stat(final).catch(() => undefined);
  const destination = `oci-layout:${final}:${tag}`;
  if (info) {
    const isLayout = info.isDirectory() && (await pathExists(join(final, 'oci-layout')));
    const isEmpty = info.isDirectory() && (await readdir(final)).length === 0;
    if (!isLayout && !isEmpty) {
      throw new ProvisioningError('FLAG_INVALID', `--output ${dir} exists and is not an OCI image layout`, {
        kind: 'usage',
        hint: 'give a new directory, an empty one, or an existing image layout to add the image to',
        details: { path: final },
      });
    }
    // blobs first, the index entry last: a failure leaves the layout's index as it was
    const target = await OciLayout.open(final, { create: true });
    return { target, destination, commit: async () => undefined, abort: async () => undefined };
  }
  const temporary = join(dirname(final), `.${basename(final)}.${randomBytes(6).toString('hex')}.tmp`);
  const target = await OciLayout.open(temporary, { create: true });
  return {
    target,
    destination,
    commit: () => rename(temporary, final),
    abort: () => rm(temporary, { recursive: true, force: true }),
  };
}

export async function openRegistryOutput(
  session: OciSession,
  app: string,
  tag: string,
): Promise<ImageOutput> {
  const registry = session.config.registry.value;
  const repository = `${session.config.namespaces.platform.value}/${app}`;
  const destination = `${registry}/${repository}:${tag}`;
  const opened = await session.open(destination, { create: true });
  return {
    target: opened.target,
    destination,
    commit: async () => undefined,
    abort: async () => undefined,
  };
}
