/**
 * One extension in full: its versions, the chosen version's manifest (the config blob: the
 * extension's manifest.yaml as JSON), its dependencies and its signature status. Reuses
 * `inspectArtifact` (manifest + config + cosign signature tag) and `verifyArtifact` (keys).
 */

import { basename } from 'node:path';
import { ProvisioningError } from '@provisioning/schemas';
import { inspectArtifact } from '../oci/inspect-artifact.js';
import { whenFound } from '../oci/not-found.js';
import type { OciSession } from '../oci/oci-session.js';
import { orderTags } from '../oci/tag-order.js';
import { verifyArtifact } from '../oci/verify-artifact.js';
import type { TrustedKey } from '../signing/check-signatures.js';
import { readLayerReadme } from './layer-readme.js';

export type SignatureStatus = 'verified' | 'signed' | 'unsigned' | 'invalid';

export interface ExtensionDependency {
  name: string;
  constraint: string;
  optional: boolean;
}

export interface ExtensionDescription {
  namespace: string;
  name: string;
  type: string | null;
  version: string;
  /** Version tags, newest first. */
  versions: string[];
  description: string | null;
  digest: string;
  reference: string;
  manifest: Record<string, unknown> | null;
  /** `docs/README.md` (or `README.md`) from the content layer; null when it has none. */
  readme: string | null;
  dependencies: ExtensionDependency[];
  /** `keyId` on the signature that verified: the file name of the trusted key that accepted it. */
  signature: { status: SignatureStatus; signatures: { digest: string; keyId?: string }[] };
}

export interface DescribeOptions {
  namespace?: string;
  /** A tag; default the newest version. */
  version?: string;
  /** Keys to verify the signature with: `verified`/`invalid` are only reported with keys. */
  keys?: TrustedKey[];
}

export async function describeExtension(
  session: OciSession,
  name: string,
  options: DescribeOptions = {},
): Promise<ExtensionDescription> {
  const namespace = (options.namespace ?? session.namespace).replace(/\/+$/, '');
  const repository = `${session.config.registry.value}/${namespace ? `${namespace}/` : ''}${name}`;
  const opened = await session.open(repository);
  const tags = await whenFound(session, opened, undefined, () => opened.target.tags());
  const versions = orderTags(tags)
    .filter((t) => t.version !== null)
    .map((t) => t.tag);
  const input = options.version ? `${repository}:${options.version}` : repository;
  const inspected = await inspectArtifact(session, input);
  if (!inspected.extension) {
    throw new ProvisioningError('NOT_AN_EXTENSION', `${inspected.reference} is not an extension artifact`, {
      kind: 'input',
      hint: 'pick an extension repository: GET /api/v1/extensions lists them',
    });
  }
  const manifest = inspected.extension;
  const tag = inspected.reference.slice(inspected.reference.lastIndexOf(':') + 1);
  let signatures: { digest: string; keyId?: string }[] = (inspected.signatures?.signatures ?? []).map(
    (s) => ({
      digest: s.layerDigest,
    }),
  );
  let status: SignatureStatus = signatures.length > 0 ? 'signed' : 'unsigned';
  if (signatures.length > 0 && options.keys && options.keys.length > 0) {
    const accepted = await verifyArtifact(session, inspected.reference, { keys: options.keys }).catch(
      () => undefined,
    );
    status = accepted ? 'verified' : 'invalid';
    if (accepted) {
      signatures = signatures.map((s) =>
        s.digest === accepted.layerDigest ? { ...s, keyId: basename(accepted.keyFile) } : s,
      );
    }
  }
  return {
    namespace,
    name,
    type: typeof manifest.type === 'string' ? manifest.type : null,
    version: typeof manifest.version === 'string' ? manifest.version : tag,
    versions,
    description: typeof manifest.description === 'string' ? manifest.description : null,
    digest: inspected.digest,
    reference: inspected.reference,
    manifest,
    readme: inspected.layers[0] ? await readLayerReadme(opened.target, inspected.layers[0]) : null,
    dependencies: dependenciesOf(manifest),
    signature: { status, signatures },
  };
}

/** `dependencies: {name: range}` and `optional_dependencies` of an extension manifest. */
export function dependenciesOf(manifest: Record<string, unknown>): ExtensionDependency[] {
  const out: ExtensionDependency[] = [];
  for (const [key, optional] of [
    ['dependencies', false],
    ['optional_dependencies', true],
  ] as const) {
    const deps = manifest[key];
    if (!deps || typeof deps !== 'object' || Array.isArray(deps)) continue;
    for (const [name, constraint] of Object.entries(deps))
      if (typeof constraint === 'string') out.push({ name, constraint, optional });
  }
  return out.sort((a, b) => (a.name < b.name ? -1 : 1));
}
