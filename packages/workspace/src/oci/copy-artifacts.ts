/**
 * `oci copy SRC... DST`: several artifacts in one run, like `cp a b c DIR/`. DST is a container:
 * a registry namespace (`REGISTRY/NS`, or `NS` on the configured registry) or an image-layout
 * directory (`oci-layout:DIR`, one layout per repository under it: the embedded storage's and
 * Zot's format, which skopeo, umoci and oras read). Each source lands at `DST/<name>` under its own
 * tag (or digest). Every destination is worked out before anything moves, so a bad argument
 * fails the whole run at once; transfers then run concurrently and every failure is reported.
 */
import { join } from 'node:path';
import { isLayoutLocation, parseLayoutLocation } from '@provisioning/oci-client';
import { formatReference, ProvisioningError, parseReference } from '@provisioning/schemas';
import { nameSource, placeEach } from './artifact-name.js';
import { type CopyArtifactOptions, type CopyArtifactResult, copyArtifact } from './copy-artifact.js';
import { eachSettled } from './each-settled.js';
import type { OciSession } from './oci-session.js';

export interface CopyArtifactsOptions extends CopyArtifactOptions {
  /** Artifacts in flight at once (default 8). */
  concurrency?: number;
}

export interface PlannedCopy {
  source: string;
  destination: string;
}

export interface CopyArtifactsResult {
  copied: CopyArtifactResult[];
  failed: { source: string; destination: string; error: unknown }[];
}

export async function copyArtifacts(
  session: OciSession,
  sources: readonly string[],
  destination: string,
  options: CopyArtifactsOptions = {},
): Promise<CopyArtifactsResult> {
  const plan = planCopies(session, sources, destination);
  const settled = await eachSettled(plan, options.concurrency ?? 8, (entry) =>
    copyArtifact(session, entry.source, entry.destination, options),
  );
  return {
    copied: settled.done.map((d) => d.result),
    failed: settled.failed.map((f) => ({ ...f.item, error: f.error })),
  };
}

/** Where each source goes; throws a usage error (before any transfer) for anything ambiguous. */
export function planCopies(
  session: OciSession,
  sources: readonly string[],
  destination: string,
): PlannedCopy[] {
  const into = destinationContainer(session, destination);
  return placeEach(
    sources,
    (source) => {
      const { name, reference = unversioned(source) } = nameSource(session, source);
      return into(name, reference);
    },
    {
      code: 'COPY_DESTINATION_CLASH',
      hint: 'copy artifacts with the same name and version in separate runs',
      show: (target) => target.replace(/^oci:\/\//, ''),
    },
  ).map(({ source, place }) => ({ source, destination: place }));
}

function unversioned(source: string): never {
  throw new ProvisioningError(
    'COPY_SOURCE_UNVERSIONED',
    `source ${JSON.stringify(source)} names no tag or digest`,
    {
      kind: 'usage',
      hint: 'name every source version: NAME:VERSION, REGISTRY/NS/NAME:TAG or oci-layout:PATH:TAG',
    },
  );
}

function destinationContainer(
  session: OciSession,
  destination: string,
): (name: string, reference: string) => string {
  const suffix = (reference: string) => (reference.includes(':') ? `@${reference}` : `:${reference}`);
  if (isLayoutLocation(destination)) {
    const location = parseLayoutLocation(destination);
    if (location.reference !== undefined) throw notAContainer(destination);
    return (name, reference) => `oci-layout:${join(location.path, name)}${suffix(reference)}`;
  }
  let parsed: ReturnType<typeof parseReference>;
  try {
    parsed = parseReference(destination, { registry: session.config.registry.value, namespace: '' });
  } catch (error) {
    throw notAContainer(destination, error);
  }
  if (parsed.tag !== undefined || parsed.digest !== undefined) throw notAContainer(destination);
  // `https://`/`http://` on the destination chose its scheme: each destination keeps it
  const prefix = parsed.scheme === undefined ? '' : `${parsed.scheme}://`;
  return (name, reference) => {
    const formatted = formatReference(
      {
        registry: parsed.registry,
        repository: `${parsed.repository}/${name}`,
        ...(reference.includes(':') ? { digest: reference } : { tag: reference }),
      },
      { scheme: prefix === '' },
    );
    return `${prefix}${formatted}`;
  };
}

function notAContainer(destination: string, cause?: unknown): ProvisioningError {
  return new ProvisioningError(
    'COPY_DESTINATION_INVALID',
    `with several sources the destination ${JSON.stringify(destination)} must be a namespace or a directory`,
    {
      kind: 'usage',
      hint: 'write REGISTRY/NAMESPACE (each source keeps its name and tag) or oci-layout:DIR (one layout per name)',
      ...(cause ? { cause } : {}),
    },
  );
}
