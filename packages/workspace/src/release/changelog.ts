/**
 * The CHANGELOG.md section of an extension release (docs/releasing.md#changelog): the subjects of
 * the commits touching the extension's directory since its previous release tag, conventional
 * commits grouped (feat, fix), the others listed. It depends only on git history up to the tag, so
 * every clone writes the same bytes and the packed digest stays reproducible.
 */
import { readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { LocalRepository } from '../git/local-repository.js';
import { parseReleaseTag, type ReleaseTag } from '../git/release-tag.js';

export const CHANGELOG_FILE = 'CHANGELOG.md';

export interface ChangelogSection {
  /** The previous release tag of the same extension, when there is one. */
  previousTag?: string;
  /** `## VERSION` and its groups, Markdown. */
  text: string;
}

const CONVENTIONAL = /^(\w+)(?:\([^)]*\))?!?:\s*(.+)$/;

export async function changelogSection(
  repo: LocalRepository,
  release: ReleaseTag,
): Promise<ChangelogSection> {
  const previousTag = (await repo.tagsMergedInto(`refs/tags/${release.tag}`)).find((tag) => {
    const other = parseReleaseTag(tag);
    return other?.subdir === release.subdir && other.version !== release.version;
  });
  const range = previousTag
    ? `refs/tags/${previousTag}..refs/tags/${release.tag}`
    : `refs/tags/${release.tag}`;
  const groups = { Features: [] as string[], Fixes: [] as string[], 'Other changes': [] as string[] };
  for (const subject of await repo.subjects(range, release.subdir)) {
    if (subject.startsWith('chore(release)')) continue;
    const m = CONVENTIONAL.exec(subject);
    if (m?.[1] === 'feat') groups.Features.push(m[2] as string);
    else if (m?.[1] === 'fix') groups.Fixes.push(m[2] as string);
    else groups['Other changes'].push(subject);
  }
  const lines = [`## ${release.version}`, ''];
  for (const [title, items] of Object.entries(groups)) {
    if (items.length > 0) lines.push(`### ${title}`, '', ...items.map((item) => `- ${item}`), '');
  }
  if (lines.length === 2) lines.push('No changes.', '');
  return { ...(previousTag ? { previousTag } : {}), text: lines.join('\n') };
}

/** Whether DIR/CHANGELOG.md lacks a `## VERSION` heading (then the release adds the section). */
export async function changelogNeedsSection(directory: string, version: string): Promise<boolean> {
  const current = await readChangelog(directory);
  return current === undefined || !current.split('\n').includes(`## ${version}`);
}

/**
 * Puts the section on top of DIR/CHANGELOG.md (under `# Changelog`). Returns a function that puts
 * the file back the way it was, for a release that fails afterwards.
 */
export async function writeChangelogSection(
  directory: string,
  section: string,
): Promise<() => Promise<void>> {
  const file = join(directory, CHANGELOG_FILE);
  const before = await readChangelog(directory);
  const header = '# Changelog\n\n';
  const rest = before === undefined ? '' : before.startsWith(header) ? before.slice(header.length) : before;
  await writeFile(file, `${header}${section}${rest === '' ? '' : `\n${rest}`}`);
  return async () => {
    if (before === undefined) await rm(file, { force: true });
    else await writeFile(file, before);
  };
}

async function readChangelog(directory: string): Promise<string | undefined> {
  return readFile(join(directory, CHANGELOG_FILE), 'utf8').catch((error: NodeJS.ErrnoException) => {
    if (error.code === 'ENOENT') return undefined;
    throw error;
  });
}
