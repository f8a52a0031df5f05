/**
 * The name an artifact goes by when a bulk command needs one per source (`oci copy A B DST`,
 * `oci pull A B --output DIR`): the last component of its repository, or of a layout's directory.
 */
import { isLayoutLocation, parseLayoutLocation } from '@provisioning/oci-client';
import { isValidPathComponent, ProvisioningError, repositoryBasename } from '@provisioning/schemas';
import type { OciSession } from './oci-session.js';

export interface NamedSource {
  name: string;
  /** The tag or digest the source names, if any. */
  reference?: string;
}

export function nameSource(session: OciSession, source: string): NamedSource {
  if (isLayoutLocation(source)) {
    const location = parseLayoutLocation(source);
    const name = location.path.replace(/\/+$/, '').split('/').pop() ?? '';
    if (!isValidPathComponent(name)) {
      throw new ProvisioningError(
        'SOURCE_NAME_INVALID',
        `cannot name the artifact in ${JSON.stringify(source)}: "${name}" is not a valid repository name`,
        { kind: 'usage', hint: 'name the layout directory after the artifact (lowercase a-z, 0-9, . _ -)' },
      );
    }
    return { name, ...(location.reference ? { reference: location.reference } : {}) };
  }
  const parsed = session.parse(source);
  const reference = parsed.digest ?? parsed.tag;
  return { name: repositoryBasename(parsed), ...(reference ? { reference } : {}) };
}

/** Two sources that would land in the same place: a usage error naming both. */
export function clash(
  code: string,
  first: string,
  second: string,
  where: string,
  hint: string,
): ProvisioningError {
  return new ProvisioningError(
    code,
    `${JSON.stringify(first)} and ${JSON.stringify(second)} would both go to ${where}`,
    { kind: 'usage', hint },
  );
}
