/**
 * `bundle push FILE REGISTRY [--namespace-map old=new]` (docs/air-gap.md): every artifact of a
 * bundle to the registry of an air-gapped site, each at its original repository path (or the path
 * with a mapped namespace) under its original tag. Signatures go after what they sign. A tag that
 * already has the same digest there is left alone, so a second push uploads nothing.
 */
import { type ArchiveEntry, type CopyProgressEvent, copy, LayoutArchive } from '@provisioning/oci-client';
import { isValidRepository, ProvisioningError } from '@provisioning/schemas';
import { parseRegistryEndpoint } from '../config/registry-host.js';
import { eachSettled } from '../oci/each-settled.js';
import type { OciSession } from '../oci/oci-session.js';
import { isNotFound } from '../repository/not-found-error.js';
import { BUNDLE_KIND } from './create-bundle.js';

export interface PushBundleOptions {
  /** `old=new` namespace prefixes (`--namespace-map`), applied to the repository path. */
  namespaceMap?: readonly string[];
  concurrency?: number;
  onProgress?(event: CopyProgressEvent): void;
}

export interface PushBundleResult {
  file: string;
  registry: string;
  pushed: { source: string; destination: string; digest: string }[];
  upToDate: number;
  failed: { source: string; destination: string; error: unknown }[];
}

export async function pushBundle(
  session: OciSession,
  file: string,
  registryInput: string,
  options: PushBundleOptions = {},
): Promise<PushBundleResult> {
  const endpoint = parseRegistryEndpoint(registryInput, { where: 'REGISTRY', code: 'FLAG_INVALID' });
  const map = parseNamespaceMap(options.namespaceMap ?? []);
  const archive = await LayoutArchive.open(file);
  const registry = session.registry(
    endpoint.host,
    endpoint.tls === undefined ? undefined : endpoint.tls ? 'https' : 'http',
  );
  const target = (entry: ArchiveEntry) =>
    mapPath(entry.repository.slice(entry.repository.indexOf('/') + 1), map);
  const pushed: PushBundleResult['pushed'] = [];
  const failed: PushBundleResult['failed'] = [];
  let upToDate = 0;
  const isSignature = (e: ArchiveEntry) => e.descriptor.annotations?.[BUNDLE_KIND] === 'signature';
  for (const group of [archive.entries.filter((e) => !isSignature(e)), archive.entries.filter(isSignature)]) {
    const settled = await eachSettled(group, options.concurrency ?? 8, async (entry) => {
      const dst = registry.repository(target(entry));
      const existing = await dst.resolve(entry.tag).catch((error: unknown) => {
        if (isNotFound(error)) return undefined;
        throw error;
      });
      if (existing?.digest === entry.descriptor.digest) return false;
      await copy(archive.repository(entry.repository), entry.descriptor.digest, dst, entry.tag, {
        ...(options.onProgress ? { onProgress: options.onProgress } : {}),
      });
      return true;
    });
    const destination = (e: ArchiveEntry) => `${endpoint.host}/${target(e)}:${e.tag}`;
    for (const { item, result } of settled.done) {
      if (result)
        pushed.push({
          source: item.reference,
          destination: destination(item),
          digest: item.descriptor.digest,
        });
      else upToDate += 1;
    }
    for (const { item, error } of settled.failed) {
      failed.push({ source: item.reference, destination: destination(item), error });
    }
  }
  return { file: archive.location, registry: endpoint.host, pushed, upToDate, failed };
}

/** `old=new` pairs, longest `old` first (the most specific prefix wins). */
export function parseNamespaceMap(values: readonly string[]): [string, string][] {
  const pairs = values.map((value): [string, string] => {
    const [old, replacement, ...rest] = value.split('=');
    const ok =
      rest.length === 0 &&
      old !== undefined &&
      replacement !== undefined &&
      isValidRepository(old.replace(/\/+$/, '')) &&
      isValidRepository(replacement.replace(/\/+$/, ''));
    if (!ok) {
      throw new ProvisioningError(
        'FLAG_INVALID',
        `--namespace-map ${JSON.stringify(value)}: expected OLD=NEW`,
        {
          kind: 'usage',
          hint: 'give two namespaces, e.g. --namespace-map provisioning-extensions=site/extensions',
          details: { value },
        },
      );
    }
    return [old.replace(/\/+$/, ''), replacement.replace(/\/+$/, '')];
  });
  return pairs.sort(([a], [b]) => b.length - a.length);
}

function mapPath(path: string, map: readonly [string, string][]): string {
  for (const [old, replacement] of map) {
    if (path === old || path.startsWith(`${old}/`)) return `${replacement}${path.slice(old.length)}`;
  }
  return path;
}
