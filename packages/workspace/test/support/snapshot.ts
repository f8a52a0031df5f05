/** Test support: a comparable picture of what a workspace has installed. */
import { createHash } from 'node:crypto';
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';

/** Every installed file (through the `.provisioning/extensions` link) with its sha256, sorted. */
export async function installedSnapshot(workspaceRoot: string): Promise<string[]> {
  const root = join(workspaceRoot, '.provisioning', 'extensions');
  const out: string[] = [];
  const walk = async (dir: string, rel: string): Promise<void> => {
    let entries: import('node:fs').Dirent[];
    try {
      entries = await readdir(dir, { withFileTypes: true });
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return;
      throw err;
    }
    for (const entry of entries) {
      // stat stamps hold inode numbers and ctimes, which differ between equal installs
      if (rel === '' && entry.name === '.stamps.json') continue;
      const path = join(dir, entry.name);
      const relPath = rel ? `${rel}/${entry.name}` : entry.name;
      if (entry.isDirectory()) await walk(path, relPath);
      else
        out.push(
          `${relPath} ${createHash('sha256')
            .update(await content(path, relPath))
            .digest('hex')}`,
        );
    }
  };
  await walk(root, '');
  return out.sort();
}

/** A generation record's install time differs between equal installs: it is left out. */
async function content(path: string, relPath: string): Promise<Buffer | string> {
  const bytes = await readFile(path);
  if (relPath !== '.generation.json') return bytes;
  const { created: _created, ...rest } = JSON.parse(bytes.toString('utf8')) as Record<string, unknown>;
  return JSON.stringify(rest);
}
