/** The public keys of the workspace's extension trust policy (`dependencies.extensions.verify.keys`), or none. */
import { policyKeys } from '../resolve/signature-policy.js';
import type { WorkspaceSettings } from '../settings/workspace-settings.js';
import type { TrustedKey } from '../signing/check-signatures.js';

export async function workspaceTrustedKeys(settings: WorkspaceSettings | undefined): Promise<TrustedKey[]> {
  const policy = settings?.config.dependencies.extensions?.verify;
  return policy ? policyKeys(policy, settings.root) : [];
}
