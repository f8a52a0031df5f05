import { readdirSync, statSync } from 'node:fs';
import { cp } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/** The repository's sample extensions (`extensions/<type>s/<name>`), part of this checkout. */
export const REPO_EXTENSIONS = path.resolve(
  path.dirname(fileURLToPath(import.meta.url)),
  '../../../../extensions',
);

export function sampleExtensions(): { type: string; name: string; dir: string }[] {
  const found: { type: string; name: string; dir: string }[] = [];
  for (const group of ['providers', 'taskservs', 'clusters']) {
    const groupDir = path.join(REPO_EXTENSIONS, group);
    let names: string[] = [];
    try {
      names = readdirSync(groupDir).sort();
    } catch {
      continue;
    }
    for (const name of names) {
      const dir = path.join(groupDir, name);
      if (statSync(dir).isDirectory()) found.push({ type: group.slice(0, -1), name, dir });
    }
  }
  return found;
}

/** Copy an extension tree (as plain files) so a test can break it. */
export async function copyTree(from: string, to: string): Promise<string> {
  await cp(from, to, { recursive: true, verbatimSymlinks: true });
  return to;
}
