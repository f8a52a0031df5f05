/**
 * `oci delete REF`: delete a manifest (by tag or digest) from a registry or an image layout.
 * Registries with deletion disabled answer 405/400; the client turns that into `DELETE_DISABLED`.
 */
import { OciLayout, type RegistryRepository } from '@provisioning/oci-client';
import { ProvisioningError } from '@provisioning/schemas';
import { formatOpenedReference, type OciSession } from './oci-session.js';

export interface DeleteResult {
  reference: string;
  digest: string;
}

export async function deleteArtifact(session: OciSession, input: string): Promise<DeleteResult> {
  const opened = await session.open(input);
  if (!opened.reference) {
    throw new ProvisioningError(
      'DELETE_NEEDS_VERSION',
      `${JSON.stringify(input)} names no version or digest`,
      {
        kind: 'usage',
        hint: 'name what to delete: NAME:VERSION or NAME@sha256:<hex>',
      },
    );
  }
  const reference = formatOpenedReference(opened, opened.reference);
  if (opened.target instanceof OciLayout) {
    const desc = await opened.target.resolve(opened.reference);
    await opened.target.delete(desc);
    return { reference, digest: desc.digest };
  }
  const digest = await (opened.target as RegistryRepository).deleteManifest(opened.reference);
  return { reference, digest };
}
