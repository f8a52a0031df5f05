/**
 * Platform service images (`dependencies.platform.images`) are ordinary container images: resolved to
 * a manifest digest (HEAD) and pinned in the lockfile. All are resolved in parallel; every image that
 * fails is named in one error.
 */
import type { Lockfile } from '@provisioning/schemas';
import { type ErrorCode, formatReference, ProvisioningError, parseReference } from '@provisioning/schemas';

export type PlatformImages = NonNullable<Lockfile['platform']>['images'];

/** Resolves an image reference (`host/ns/name:tag`) to its manifest digest. */
export type ImageResolver = (reference: string) => Promise<string>;

export async function resolvePlatformImages(
  images: Record<string, string> | undefined,
  defaults: { registry: string; namespace: string },
  resolveImage: ImageResolver,
): Promise<PlatformImages> {
  const entries = Object.entries(images ?? {}).sort(([a], [b]) => (a < b ? -1 : 1));
  const results = await Promise.allSettled(
    entries.map(async ([name, written]) => {
      const reference = formatReference(parseReference(written, defaults));
      return [name, { reference, digest: await resolveImage(reference) }] as const;
    }),
  );
  const failures: string[] = [];
  const out: PlatformImages = {};
  results.forEach((result, i) => {
    const [name, written] = entries[i]!;
    if (result.status === 'fulfilled') out[name] = result.value[1];
    else failures.push(`platform image ${name} (${written}): ${(result.reason as Error).message}`);
  });
  if (failures.length > 0) throw aggregateError('PLATFORM_IMAGE_UNRESOLVED', failures, results);
  return out;
}

/** One error naming every failed item; the kind is the first failure's (registry/network → exit 3). */
/** `LABEL: message`, unless the message already names what failed (no `oci://x: x is …` echo). */
export function failureLine(label: string, reason: unknown): string {
  const message = reason instanceof Error ? reason.message : String(reason);
  return message.includes(label.replace(/^oci:\/\//, '')) ? message : `${label}: ${message}`;
}

export function aggregateError(
  code: ErrorCode,
  lines: string[],
  results: PromiseSettledResult<unknown>[],
): ProvisioningError {
  const first = results.find((r): r is PromiseRejectedResult => r.status === 'rejected')?.reason;
  const kind = first instanceof ProvisioningError ? first.kind : 'registry';
  const hint =
    first instanceof ProvisioningError && first.hint
      ? first.hint
      : 'check that the registry is reachable and the references exist';
  return new ProvisioningError(code, lines.join('\n'), {
    kind,
    hint,
    cause: first,
    details: { failures: lines },
  });
}
