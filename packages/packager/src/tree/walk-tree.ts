import { lstat, readdir } from 'node:fs/promises';
import path from 'node:path';
import type { ExtensionProblem } from '../problems.js';
import { compareStrings } from '../problems.js';
import { aliasKey, entryNameProblem } from './entry-name.js';

/** A regular file or directory of an extension tree. */
export interface TreeEntry {
  /** POSIX path relative to the extension root. */
  path: string;
  absolutePath: string;
  type: 'file' | 'directory';
  size: number;
  /** True when any execute bit is set (packed as 0755). */
  executable: boolean;
}

export interface WalkLimits {
  maxEntries: number;
  maxTotalBytes: number;
}

export const DEFAULT_WALK_LIMITS: WalkLimits = { maxEntries: 10_000, maxTotalBytes: 256 * 1024 * 1024 };

/**
 * Lists the tree with `lstat` (never following links), sorted by path. Anything that is not a
 * regular file or a directory becomes a problem instead of an entry, so callers can trust the
 * entries: every one of them lives inside `root`.
 */
export async function walkTree(
  root: string,
  limits: WalkLimits = DEFAULT_WALK_LIMITS,
): Promise<{ entries: TreeEntry[]; problems: ExtensionProblem[] }> {
  const entries: TreeEntry[] = [];
  const problems: ExtensionProblem[] = [];
  const seen = new Map<string, string>();
  let totalBytes = 0;

  async function visit(relativeDir: string): Promise<void> {
    const absoluteDir = relativeDir === '' ? root : path.join(root, ...relativeDir.split('/'));
    const names = (await readdir(absoluteDir)).sort(compareStrings);
    for (const name of names) {
      const relative = relativeDir === '' ? name : `${relativeDir}/${name}`;
      const nameProblem = entryNameProblem(relative);
      if (nameProblem) {
        problems.push({
          path: JSON.stringify(relative).slice(1, -1),
          message: `unsafe name: ${nameProblem}`,
        });
        continue;
      }
      const alias = aliasKey(relative);
      const other = seen.get(alias);
      if (other !== undefined) {
        problems.push({
          path: relative,
          message: `name collides with "${other}" on case-insensitive file systems`,
        });
        continue;
      }
      seen.set(alias, relative);
      const absolutePath = path.join(absoluteDir, name);
      const stat = await lstat(absolutePath);
      if (stat.isSymbolicLink()) {
        problems.push({
          path: relative,
          message: 'symbolic link not allowed (extensions hold regular files only)',
        });
      } else if (stat.isDirectory()) {
        entries.push({ path: relative, absolutePath, type: 'directory', size: 0, executable: true });
        await visit(relative);
      } else if (stat.isFile()) {
        if (stat.nlink > 1) {
          problems.push({
            path: relative,
            message: `hard link not allowed (${stat.nlink} links to this file)`,
          });
          continue;
        }
        totalBytes += stat.size;
        entries.push({
          path: relative,
          absolutePath,
          type: 'file',
          size: stat.size,
          executable: (stat.mode & 0o111) !== 0,
        });
      } else {
        problems.push({
          path: relative,
          message: `${specialFileKind(stat)} not allowed (regular files and directories only)`,
        });
      }
    }
  }

  await visit('');
  if (entries.length > limits.maxEntries) {
    problems.push({ path: '.', message: `too many entries (${entries.length} > ${limits.maxEntries})` });
  }
  if (totalBytes > limits.maxTotalBytes) {
    problems.push({ path: '.', message: `tree too large (${totalBytes} bytes > ${limits.maxTotalBytes})` });
  }
  entries.sort((a, b) => compareStrings(a.path, b.path));
  return { entries, problems };
}

function specialFileKind(stat: {
  isFIFO(): boolean;
  isSocket(): boolean;
  isCharacterDevice(): boolean;
  isBlockDevice(): boolean;
}): string {
  if (stat.isFIFO()) return 'named pipe (fifo)';
  if (stat.isSocket()) return 'socket';
  if (stat.isCharacterDevice()) return 'character device';
  if (stat.isBlockDevice()) return 'block device';
  return 'special file';
}
