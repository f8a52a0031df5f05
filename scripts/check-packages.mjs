// Release readiness, run by `pnpm test` after the build: the changesets parse (`changeset status`),
// every published package packs into a tarball that passes publint and arethetypeswrong, and a
// CommonJS consumer outside the monorepo can `require()` the resolver (require(esm), Node >= 20.19)
// and type-check it with `module: nodenext`. See docs/packages.md.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

const root = resolve(import.meta.dirname, '..');
const published = [
  'packages/schemas',
  'packages/oci-client',
  'packages/packager',
  'packages/resolver',
  'packages/workspace',
  'apps/cli',
];

function run(cmd, args, options = {}) {
  const r = spawnSync(cmd, args, { cwd: root, encoding: 'utf8', ...options });
  if (r.status !== 0) {
    process.stderr.write(r.stdout ?? '');
    process.stderr.write(r.stderr ?? '');
    console.error(`check-packages: \`${cmd} ${args.join(' ')}\` failed (exit ${r.status})`);
    process.exit(1);
  }
  return r.stdout;
}

const work = mkdtempSync(join(tmpdir(), 'provisioning-packages-'));
try {
  run('pnpm', ['exec', 'changeset', 'status']);
  checkChangesetsBumpTheCli();
  const packs = join(work, 'packs');
  for (const dir of published) run('pnpm', ['pack', '--pack-destination', packs], { cwd: join(root, dir) });
  const tarballs = readdirSync(packs).map((name) => join(packs, name));
  for (const tarball of tarballs) {
    run('pnpm', ['exec', 'publint', '--strict', tarball]);
    if (!tarball.includes('provisioning-cli-'))
      run('pnpm', ['exec', 'attw', '--pack', tarball, '--profile', 'esm-only', '--format', 'table-flipped']);
  }

  // A CommonJS consumer project outside the monorepo.
  const consumer = join(work, 'consumer');
  run('mkdir', ['-p', consumer]);
  writeFileSync(
    join(consumer, 'package.json'),
    JSON.stringify({ name: 'consumer', private: true, type: 'commonjs' }),
  );
  const tarball = (name) => tarballs.find((t) => t.includes(`provisioning-${name}-`));
  run('npm', ['install', '--no-audit', '--no-fund', '--ignore-scripts', tarball('resolver')], {
    cwd: consumer,
  });
  // the resolver stands alone: semver and nothing else (docs/packages.md)
  const installed = readdirSync(join(consumer, 'node_modules'))
    .filter((name) => !name.startsWith('.'))
    .flatMap((name) =>
      name.startsWith('@')
        ? readdirSync(join(consumer, 'node_modules', name)).map((n) => `${name}/${n}`)
        : [name],
    )
    .sort();
  if (installed.join(' ') !== '@provisioning/resolver semver')
    throw new Error(`installing @provisioning/resolver alone brought in: ${installed.join(', ')}`);
  writeFileSync(
    join(consumer, 'use.cjs'),
    "const { solve } = require('@provisioning/resolver');\nif (typeof solve !== 'function') throw new Error('solve is not a function');\nconsole.log('ok');\n",
  );
  const out = run(process.execPath, ['use.cjs'], { cwd: consumer });
  if (out.trim() !== 'ok') throw new Error(`CommonJS require of @provisioning/resolver printed ${out}`);
  writeFileSync(
    join(consumer, 'use.cts'),
    "import { solve } from '@provisioning/resolver';\nexport const f: typeof solve = solve;\n",
  );
  run(
    process.execPath,
    [
      join(root, 'node_modules/typescript/bin/tsc'),
      '--module',
      'nodenext',
      '--moduleResolution',
      'nodenext',
      '--strict',
      '--noEmit',
      '--skipLibCheck',
      '--types',
      'node',
      '--typeRoots',
      join(root, 'node_modules/@types'),
      'use.cts',
    ],
    { cwd: consumer },
  );
  console.log(
    `check-packages: ${tarballs.length} tarballs pass publint and attw; a CommonJS consumer requires @provisioning/resolver`,
  );
} finally {
  rmSync(work, { recursive: true, force: true });
}

/**
 * The CLI bundles the libraries, so a library fix reaches CLI users only in a new CLI release:
 * every changeset that bumps a published library must bump `@provisioning/cli` too.
 */
function checkChangesetsBumpTheCli() {
  const dir = join(root, '.changeset');
  const missing = [];
  for (const name of readdirSync(dir)) {
    if (!name.endsWith('.md') || name === 'README.md') continue;
    const header = /^---\n([\s\S]*?)\n---/.exec(readFileSync(join(dir, name), 'utf8'))?.[1] ?? '';
    if (/"@provisioning\/(?!cli")[a-z-]+"/.test(header) && !header.includes('"@provisioning/cli"'))
      missing.push(name);
  }
  if (missing.length > 0) {
    console.error(
      `check-packages: .changeset/${missing.join(', .changeset/')} bump a library bundled into the CLI but not "@provisioning/cli"; add a "@provisioning/cli" line with the same bump`,
    );
    process.exit(1);
  }
}
