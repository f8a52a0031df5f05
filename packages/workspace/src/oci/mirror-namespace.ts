/**
 * `oci mirror SRC_NAMESPACE DST_REGISTRY[/NS]` (docs/sources.md, "Keeping a mirror in sync"): every
 * repository under the source namespace, copied with `copy` (blobs streamed, digests unchanged).
 * Incremental: a tag whose digest already is the same on the destination is not touched, so a
 * second run only asks (two HEADs per tag) and transfers nothing. Which tags: the version tags
 * (`--since V`: from V on) and the cosign tags attached to them (`sha256-<hex>.sig`, `.att`,
 * `.sbom`), or with `--all-tags` every tag. OCI 1.1 referrers of a copied version come along; the
 * `sha256-<hex>` referrers fallback index is rebuilt by the destination, never copied over it.
 * The source is read directly, never through mirrors (it may be mirrored by the destination).
 */
import { type CopyProgressEvent, copy, type Registry } from '@provisioning/oci-client';
import {
  isValidConfiguredRegistry,
  isValidRepository,
  looksLikeRegistry,
  ProvisioningError,
  versionFromTag,
} from '@provisioning/schemas';
import semver from 'semver';
import { isNotFound } from '../repository/not-found-error.js';
import { eachSettled } from './each-settled.js';
import type { OciSession } from './oci-session.js';

export interface MirrorNamespaceOptions {
  /** Every tag, not only versions and their signatures. */
  allTags?: boolean;
  /** Only versions from this one on (semver, `v` accepted). */
  since?: string;
  /** Tags copied at once (default 8). */
  concurrency?: number;
  onProgress?(event: CopyProgressEvent): void;
}

export interface MirroredTag {
  source: string;
  destination: string;
  digest: string;
}

export interface MirrorNamespaceResult {
  source: string;
  destination: string;
  repositories: number;
  copied: MirroredTag[];
  /** Tags already at the same digest on the destination. */
  upToDate: number;
  failed: { source: string; destination: string; error: unknown }[];
}

interface Namespace {
  registry: string;
  scheme?: 'https' | 'http';
  /** Repository path prefix; empty for a whole registry (destination only). */
  path: string;
}

interface PlannedTag {
  repository: string;
  target: string;
  tag: string;
  digest: string;
  attached: boolean;
}

/** cosign's tags next to a manifest: `sha256-<hex>.sig` (signatures), `.att`, `.sbom`. */
const ATTACHED_TAG = /^sha256-([a-f0-9]{64})\.(sig|att|sbom)$/;
/** The distribution-spec referrers fallback tag: the destination maintains its own. */
const REFERRERS_TAG = /^sha256-[a-f0-9]{64}$/;

export async function mirrorNamespace(
  session: OciSession,
  sourceInput: string,
  destinationInput: string,
  options: MirrorNamespaceOptions = {},
): Promise<MirrorNamespaceResult> {
  const source = parseNamespace(session, sourceInput, 'SRC_NAMESPACE', true);
  const destination = parseNamespace(session, destinationInput, 'DST_REGISTRY[/NS]', false);
  const since = options.since === undefined ? undefined : sinceVersion(options.since);
  const from = session.registry(source.registry, source.scheme);
  const to = session.registry(destination.registry, destination.scheme);
  const repositories = (await from.catalog()).filter(
    (repo) => repo === source.path || repo.startsWith(`${source.path}/`),
  );
  if (repositories.length === 0) {
    throw new ProvisioningError(
      'REPOSITORY_NOT_FOUND',
      `no repositories under ${source.registry}/${source.path}`,
      {
        kind: 'input',
        hint: `\`provisioning oci list --registry ${source.registry}\` shows what the registry holds`,
        details: { source: sourceInput },
      },
    );
  }
  const targetOf = (repo: string) =>
    destination.path === ''
      ? repo
      : `${destination.path}${repo.slice(source.path.length)}`.replace(/^\/+/, '');
  const concurrency = options.concurrency ?? 8;

  const planned = await eachSettled(repositories, concurrency, (repo) =>
    planRepository(from, repo, targetOf(repo), { allTags: options.allTags ?? false, since }),
  );
  const tags = planned.done.flatMap((d) => d.result);
  const failed: MirrorNamespaceResult['failed'] = planned.failed.map((f) => ({
    source: `${source.registry}/${f.item}`,
    destination: `${destination.registry}/${targetOf(f.item)}`,
    error: f.error,
  }));
  const name = (registry: string, repo: string, tag: string) => `${registry}/${repo}:${tag}`;
  const copied: MirroredTag[] = [];
  let upToDate = 0;
  // subjects before what is attached to them: a verifier on the mirror never sees a lone signature
  for (const group of [tags.filter((t) => !t.attached), tags.filter((t) => t.attached)]) {
    const settled = await eachSettled(group, concurrency, async (entry) => {
      const dst = to.repository(entry.target);
      const existing = await dst.resolve(entry.tag).catch((error: unknown) => {
        if (isNotFound(error)) return undefined;
        throw error;
      });
      if (existing?.digest === entry.digest) return false;
      await copy(from.repository(entry.repository), entry.digest, dst, entry.tag, {
        referrers: !entry.attached,
        ...(options.onProgress ? { onProgress: options.onProgress } : {}),
      });
      return true;
    });
    for (const { item, result } of settled.done) {
      if (!result) upToDate += 1;
      else
        copied.push({
          source: name(source.registry, item.repository, item.tag),
          destination: name(destination.registry, item.target, item.tag),
          digest: item.digest,
        });
    }
    for (const { item, error } of settled.failed) {
      failed.push({
        source: name(source.registry, item.repository, item.tag),
        destination: name(destination.registry, item.target, item.tag),
        error,
      });
    }
  }
  return {
    source: `${source.registry}/${source.path}`,
    destination:
      destination.path === '' ? destination.registry : `${destination.registry}/${destination.path}`,
    repositories: repositories.length,
    copied,
    upToDate,
    failed,
  };
}

