/**
 * The two conversations git sources have with a git server (docs/sources.md, "Git sources"):
 * `git ls-remote --tags` for the versions, and a shallow fetch of one tag whose subtree is written
 * into a cache of trees by commit (`CACHE/git/trees/<commit>/<type>s/<name>/`). A cached tree is
 * never fetched again: a commit id names its content.
 *
 * Files are written from the blobs themselves (`git cat-file blob`), not through a checkout, so no
 * user configuration (line-ending conversion, clean/smudge filters such as LFS, attributes) can
 * change the bytes: the tree packs to the same digests as the directory it was committed from.
 * Symlinks and submodules are refused, like the packager refuses links.
 */
import { createWriteStream } from 'node:fs';
import { mkdir, mkdtemp, rename, rm, stat } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { createLimiter } from '@provisioning/oci-client';
import { entryNameProblem } from '@provisioning/packager';
import { ProvisioningError } from '@provisioning/schemas';
import { runGit } from './git-command.js';

const COMMIT = /^(?:[0-9a-f]{40}|[0-9a-f]{64})$/;

/** tag → commit (annotated tags peeled to the commit they point at). */
export async function listRemoteTags(
  url: string,
  options: { timeoutMs?: number } = {},
): Promise<Map<string, string>> {
  const out = await runGit(['ls-remote', '--tags', '--', url], {
    action: `listing the tags of ${url}`,
    url,
    ...(options.timeoutMs ? { timeoutMs: options.timeoutMs } : {}),
  });
  const tags = new Map<string, string>();
  const peeled = new Map<string, string>();
  for (const line of out.split('\n')) {
    const match = /^([0-9a-f]+)\trefs\/tags\/(.+?)(\^\{\})?$/.exec(line);
    if (!match || !COMMIT.test(match[1]!)) continue;
    (match[3] ? peeled : tags).set(match[2]!, match[1]!);
  }
  for (const [tag, commit] of peeled) tags.set(tag, commit);
  return tags;
}

export interface FetchTreeOptions {
  url: string;
  tag: string;
  /** The commit the tag pointed at when listed (or locked). */
  commit: string;
  /** `taskservs/redis`. */
  subdir: string;
  /** `CACHE/git/trees`. */
  treesRoot: string;
  timeoutMs?: number;
}

/** The directory holding `subdir` at `commit`: from the cache, or fetched (one tag, depth 1). */
export async function fetchTree(options: FetchTreeOptions): Promise<string> {
  const { url, tag, commit, subdir, treesRoot } = options;
  if (!COMMIT.test(commit)) throw new Error(`not a commit id: ${commit}`);
  const target = join(treesRoot, commit, subdir);
  if (await isDirectory(target)) return target;
  await mkdir(treesRoot, { recursive: true });
  const work = await mkdtemp(join(treesRoot, '.fetch-'));
  try {
    const gitDir = join(work, 'repo.git');
    const git = (args: string[], action: string, extra: Partial<Parameters<typeof runGit>[1]> = {}) =>
      runGit(['--git-dir', gitDir, ...args], {
        action,
        url,
        ...(options.timeoutMs ? { timeoutMs: options.timeoutMs } : {}),
        ...extra,
      });
    await runGit(['init', '--bare', '--quiet', gitDir], { action: 'creating a temporary repository' });
    await git(
      [
        '-c',
        'transfer.fsckObjects=true',
        'fetch',
        '--quiet',
        '--no-tags',
        '--depth=1',
        '--',
        url,
        `+refs/tags/${tag}:refs/tags/${tag}`,
      ],
      `fetching tag ${tag} of ${url}`,
    );
    const fetched = (
      await git(['rev-parse', '--verify', '--quiet', `refs/tags/${tag}^{commit}`], `reading tag ${tag}`)
    ).trim();
    if (fetched !== commit) throw tagMoved(url, tag, commit, fetched);
    const listing = await git(
      ['ls-tree', '-r', '-z', '--full-tree', `${commit}:${subdir}`],
      `reading ${subdir} at ${tag}`,
    ).catch((error: unknown) => {
      throw new ProvisioningError('EXTENSION_NOT_FOUND', `${url}: tag ${tag} has no directory ${subdir}`, {
        kind: 'input',
        hint: `a release tag {type}s/{name}/vX.Y.Z must point at a commit holding {type}s/{name}/`,
        cause: error,
        details: { url, tag },
      });
    });
    const tree = join(work, 'tree');
    await mkdir(tree);
    const limit = createLimiter(4);
    await Promise.all(
      parseTree(listing, url, tag, subdir).map((entry) =>
        limit(async () => {
          const file = join(tree, entry.path);
          await mkdir(dirname(file), { recursive: true });
          const stream = createWriteStream(file, { flags: 'wx', mode: entry.executable ? 0o755 : 0o644 });
          const closed = new Promise<void>((resolve, reject) => {
            stream.on('close', resolve);
            stream.on('error', reject);
          });
          await git(['cat-file', 'blob', entry.object], `reading ${subdir}/${entry.path} at ${tag}`, {
            stdout: stream,
          });
          await closed;
        }),
      ),
    );
    await mkdir(dirname(target), { recursive: true });
    try {
      await rename(tree, target);
    } catch (error) {
      // another run put the same commit's tree there first: identical content
      if (!(await isDirectory(target))) throw error;
    }
    return target;
  } finally {
    await rm(work, { recursive: true, force: true });
  }
}

export function tagMoved(url: string, tag: string, locked: string, now: string): ProvisioningError {
  return new ProvisioningError(
    'GIT_TAG_MOVED',
    `${url}: tag ${tag} now points at commit ${now}, the lockfile records ${locked}`,
    {
      kind: 'registry',
      hint: 'a released version must not change: restore the tag, or publish a new version; to accept the new commit, remove the module from config/provisioning.lock and run `provisioning dep resolve`',
      details: { url, tag, locked, now },
    },
  );
}

interface TreeEntry {
  path: string;
  object: string;
  executable: boolean;
}

function parseTree(listing: string, url: string, tag: string, subdir: string): TreeEntry[] {
  const entries: TreeEntry[] = [];
  for (const record of listing.split('\0')) {
    if (record === '') continue;
    const match = /^(\d{6}) (\w+) ([0-9a-f]+)\t(.+)$/s.exec(record);
    if (!match)
      throw refused(url, tag, subdir, `unexpected ls-tree line ${JSON.stringify(record.slice(0, 80))}`);
    const [, mode, type, object, path] = match as unknown as [string, string, string, string, string];
    const problem = entryNameProblem(path);
    if (problem) throw refused(url, tag, subdir, `${path}: ${problem}`);
    if (type !== 'blob' || (mode !== '100644' && mode !== '100755')) {
      const what = mode === '120000' ? 'a symlink' : mode === '160000' ? 'a submodule' : `mode ${mode}`;
      throw refused(url, tag, subdir, `${path} is ${what}; extensions hold regular files only`);
    }
    entries.push({ path, object, executable: mode === '100755' });
  }
  return entries;
}

function refused(url: string, tag: string, subdir: string, why: string): ProvisioningError {
  return new ProvisioningError('EXTENSION_INVALID', `${url}: ${subdir} at tag ${tag}: ${why}`, {
    kind: 'input',
    hint: 'fix the tree in the repository and publish a new version tag',
    details: { url, tag },
  });
}

async function isDirectory(path: string): Promise<boolean> {
  return stat(path).then(
    (s) => s.isDirectory(),
    () => false,
  );
}
