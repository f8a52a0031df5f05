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
  const expected = new Set<string>([PACKAGING_METADATA_FILE]);
  for (const file of files) {
    expected.add(file.path);
    const abs = join(moduleDir, ...file.path.split('/'));
    const info = await lstat(abs).catch(() => undefined);
    if (!info?.isFile()) {
      problems.push({ path: file.path, problem: 'missing', message: `${file.path} is missing` });
      continue;
    }
    const actual = await sha256File(abs);
    if (
      actual !== file.sha256.replace(/^sha256:/, '') ||
      (file.size !== undefined && info.size !== file.size)
    ) {
      problems.push({
        path: file.path,
        problem: 'modified',
        message: `${file.path} was modified after install`,
      });
    }
  }
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

export async function sha256File(path: string): Promise<string> {
  const hash = createHash('sha256');
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
