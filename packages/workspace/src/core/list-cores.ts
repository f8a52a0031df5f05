/** `provisioning core list`: the published cores of a registry, newest first, and which is `latest`. */
import { versionFromTag } from '@provisioning/schemas';
import semver from 'semver';
import { formatOpenedReference, type OciSession } from '../oci/oci-session.js';
import { CORE_REPOSITORY } from './core-reference.js';

export interface PublishedCore {
  version: string;
  reference: string;
  digest: string;
  latest: boolean;
}

/** `repository` defaults to `REGISTRY/provisioning-core`. */
export async function listCores(session: OciSession, repository?: string): Promise<PublishedCore[]> {
  const name = repository ?? `${session.config.registry.value}/${CORE_REPOSITORY}`;
  const opened = await session.open(`${name}:latest`);
  const tags = await opened.target.tags();
  const latest = tags.includes('latest') ? (await opened.target.resolve('latest')).digest : undefined;
  const versions = tags
    .map((tag) => ({ tag, version: versionFromTag(tag) }))
    .filter((t): t is { tag: string; version: string } => t.version !== null && t.tag.startsWith('v'))
    .sort((a, b) => semver.rcompare(a.version, b.version));
  const cores: PublishedCore[] = [];
  for (const { tag, version } of versions) {
    const digest = (await opened.target.resolve(tag)).digest;
    cores.push({ version, reference: formatOpenedReference(opened, tag), digest, latest: digest === latest });
  }
  return cores;
}
