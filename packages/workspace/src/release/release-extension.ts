/**
 * `oci release TAG` (docs/releasing.md): publish an extension from its git release tag, the way an
 * extensions repository's CI does on a tag push. Every check runs before anything is pushed:
 * the tag exists and names the checked-out commit, the extension's directory has no uncommitted
 * change, its manifest says the name, type and version the tag says, and its tests pass. Then it
 * is published (a published version is immutable: the same content again is a no-op that says so,
 * other content is refused) and signed when a key is given.
 */
import type { KeyObject } from 'node:crypto';
import { join } from 'node:path';
import { testExtension, validateExtension } from '@provisioning/packager';
import { ProvisioningError, pathExists } from '@provisioning/schemas';
import { LocalRepository } from '../git/local-repository.js';
import { parseReleaseTag, type ReleaseTag } from '../git/release-tag.js';
import type { OciSession } from '../oci/oci-session.js';
import { type PushExtensionOptions, type PushExtensionResult, pushExtension } from '../oci/push-extension.js';
import {
  CHANGELOG_FILE,
  changelogNeedsSection,
  changelogSection,
  writeChangelogSection,
} from './changelog.js';

export interface ReleaseOptions extends Pick<PushExtensionOptions, 'onProgress'> {
  /** The repository's work tree (default: the current directory). */
  repo?: string;
  /** Check everything, push nothing. */
  dryRun?: boolean;
  signKey?: KeyObject;
}

export interface ReleaseResult {
  tag: string;
  type: string;
  name: string;
  version: string;
  /** The extension directory released. */
  directory: string;
  commit: string;
  /** `planned` under --dry-run; otherwise what the publish did. */
  outcome: 'planned' | PushExtensionResult['outcome'];
  /** Where it went (absent under --dry-run). */
  reference?: string;
  digest?: string;
  signature?: PushExtensionResult['signature'];
  /** The checks that ran (`validate`, `tests:…`). */
  checks: number;
  /** This version's CHANGELOG.md section (docs/releasing.md#changelog). */
  changelog: string;
  /** Whether the section was (under --dry-run: would be) added to CHANGELOG.md. */
  changelogWritten: boolean;
}

export async function releaseExtension(
  session: OciSession,
  tag: string,
  options: ReleaseOptions = {},
): Promise<ReleaseResult> {
  const release = releaseTag(tag);
  const repo = await LocalRepository.open(options.repo ?? process.cwd());
  const [commit, head] = await Promise.all([repo.tagCommit(tag), repo.head()]);
  if (commit === undefined) {
    throw new ProvisioningError('RELEASE_TAG_NOT_FOUND', `${repo.root} has no tag ${tag}`, {
      kind: 'input',
      hint: `create it at the commit to release: git tag ${tag} && git push origin ${tag}`,
    });
  }
  if (commit !== head) {
    throw new ProvisioningError(
      'RELEASE_TAG_NOT_AT_HEAD',
      `tag ${tag} names commit ${commit.slice(0, 12)}, but ${repo.root} has ${head.slice(0, 12)} checked out`,
      { kind: 'input', hint: `check out the tag first: git checkout ${tag}` },
    );
  }
  const directory = join(repo.root, release.subdir);
  if (!(await pathExists(join(directory, 'manifest.yaml')))) {
    throw new ProvisioningError(
      'EXTENSION_NOT_FOUND',
      `tag ${tag} names ${release.subdir}/, but ${directory} holds no manifest.yaml`,
      {
        kind: 'input',
        hint: `release tags are {type}s/{name}/v{version}, for the directory {type}s/{name}/`,
      },
    );
  }
  // CHANGELOG.md is written by the release itself (docs/releasing.md#changelog).
  const changelogPath = `${release.subdir}/${CHANGELOG_FILE}`;
  const changed = (await repo.changesUnder(release.subdir)).filter((path) => path !== changelogPath);
  if (changed.length > 0) {
    throw new ProvisioningError(
      'RELEASE_TREE_DIRTY',
      `${release.subdir}/ has uncommitted changes (${changed.slice(0, 3).join(', ')}${changed.length > 3 ? ', …' : ''}); the release would not be what tag ${tag} names`,
      { kind: 'input', hint: 'commit or stash them, then tag the commit that holds them' },
    );
  }
  await checkManifest(directory, release);
  const report = await testExtension(directory);
  const failed = report.checks.filter((check) => !check.ok);
  if (failed.length > 0) {
    throw new ProvisioningError(
      'RELEASE_TESTS_FAILED',
      `${release.name} ${release.version}: ${failed.length} of ${report.checks.length} checks failed (${failed.map((c) => c.name).join(', ')}); nothing was published\n${failed.map((c) => `  ${c.name}: ${c.message ?? 'failed'}`).join('\n')}`,
      { kind: 'input', hint: `run \`provisioning test extension ${directory}\`, fix it, and tag again` },
    );
  }
  const section = await changelogSection(repo, release);
  const changelogWritten = await changelogNeedsSection(directory, release.version);
  const base = {
    tag,
    type: release.type,
    name: release.name,
    version: release.version,
    directory,
    commit,
    checks: report.checks.length,
    changelog: section.text,
    changelogWritten,
  };
  if (options.dryRun) return { ...base, outcome: 'planned' };
  // Written before packing, so the section is part of the artifact; a failed release undoes it.
  const restore = changelogWritten ? await writeChangelogSection(directory, section.text) : undefined;
  const pushed = await pushExtension(session, directory, {
    name: release.name,
    version: release.version,
    ...(options.signKey ? { signKey: options.signKey } : {}),
    ...(options.onProgress ? { onProgress: options.onProgress } : {}),
  }).catch(async (error: unknown) => {
    await restore?.();
    throw error;
  });
  return {
    ...base,
    outcome: pushed.outcome,
    reference: pushed.reference,
    digest: pushed.digest,
    ...(pushed.signature ? { signature: pushed.signature } : {}),
  };
}

