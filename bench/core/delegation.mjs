// Delegation cost (docs/performance.md, "Core delegation"): `provisioning --version` run directly
// vs in a workspace that pins another installed core (bin/core-pin.js decides, then execs it).
// Usage: node bench/core/delegation.mjs [runs]   (after `pnpm --filter @provisioning/cli build`)
import { execFileSync } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const cli = fileURLToPath(new URL('../../apps/cli/', import.meta.url));
const runs = Number(process.argv[2] ?? 20);
const root = mkdtempSync(join(tmpdir(), 'core-bench-'));
const home = join(root, 'home');
const pkg = JSON.parse(readFileSync(join(cli, 'package.json'), 'utf8'));
const pinned = `${pkg.version.split('.')[0]}.0.0`;
// an "installed" core: the built CLI with another version, where core install would put it
const installed = join(home, 'core', pinned);
for (const part of ['bin', 'dist', 'oclif.manifest.json'])
  cpSync(join(cli, part), join(installed, part), { recursive: true });
writeFileSync(
  join(installed, 'package.json'),
  JSON.stringify({ ...pkg, version: pinned, oclif: { ...pkg.oclif, plugins: [] } }),
);
const workspace = join(root, 'ws');
mkdirSync(join(workspace, 'config'), { recursive: true });
writeFileSync(
  join(workspace, 'config', 'provisioning.yaml'),
  `dependencies:\n  core:\n    source: "oci://localhost:5000/provisioning-core:v${pinned}"\n`,
);

const env = { PATH: process.env.PATH, HOME: root, PROVISIONING_HOME: home };
function median(cwd) {
  const times = [];
  for (let i = 0; i < runs; i++) {
    const start = process.hrtime.bigint();
    const out = execFileSync(process.execPath, [join(cli, 'bin', 'run.js'), '--version'], {
      cwd,
      env,
    }).toString();
    times.push(Number(process.hrtime.bigint() - start) / 1e6);
    if (i === 0) process.stdout.write(`  ${cwd === root ? 'direct   ' : 'delegated'} ${out}`);
  }
  return times.sort((a, b) => a - b)[Math.floor(times.length / 2)];
}
const direct = median(root);
const delegated = median(workspace);
console.log(
  `direct ${direct.toFixed(0)} ms, delegated ${delegated.toFixed(0)} ms, overhead ${(delegated - direct).toFixed(0)} ms (median of ${runs})`,
);
rmSync(root, { recursive: true, force: true });
