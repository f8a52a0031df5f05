/**
 * "It is not there", whatever answered: a registry's 404, or a not-found code from the embedded
 * storage (`LAYOUT_NOT_FOUND`, `MANIFEST_UNKNOWN`, ...). Digest failures are not absences.
 */
import { ProvisioningError } from '@provisioning/schemas';

export function isNotFound(err: unknown): boolean {
  if (!(err instanceof ProvisioningError)) return false;
  if (err.details.status === 404) return true;
  return /NOT_FOUND|UNKNOWN$/.test(err.code) && !/^DIGEST/.test(err.code);
}
