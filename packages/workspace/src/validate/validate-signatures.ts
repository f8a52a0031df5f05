/**
 * `dep validate`'s signature check (docs/signing.md, "Trust policy"): with a `verify` policy, every
 * locked module's accepted signature manifest is read from the cache by the lockfile's digest and
 * checked again against today's keys, with no network. A module the policy requires a signature
 * for but the lockfile records none, a key no longer trusted, or a signature missing from the cache
 * is one problem each.
 */
import { type Lockfile, parseReference } from '@provisioning/schemas';
import { ExtensionCache } from '../cache/cache-store.js';
import { policyKeys } from '../resolve/signature-policy.js';
import type { WorkspaceSettings } from '../settings/workspace-settings.js';
import { checkSignatures } from '../signing/check-signatures.js';
import { readSignatures } from '../signing/signature-store.js';
import { cacheRegistryOf } from '../source/workspace-source.js';

export interface SignatureProblem {
  module: string;
  message: string;
}

export async function lockedSignatureProblems(
  settings: WorkspaceSettings,
  lock: Lockfile,
): Promise<SignatureProblem[]> {
  const policy = settings.config.dependencies.extensions?.verify;
  if (!policy) return [];
  const keys = await policyKeys(policy, settings.root);
  const required = policy.require ?? true;
  const cache = new ExtensionCache(settings.cacheDir);
  const problems: SignatureProblem[] = [];
  for (const [name, mod] of Object.entries(lock.modules).sort(([a], [b]) => (a < b ? -1 : 1))) {
    if (!mod.signature_digest) {
      if (required) {
        problems.push({
          module: name,
          message: `${name}: the lockfile records no accepted signature, and verify.require is on; run \`provisioning dep resolve\``,
        });
      }
      continue;
    }
    const ref = parseReference(mod.reference);
    const cached = await cache.repository(cacheRegistryOf(settings, ref.registry), ref.repository, false);
    const set = cached ? await readSignatures(cached, { signatureDigest: mod.signature_digest }) : undefined;
    if (!set) {
      problems.push({
        module: name,
        message: `${name}: the signature ${mod.signature_digest} is not in the cache; run \`provisioning dep resolve --frozen\` to fetch and check it`,
      });
      continue;
    }
    try {
      checkSignatures(
        set,
        { reference: mod.reference, digest: mod.manifest_digest, repository: ref.repository },
        keys,
      );
    } catch (error) {
      problems.push({ module: name, message: `${name}: ${(error as Error).message}` });
    }
  }
  return problems;
}
