import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * The built control-center UI: the given directory, or apps/control-center/dist found by walking up from
 * this (bundled) file: the CLI's chunks live at varying depths under apps/cli/dist. Undefined when no
 * index.html is there.
 */
export function controlCenterDir(given?: string): string | undefined {
  if (given) return existsSync(join(given, 'index.html')) ? resolve(given) : undefined;
  let dir = dirname(fileURLToPath(import.meta.url));
  for (let i = 0; i < 6; i++) {
    const candidate = join(dir, 'control-center', 'dist');
    if (existsSync(join(candidate, 'index.html'))) return candidate;
    dir = dirname(dir);
  }
  return undefined;
}
