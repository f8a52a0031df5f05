/**
 * The name an artifact goes by when a bulk command needs one per source (`oci copy A B DST`,
 * `oci pull A B --output DIR`): the last component of its repository, or of a layout's directory.
 */
import { isLayoutLocation, parseLayoutLocation } from '@provisioning/oci-client';
import {
  type ErrorCode,
  isValidPathComponent,
  ProvisioningError,
  repositoryBasename,
} from '@provisioning/schemas';
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

/**
 * Where each source goes (`place`), in order; two sources landing in one place are a usage error
 * naming both, raised before anything moves.
 */
export function placeEach(
  sources: readonly string[],
  place: (source: string) => string,
  clash: { code: ErrorCode; hint: string; show?: (place: string) => string },
): { source: string; place: string }[] {
  const seen = new Map<string, string>();
  return sources.map((source) => {
    const target = place(source);
    const earlier = seen.get(target);
    if (earlier !== undefined) {
      throw new ProvisioningError(
        clash.code,
        `${JSON.stringify(earlier)} and ${JSON.stringify(source)} would both go to ${clash.show?.(target) ?? target}`,
        { kind: 'usage', hint: clash.hint },
      );
    }
    seen.set(target, source);
    return { source, place: target };
  });
}
