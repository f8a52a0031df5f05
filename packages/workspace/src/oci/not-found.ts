/**
 * One answer for "it is not there", whatever the storage: the embedded layout says `LAYOUT_NOT_FOUND`
 * or `MANIFEST_NOT_FOUND` with paths inside the layout, Distribution says `NAME_UNKNOWN` or
 * `MANIFEST_UNKNOWN` (404, for a missing repository and a missing tag alike). Both become
 * `REPOSITORY_NOT_FOUND`, `TAG_NOT_FOUND` or `MANIFEST_NOT_FOUND`, exit 1, with the same message and
 * a "did you mean" (docs/architecture.md, "Error model").
 */
import {
  closestMatch,
  isValidDigest,
  type OciReference,
  ProvisioningError,
  repositoryBasename,
} from '@provisioning/schemas';
import { isNotFound } from '../repository/not-found-error.js';
import { repositoryNames } from './list-extensions.js';
import { formatOpenedReference, type OciSession, type OpenedTarget } from './oci-session.js';
import { orderTags } from './tag-order.js';

/** Runs `operation` on `opened`; a not-found failure is rethrown as the storage-independent error. */
export async function whenFound<T>(
  session: OciSession,
  opened: OpenedTarget,
  reference: string | undefined,
  operation: () => Promise<T>,
): Promise<T> {
  try {
    return await operation();
  } catch (error) {
    if (!isNotFound(error)) throw error;
    throw await notFoundError(session, opened, reference, error);
  }
}

async function notFoundError(
  session: OciSession,
  opened: OpenedTarget,
  reference: string | undefined,
  cause: unknown,
): Promise<ProvisioningError> {
  const repository = opened.parsed
    ? `${opened.parsed.registry}/${opened.parsed.repository}`
    : formatOpenedReference(opened, '').replace(/:$/, '');
  const tags = await opened.target.tags().catch((error: unknown) => {
    if (isNotFound(error)) return undefined;
    throw error;
  });
  if (tags === undefined || (tags.length === 0 && reference === undefined)) {
    return opened.parsed ? repositoryNotFound(session, opened.parsed, cause) : (cause as ProvisioningError);
  }
  if (reference !== undefined && !isValidDigest(reference)) {
    const known = orderTags(tags)
      .map((t) => t.tag)
      .slice(0, 5);
    return new ProvisioningError('TAG_NOT_FOUND', `${repository} has no version ${reference}`, {
      kind: 'input',
      hint:
        known.length === 0
          ? `${repository} has no versions yet; push one first`
          : `published: ${known.join(', ')}${tags.length > known.length ? ', …' : ''} (\`provisioning oci tags ${repository}\`)`,
      cause,
      details: { repository, tag: reference },
    });
  }
  return new ProvisioningError('MANIFEST_NOT_FOUND', `${repository}@${reference} does not exist`, {
    kind: 'input',
    hint: 'check the digest, or name a version instead',
    cause,
    details: { repository, digest: reference },
  });
}

/** `REGISTRY/NS/NAME does not exist`, with the closest name in the namespace when there is one. */
export async function repositoryNotFound(
  session: OciSession,
  parsed: OciReference,
  cause: unknown,
): Promise<ProvisioningError> {
  const repository = `${parsed.registry}/${parsed.repository}`;
  const guess = await closestRepository(session, parsed, repositoryBasename(parsed));
  return new ProvisioningError('REPOSITORY_NOT_FOUND', `${repository} does not exist`, {
    kind: 'input',
    hint: guess
      ? `did you mean ${guess}? (\`provisioning oci list\` shows what is published)`
      : 'check the name and namespace (`provisioning oci list` shows what is published), or push it first',
    cause,
    details: { repository },
  });
}

/** The closest repository name in the same namespace, when the storage can list them. */
async function closestRepository(
  session: OciSession,
  parsed: OciReference,
  name: string,
): Promise<string | undefined> {
  if (parsed.registry !== session.config.registry.value) return undefined;
  const namespace = parsed.repository.slice(0, parsed.repository.length - name.length);
  try {
    const names = (await repositoryNames(session))
      .filter((repo) => repo.startsWith(namespace) && !repo.slice(namespace.length).includes('/'))
      .map((repo) => repo.slice(namespace.length));
    return closestMatch(name, names);
  } catch {
    return undefined; // a registry without a catalog: no suggestion, the error stands
  }
}
