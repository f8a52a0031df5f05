import { isValidRepository, ProvisioningError } from '@provisioning/schemas';
import type { ConfigSource } from './effective-config.js';

/**
 * A namespace is the repository path before the extension name (`provisioning-extensions`,
 * `provisioning/extensions`): it must itself be a valid distribution-spec repository path.
 */
export function checkNamespace(value: string, origin: string, source: ConfigSource): void {
  if (isValidRepository(value)) return;
  const code = source === 'flag' ? 'FLAG_INVALID' : source === 'env' ? 'ENV_INVALID' : 'CONFIG_INVALID';
  throw new ProvisioningError(code, `${origin}: invalid namespace "${value}"`, {
    kind: source === 'flag' ? 'usage' : 'input',
    hint: 'use lowercase path components separated by "/", e.g. provisioning-extensions',
    details: { value, origin },
  });
}
