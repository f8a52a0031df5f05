// prepack guard: `pnpm pack` / `pnpm publish` of a package builds it (and what it depends on)
// first, so a tarball never ships without its dist/. Turbo's cache makes this a no-op when the
// build is already current. Run from the package's directory (npm lifecycle scripts are).
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';

const { name } = JSON.parse(readFileSync('package.json', 'utf8'));
const r = spawnSync(
  'pnpm',
  ['exec', 'turbo', 'run', 'build', `--filter=${name}...`, '--output-logs=errors-only'],
  {
    stdio: 'inherit',
  },
);
if (r.status !== 0) {
  console.error(`prepack: the build of ${name} failed; nothing was packed`);
  process.exit(r.status ?? 1);
}
