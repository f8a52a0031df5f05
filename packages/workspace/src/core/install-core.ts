/**
 * `provisioning core install VERSION|REF`: pulls a core release into
 * `$PROVISIONING_HOME/core/VERSION/`. The manifest must be a core artifact; the layer streams
 * through `unpackExtension` (digest, size and every file checked against its oci-manifest.json)
 * into a staging directory renamed into place, so a failure leaves nothing behind. With a verify
 * policy (`dependencies.extensions.verify`) the release must carry an accepted signature first.
 */
import { stat } from 'node:fs/promises';
import { join } from 'node:path';
import { readCappedBytes } from '@provisioning/oci-client';
import { unpackExtension } from '@provisioning/packager';
import {
  MAX_MANIFEST_BYTES,
  MediaTypes,
  ProvisioningError,
  resolvePath,
  writeFileAtomic,
} from '@provisioning/schemas';
import type { OciSession } from '../oci/oci-session.js';
import { verifyArtifact } from '../oci/verify-artifact.js';
import { isNotFound } from '../repository/not-found-error.js';
import { CORE_ORIGIN_FILE } from '../resolve/running-core-digest.js';
import { loadPublicKeys } from '../signing/key-files.js';
import { coreTarget, installedCoreDir } from './core-reference.js';

export interface InstallCoreResult {
  version: string;
  reference: string;
  digest: string;
  dir: string;
  outcome: 'installed' | 'present';
  /** The signature accepted by the verify policy, when one applies. */
  signatureDigest?: string;
}

export async function installCore(session: OciSession, input: string): Promise<InstallCoreResult> {
  const { reference, version } = coreTarget(input, session.config.registry.value);
  const dir = installedCoreDir(version);
  const opened = await session.open(reference);
  const tag = `v${version}`;
  const descriptor = await opened.target.resolve(tag).catch((error: unknown) => {
    if (isNotFound(error)) throw coreNotPublished(reference);
    throw error;
  });
  if (await isFile(join(dir, 'bin', 'run.js'))) {
    return { version, reference, digest: descriptor.digest, dir, outcome: 'present' };
  }
  const manifest = JSON.parse(
    (await readCappedBytes(await opened.target.fetch(descriptor), MAX_MANIFEST_BYTES)).toString('utf8'),
  ) as { artifactType?: string; layers?: { mediaType: string; digest: string; size: number }[] };
  const layer = manifest.layers?.[0];
  if (
    manifest.artifactType !== MediaTypes.coreArtifact ||
    !layer ||
    layer.mediaType !== MediaTypes.coreContent
  ) {
    throw new ProvisioningError(
      'CORE_INVALID',
      `${reference} is not a provisioning core (artifactType ${manifest.artifactType ?? 'none'})`,
      {
        kind: 'input',
        hint: `publish a core there with \`provisioning core publish\`, or name another release`,
        details: { reference, artifactType: manifest.artifactType },
      },
    );
  }
  const signatureDigest = await checkPolicy(session, reference, descriptor.digest);
  await unpackExtension(await opened.target.fetch(layer), dir, {
    expectedDigest: layer.digest,
    expectedSize: layer.size,
    limits: { maxTotalBytes: 1024 ** 3, maxEntries: 100_000 },
  });
  // where it came from, for `core which` and the lockfile's core.digest (resolve/running-core-digest.ts)
  await writeFileAtomic(
    join(dir, CORE_ORIGIN_FILE),
    `${JSON.stringify({ version, digest: descriptor.digest, reference }, null, 2)}\n`,
  );
  return {
    version,
    reference,
    digest: descriptor.digest,
    dir,
    outcome: 'installed',
    ...(signatureDigest ? { signatureDigest } : {}),
  };
}

export function coreNotPublished(reference: string): ProvisioningError {
  return new ProvisioningError('CORE_NOT_PUBLISHED', `core ${reference} is not published`, {
    kind: 'input',
    hint: 'see `provisioning core list`, publish it with `provisioning core publish`, or fix dependencies.core.source',
    details: { reference },
  });
}

async function checkPolicy(
  session: OciSession,
  reference: string,
  digest: string,
): Promise<string | undefined> {
  const policy = session.config.workspaceConfig?.dependencies.extensions?.verify;
  if (!policy) return undefined;
  const base = session.config.workspace.value ?? process.cwd();
  const keys = await loadPublicKeys(policy.keys.map((k) => resolvePath(k, base, process.env)));
  try {
    return (await verifyArtifact(session, `${reference.split('@')[0]}@${digest}`, { keys })).signatureDigest;
  } catch (error) {
    if (
      policy.require === false &&
      error instanceof ProvisioningError &&
      error.code === 'SIGNATURE_NOT_FOUND'
    )
      return undefined;
    throw error;
  }
}

async function isFile(path: string): Promise<boolean> {
  return (await stat(path).catch(() => undefined))?.isFile() ?? false;
}
