/**
 * `oci list [--namespace NS]`: the repositories under a namespace (the registry catalog filtered by
 * the `NS/` prefix, or the embedded layout storage), each with its newest version. Registries that
 * forbid the catalog (GHCR, Docker Hub, many Harbor set-ups) get a clear error instead of an empty list.
 */
import { createLimiter, RegistryError } from '@provisioning/oci-client';
import { closestMatch, formatReference } from '@provisioning/schemas';
import type { OciSession } from './oci-session.js';
import { latestTag } from './tag-order.js';

export interface ListedExtension {
  /** Name below the namespace (`kubernetes`). */
  name: string;
  /** `namespace/name`. */
  repository: string;
  /** Highest semver tag (else `latest`), null when the repository has no tags. */
  latest: string | null;
  /** Number of tags. */
  tags: number;
  /** `registry/namespace/name:latest-version` (without tag when there is none). */
  reference: string;
}

export interface ListOptions {
  /** Namespace to list (default: the configured extensions namespace). */
  namespace?: string;
  /** Parallel tag listings (default 4). */
  concurrency?: number;
}

export async function listExtensions(
  session: OciSession,
  options: ListOptions = {},
): Promise<ListedExtension[]> {
  const namespace = (options.namespace ?? session.namespace).replace(/\/+$/, '');
  const registryHost = session.config.registry.value;
  const prefix = namespace === '' ? '' : `${namespace}/`;
  const repositories = (await repositoryNames(session)).filter((repo) => repo.startsWith(prefix)).sort();
  const limit = createLimiter(options.concurrency ?? 4);
  return Promise.all(
    repositories.map((repository) =>
      limit(async () => {
        const opened = await session.open(`${registryHost}/${repository}`);
        // One unreadable repository (deleted meanwhile, no pull right) must not hide the others.
        const tags = await opened.target.tags().catch((error: unknown) => {
          if (isPerRepositoryFailure(error)) return [] as string[];
          throw error;
        });
        const latest = latestTag(tags) ?? null;
        return {
          name: repository.slice(prefix.length),
          repository,
          latest,
          tags: tags.length,
          reference: formatReference({
            registry: registryHost,
            repository,
            ...(latest ? { tag: latest } : {}),
          }),
        };
      }),
    ),
  );
}

/**
 * For an empty `oci list`: the namespaces that do hold repositories, and the closest one to what was
 * asked (a mistyped `--namespace` otherwise looks like an empty registry).
 */
export async function otherNamespaces(
  session: OciSession,
  namespace: string,
): Promise<{ namespaces: string[]; closest: string | undefined }> {
  const names = await repositoryNames(session).catch(() => [] as string[]);
  const namespaces = [
    ...new Set(
      names.filter((repo) => repo.includes('/')).map((repo) => repo.slice(0, repo.lastIndexOf('/'))),
    ),
  ].sort();
  return { namespaces, closest: closestMatch(namespace.replace(/\/+$/, ''), namespaces) };
}

export async function repositoryNames(session: OciSession): Promise<string[]> {
  if (session.usesLayoutStorage) return session.layoutStorage().repositories();
  const host = session.config.registry.value;
  try {
    return await session.registry(host).catalog();
  } catch (error) {
    if (
      error instanceof RegistryError &&
      error.kind === 'registry' &&
      [401, 403, 404, 405].includes(error.status ?? 0)
    ) {
      throw new RegistryError(
        'CATALOG_UNAVAILABLE',
        `registry ${host} does not allow listing its repositories (catalog answered ${error.status})`,
        {
          status: error.status,
          hint: `log in with \`provisioning oci login ${host}\` if it needs credentials, or ask for a NAME directly: \`provisioning oci tags NAME\``,
          cause: error,
        },
      );
    }
    throw error;
  }
}

/** Registry answers about one repository (not found, denied); network failures still abort. */
export function isPerRepositoryFailure(error: unknown): boolean {
  return (
    error instanceof RegistryError &&
    error.kind === 'registry' &&
    ['NAME_UNKNOWN', 'MANIFEST_UNKNOWN', 'UNAUTHORIZED', 'DENIED'].includes(error.code)
  );
}
