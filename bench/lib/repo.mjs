// Where the built packages are: every benchmark imports the packages' dist, as a user's program would.
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

export const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
/** `file:` URL of a package's built entry (`pnpm exec turbo run build` first). */
export const dist = (pkg) => pathToFileURL(join(repoRoot, 'packages', pkg, 'dist', 'index.js')).href;
/** The CLI's bin script, run as `node CLI args…`. */
export const CLI = join(repoRoot, 'apps', 'cli', 'bin', 'run.js');
