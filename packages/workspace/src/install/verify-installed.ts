/**
 * Check an installed module against the file list the packager put in its `oci-manifest.json`
 * (path, size, sha256 of every file). Detects modified, missing and extra files.
 */
import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { lstat, readdir, readFile } from 'node:fs/promises';
import { join, relative, sep } from 'node:path';
import { pipeline } from 'node:stream/promises';

export const PACKAGING_METADATA_FILE = 'oci-manifest.json';

export interface InstalledFileProblem {
  path: string;
  problem: 'modified' | 'missing' | 'unexpected' | 'unreadable-metadata';
  message: string;
}

interface FileEntry {
  path: string;
  size?: number;
  sha256: string;
}

export async function verifyInstalledModule(moduleDir: string): Promise<InstalledFileProblem[]> {
  let files: FileEntry[];
  try {
    files = parseFileList(JSON.parse(await readFile(join(moduleDir, PACKAGING_METADATA_FILE), 'utf8')));
  } catch (err) {
    return [
      {
        path: PACKAGING_METADATA_FILE,
        problem: 'unreadable-metadata',
        message: `cannot read ${PACKAGING_METADATA_FILE}: ${(err as Error).message}`,
      },
    ];
  }
  const problems: InstalledFileProblem[] = [];
  const expected = new Set<string>([PACKAGING_METADATA_FILE, ...files.map((f) => f.path)]);
  const checked = await Promise.all(
    files.map(async (file): Promise<InstalledFileProblem | undefined> => {
      const abs = join(moduleDir, ...file.path.split('/'));
      const info = await lstat(abs).catch(() => undefined);
      if (!info?.isFile()) return { path: file.path, problem: 'missing', message: `${file.path} is missing` };
      // a size difference settles it without reading the file
      const modified =
        (file.size !== undefined && info.size !== file.size) ||
        (await sha256File(abs, info.size)) !== file.sha256.replace(/^sha256:/, '');
      return modified
        ? { path: file.path, problem: 'modified', message: `${file.path} was modified after install` }
        : undefined;
    }),
  );
  for (const problem of checked) if (problem) problems.push(problem);
  for (const path of await listFiles(moduleDir)) {
    if (!expected.has(path)) {
      problems.push({
        path,
        problem: 'unexpected',
        message: `${path} is not part of the installed artifact`,
      });
    }
  }
  return problems;
}

function parseFileList(meta: unknown): FileEntry[] {
  const files = (meta as { files?: unknown })?.files;
  if (!Array.isArray(files)) throw new Error('no "files" list');
  return files.map((f) => {
    const entry = f as Partial<FileEntry> & { digest?: string };
    const sha = entry.sha256 ?? entry.digest;
    if (typeof entry.path !== 'string' || typeof sha !== 'string') throw new Error('bad file entry');
    return { path: entry.path, size: entry.size, sha256: sha };
  });
}

/** Files up to this size are read in one call (cheaper than a stream for the small files extensions hold). */
const READ_WHOLE_MAX = 1024 * 1024;

export async function sha256File(path: string, size?: number): Promise<string> {
  const hash = createHash('sha256');
  if (size !== undefined && size <= READ_WHOLE_MAX) return hash.update(await readFile(path)).digest('hex');
  await pipeline(createReadStream(path), hash);
  return hash.digest('hex');
}

async function listFiles(root: string): Promise<string[]> {
  const out: string[] = [];
  const walk = async (dir: string): Promise<void> => {
    for (const entry of await readdir(dir, { withFileTypes: true })) {
      const abs = join(dir, entry.name);
      if (entry.isDirectory()) await walk(abs);
      else out.push(relative(root, abs).split(sep).join('/'));
    }
  };
  await walk(root);
  return out.sort();
}
