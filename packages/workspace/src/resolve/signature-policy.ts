/**
 * The `verify` policy of `dependencies.extensions` (docs/signing.md, "Trust policy"), enforced by
 * `dep resolve` before anything is fetched for extraction: every module must carry a cosign
 * signature by one of the trusted keys for its digest and repository (or, with `require: false`,
 * may carry none). One error names every refused module, its reference, digest and reason.
 */
import type { VerifyPolicy } from '@provisioning/schemas';
import { ProvisioningError } from '@provisioning/schemas';
import { resolveConfigPath } from '../config/home.js';
import { checkSignatures, type TrustedKey } from '../signing/check-signatures.js';
import { loadPublicKeys } from '../signing/key-files.js';
import type { SignatureSet } from '../signing/signature-store.js';

export interface PolicySubject {
  /** Module (or platform image) name. */
  name: string;
  reference: string;
  digest: string;
  /** `namespace/name` the artifact is read from. */
  repository: string;
  /** The signature manifest a lockfile accepted before (frozen installs read it by digest). */
  signatureDigest?: string;
}

/** Reads the signature set of one subject (through the cache for extensions). */
export type SignatureReader = (subject: PolicySubject) => Promise<SignatureSet | undefined>;

/** The policy's keys, paths resolved like other config paths (`~`, relative to the workspace). */
export function policyKeys(policy: VerifyPolicy, workspaceRoot: string): Promise<TrustedKey[]> {
  return loadPublicKeys(policy.keys.map((key) => resolveConfigPath(key, workspaceRoot, process.env)));
}

/**
 * name → accepted signature manifest digest (absent for an unsigned subject `require: false`
 * lets through). Throws `SIGNATURE_REFUSED` listing every refusal.
 */
export async function enforceSignaturePolicy(
  policy: VerifyPolicy | undefined,
  workspaceRoot: string,
  subjects: PolicySubject[],
  read: SignatureReader | undefined,
  what: 'module' | 'platform image',
): Promise<Map<string, string>> {
  const accepted = new Map<string, string>();
  if (!policy) return accepted;
  const keys = await policyKeys(policy, workspaceRoot);
  const required = policy.require ?? true;
  const results = await Promise.allSettled(
    subjects.map(async (subject) => {
      const set = read ? await read(subject) : undefined;
      try {
        const signature = checkSignatures(set, subject, keys);
        accepted.set(subject.name, signature.signatureDigest);
      } catch (error) {
        if (!required && (error as ProvisioningError).code === 'SIGNATURE_NOT_FOUND') return;
        throw error;
      }
    }),
  );
  const failures: { line: string; code: string }[] = [];
  results.forEach((result, i) => {
    if (result.status === 'fulfilled') return;
    const reason = result.reason as ProvisioningError;
    failures.push({
      line: `${what} ${subjects[i]!.name}: ${reason.message}`,
      code: reason.code ?? 'SIGNATURE_REFUSED',
    });
  });
  if (failures.length === 0) return accepted;
  const first = results.find((r): r is PromiseRejectedResult => r.status === 'rejected')!
    .reason as ProvisioningError;
  // a registry that cannot be read is a registry failure, not a refusal
  if (failures.every((f) => !f.code.startsWith('SIGNATURE_') && !f.code.startsWith('KEY_'))) throw first;
  throw new ProvisioningError('SIGNATURE_REFUSED', failures.map((f) => f.line).join('\n'), {
    kind: 'input',
    hint:
      first.hint ??
      "sign the artifacts with `provisioning oci sign REF --key KEY`, or add the signer's public key to verify.keys",
    cause: first,
    details: { failures: failures.map((f) => ({ message: f.line, code: f.code })) },
  });
}
