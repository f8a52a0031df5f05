/**
 * `oci package DIR --oci-layout PATH`: put a freshly packed extension into an OCI image layout,
 * tagged with its version — the air-gap and "push later" form (`oci copy oci-layout:PATH:VERSION
 * REGISTRY/NS/NAME`, `skopeo copy oci:PATH:VERSION …`). Reports the digest the tag pointed at
 * before when it moves.
 */
import path from 'node:path';
import { OciLayout, openBlobFile } from '@provisioning/oci-client';
import type { PackResult } from '@provisioning/packager';

export interface StoredInLayout {
  path: string;
  tag: string;
  /** The manifest digest the tag pointed at before, when it moved. */
  replaced: string | null;
}

export async function storePackedInLayout(packed: PackResult, layoutDir: string): Promise<StoredInLayout> {
  const layout = await OciLayout.open(layoutDir, { create: true });
  const tag = packed.manifest.version;
  const previous = (await layout.tags()).includes(tag) ? (await layout.resolve(tag)).digest : null;
  await layout.push(packed.config.descriptor, packed.config.bytes);
  await layout.push(packed.layer.descriptor, openBlobFile(packed.layer.path, packed.layer.descriptor.size));
  await layout.push(packed.imageManifestDescriptor, packed.imageManifestBytes, { tag });
  const replaced = previous !== null && previous !== packed.imageManifestDescriptor.digest ? previous : null;
  return { path: path.resolve(layoutDir), tag, replaced };
}
