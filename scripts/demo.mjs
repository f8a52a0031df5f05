// The main job on the bundled example workspace. Today: print its effective OCI configuration.
// Later issues extend it to publish the bundled extensions, resolve, install and print the tree.
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const cli = ['apps/cli/bin/run.js'];
const r = spawnSync(process.execPath, [...cli, 'oci', 'config', '--workspace', 'examples/workspace'], {
  cwd: root,
  stdio: 'inherit',
});
process.exit(r.status ?? 1);
