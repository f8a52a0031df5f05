/** `oci tags NAME`: every tag of a repository, semver versions highest first, other tags after. */
import { formatReference, ProvisioningError, repositoryBasename } from '@provisioning/schemas';
import { whenFound } from './not-found.js';
import type { OciSession } from './oci-session.js';
import { orderTags } from './tag-order.js';

export interface TagRow {
  artifact: string;
  /** The tag as stored (`1.28.0`, `v3.5.0`, `latest`). */
  version: string;
  /** True for semver tags. */
  semver: boolean;
  reference: string;
}

export async function listTags(session: OciSession, input: string): Promise<TagRow[]> {
  const opened = await session.open(input);
  if (opened.reference) {
    throw new ProvisioningError(
      'TAGS_REFERENCE_HAS_VERSION',
      `${JSON.stringify(input)} names a version; give only the name`,
      {
        kind: 'usage',
        hint: `run \`provisioning oci tags ${input.replace(/[:@][^/]*$/, '')}\``,
      },
    );
  }
  const tags = await whenFound(session, opened, undefined, () => opened.target.tags());
  const artifact = opened.parsed ? repositoryBasename(opened.parsed) : opened.name;
  return orderTags(tags).map(({ tag, version }) => ({
    artifact,
    version: tag,
    semver: version !== null,
    reference: opened.parsed
      ? formatReference({ registry: opened.parsed.registry, repository: opened.parsed.repository, tag })
      : `${opened.name}:${tag}`,
  }));
}
