// The whole test suite: lint, build (turbo), then every package's vitest project in one run.
// Ends with a plain `tests: N passed, N failed` line.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { missingSystemDeps } from './system-deps.mjs';

const missing = missingSystemDeps();
if (missing.length > 0) {
  const pkgs = missing.map((d) => d.pkg).join(' ');
  console.error(
    `error: the test suite needs ${missing.map((d) => d.bin).join(', ')}; install with: sudo apt-get install -y ${pkgs}`,
  );
  process.exit(1);
}

function run(cmd, args) {
  const r = spawnSync(cmd, args, { stdio: 'inherit' });
  if (r.status !== 0) process.exit(r.status ?? 1);
}

run('pnpm', ['exec', 'biome', 'check', '.']);
run('pnpm', ['exec', 'turbo', 'run', 'build', 'bundle-ui', 'typecheck', '--output-logs=errors-only']);
run('node', ['scripts/check-packages.mjs']);
run('node', ['scripts/check-folder-cycles.mjs']);
run('node', ['scripts/check-api-docs.mjs']);

const dir = mkdtempSync(join(tmpdir(), 'provisioning-test-'));
const report = join(dir, 'report.json');
const extra = process.argv.slice(2);
const r = spawnSync(
  'pnpm',
  ['exec', 'vitest', 'run', '--reporter=default', '--reporter=json', `--outputFile.json=${report}`, ...extra],
  { stdio: 'inherit' },
);
let passed = 0;
let failed = 0;
try {
  const json = JSON.parse(readFileSync(report, 'utf8'));
  passed = json.numPassedTests;
  failed = json.numFailedTests;
} catch {
  failed = Math.max(failed, 1);
}
rmSync(dir, { recursive: true, force: true });
console.log(`tests: ${passed} passed, ${failed} failed`);
process.exit(r.status === 0 && failed === 0 && passed > 0 ? 0 : 1);
