/** `bundle inspect FILE`: what a bundle holds, from its `index.json` (docs/air-gap.md). */
import { LayoutArchive } from '@provisioning/oci-client';
import { BUNDLE_KIND, BUNDLE_NAME } from './create-bundle.js';

export interface BundleContents {
  file: string;
  parts: string[];
  size: number;
  artifacts: { reference: string; kind: string; name: string; digest: string; mediaType: string }[];
}

export async function inspectBundle(file: string): Promise<BundleContents> {
  const archive = await LayoutArchive.open(file);
  return {
    file: archive.location,
    parts: archive.paths,
    size: archive.file.size,
    artifacts: archive.entries.map((e) => ({
      reference: e.reference,
      kind: e.descriptor.annotations?.[BUNDLE_KIND] ?? 'artifact',
      name: e.descriptor.annotations?.[BUNDLE_NAME] ?? e.repository.slice(e.repository.lastIndexOf('/') + 1),
      digest: e.descriptor.digest,
      mediaType: e.descriptor.mediaType,
    })),
  };
}