/** The release tags at `rev` (the commit a tag push builds), in name order. */
export async function releaseTagsAt(rev: string, repoDir: string = process.cwd()): Promise<string[]> {
  const repo = await LocalRepository.open(repoDir);
  return (await repo.tagsAt(rev)).filter((tag) => parseReleaseTag(tag) !== undefined).sort();
}

function releaseTag(tag: string): ReleaseTag {
  const release = parseReleaseTag(tag);
  if (!release) {
    throw new ProvisioningError(
      'RELEASE_TAG_INVALID',
      `${JSON.stringify(tag)} is not a release tag: expected {type}s/{name}/v{version}, e.g. taskservs/kubernetes/v1.28.0`,
      {
        kind: 'usage',
        hint: 'type is providers, taskservs or clusters; version is semver (the v is optional)',
      },
    );
  }
  return release;
}

/** The manifest must say what the tag says: one line per disagreement, both values named. */
async function checkManifest(directory: string, release: ReleaseTag): Promise<void> {
  const { manifest, problems } = await validateExtension(directory);
  if (!manifest) {
    throw new ProvisioningError(
      'RELEASE_TESTS_FAILED',
      `${join(directory, 'manifest.yaml')}: ${problems[0]?.message ?? 'not a valid manifest'}; nothing was published`,
      { kind: 'input', hint: `run \`provisioning oci package validate ${directory}\`` },
    );
  }
  const lines: string[] = [];
  if (manifest.name !== release.name)
    lines.push(`name is "${manifest.name}", the tag says "${release.name}"`);
  if (manifest.type !== release.type) lines.push(`type is ${manifest.type}, the tag says ${release.type}`);
  if (manifest.version !== release.version)
    lines.push(`version is ${manifest.version}, the tag says ${release.version}`);
  if (lines.length === 0) return;
  throw new ProvisioningError(
    'RELEASE_MANIFEST_MISMATCH',
    `${join(directory, 'manifest.yaml')} does not match tag ${release.tag}: ${lines.join('; ')}`,
    {
      kind: 'input',
      hint: 'fix manifest.yaml and tag again (delete the wrong tag: git tag -d TAG && git push origin :refs/tags/TAG)',
    },
  );
}