async function planRepository(
  from: Registry,
  repository: string,
  target: string,
  filter: { allTags: boolean; since: string | undefined },
): Promise<PlannedTag[]> {
  const src = from.repository(repository);
  const tags = (await src.tags()).filter((tag) => !REFERRERS_TAG.test(tag));
  const isRoot = (tag: string) => {
    if (ATTACHED_TAG.test(tag)) return false;
    if (filter.allTags) return true;
    const version = versionFromTag(tag);
    return version !== null && (filter.since === undefined || semver.gte(version, filter.since));
  };
  const roots = await Promise.all(
    tags.filter(isRoot).map(async (tag) => ({ tag, digest: (await src.resolve(tag)).digest })),
  );
  const rootHexes = new Set(roots.map((r) => r.digest.replace(/^sha256:/, '')));
  const attachedTags = tags.filter((tag) => {
    const match = ATTACHED_TAG.exec(tag);
    return match !== null && (filter.allTags || rootHexes.has(match[1] as string));
  });
  const attached = await Promise.all(
    attachedTags.map(async (tag) => ({ tag, digest: (await src.resolve(tag)).digest })),
  );
  return [
    ...roots.map((r) => ({ repository, target, ...r, attached: false })),
    ...attached.map((a) => ({ repository, target, ...a, attached: true })),
  ];
}

function sinceVersion(value: string): string {
  const version = versionFromTag(value);
  if (version === null || !semver.valid(version)) {
    throw new ProvisioningError('FLAG_INVALID', `--since ${JSON.stringify(value)} is not a version`, {
      kind: 'usage',
      hint: 'give the first version to mirror, e.g. --since 1.2.0',
    });
  }
  return version;
}

/** `REGISTRY/NS`, `NS` (on the configured registry), or for the destination also `REGISTRY`. */
function parseNamespace(session: OciSession, input: string, what: string, needsPath: boolean): Namespace {
  const scheme = /^(https?):\/\//i.exec(input);
  const rest = (scheme ? input.slice(scheme[0].length) : input).replace(/\/+$/, '');
  const slash = rest.indexOf('/');
  const first = slash === -1 ? rest : rest.slice(0, slash);
  const hasRegistry = scheme !== null || looksLikeRegistry(first);
  const registry = hasRegistry ? first.toLowerCase() : session.config.registry.value;
  const path = hasRegistry ? (slash === -1 ? '' : rest.slice(slash + 1)) : rest;
  const invalid =
    (hasRegistry && !isValidConfiguredRegistry(registry)) ||
    (path !== '' && !isValidRepository(path)) ||
    (needsPath && path === '') ||
    /[:@]/.test(path);
  if (invalid) {
    throw new ProvisioningError(
      'MIRROR_ARGUMENT_INVALID',
      `${what} ${JSON.stringify(input)} is not ${needsPath ? 'a namespace' : 'a registry or namespace'}`,
      {
        kind: 'usage',
        hint: needsPath
          ? 'write REGISTRY/NAMESPACE (or NAMESPACE on the configured registry), without a tag'
          : 'write REGISTRY (keeps the repository paths) or REGISTRY/NAMESPACE, without a tag',
        details: { argument: input },
      },
    );
  }
  const lower = scheme?.[1]?.toLowerCase();
  return { registry, path, ...(lower === 'https' || lower === 'http' ? { scheme: lower } : {}) };
}
