/**
 * The tree of a core release (docs/releasing.md, "Core"), staged in a scratch directory:
 * `bin/`, `dist/` (without source maps), `package.json`, `oclif.manifest.json` of the running CLI,
 * so `bin/run.js` of an installed core runs as it is; `schemas/*.json` (what `schema print`
 * writes); `kcl/*.k`; `templates/provisioning.yaml` (what `workspace init` writes).
 */
import { cp, mkdir, readFile, stat, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { jsonSchemaFiles, ProvisioningError } from '@provisioning/schemas';
import { workspaceConfigText } from '../init/workspace-template.js';

export interface StagedCore {
  version: string;
  /** `engines.node` of the CLI's package.json. */
  node: string;
}

/** Copies the core rooted at `cliRoot` (holds bin/run.js and dist/) into `staging`. */
export async function stageCore(cliRoot: string, staging: string): Promise<StagedCore> {
  const pkg = await readPackage(cliRoot);
  for (const part of ['bin', 'dist']) {
    await cp(join(cliRoot, part), join(staging, part), {
      recursive: true,
      filter: (source) => !source.endsWith('.map'),
    });
  }
  // Plugins live in node_modules, which a core release does not carry: the bundle is the core.
  const packed = { ...pkg, oclif: { ...(pkg.oclif as object), plugins: [] }, devDependencies: undefined };
  await writeFile(join(staging, 'package.json'), `${JSON.stringify(packed, null, 2)}\n`);
  const oclifManifest = join(cliRoot, 'oclif.manifest.json');
  if (await isFile(oclifManifest)) await cp(oclifManifest, join(staging, 'oclif.manifest.json'));

  await mkdir(join(staging, 'schemas'));
  for (const [file, text] of Object.entries(jsonSchemaFiles())) {
    await writeFile(join(staging, 'schemas', file), text);
  }
  await cp(await findKclDir(cliRoot), join(staging, 'kcl'), { recursive: true });
  await mkdir(join(staging, 'templates'));
  await writeFile(
    join(staging, 'templates', 'provisioning.yaml'),
    workspaceConfigText({ name: 'example', registry: 'localhost:5000', coreVersion: pkg.version as string }),
  );
  return { version: pkg.version as string, node: String((pkg.engines as { node?: string })?.node ?? '*') };
}

async function readPackage(cliRoot: string): Promise<Record<string, unknown>> {
  const file = join(cliRoot, 'package.json');
  const text = await readFile(file, 'utf8').catch(() => undefined);
  const pkg = text === undefined ? undefined : (JSON.parse(text) as Record<string, unknown>);
  if (!pkg || typeof pkg.version !== 'string' || !(await isFile(join(cliRoot, 'bin', 'run.js')))) {
    throw new ProvisioningError(
      'CORE_INVALID',
      `${cliRoot} is not a built provisioning CLI (package.json, bin/run.js)`,
      {
        kind: 'input',
        hint: 'build the CLI first: pnpm --filter @provisioning/cli build',
        details: { dir: cliRoot },
      },
    );
  }
  return pkg;
}

/** `kcl/` beside the CLI (an installed core) or at the root of the repository it was built in. */
async function findKclDir(cliRoot: string): Promise<string> {
  let dir = cliRoot;
  for (;;) {
    if (await isFile(join(dir, 'kcl', 'main.k'))) return join(dir, 'kcl');
    const parent = dirname(dir);
    if (parent === dir) break;
    dir = parent;
  }
  throw new ProvisioningError('CORE_INVALID', `no kcl/main.k beside ${cliRoot} or above it`, {
    kind: 'input',
    hint: 'publish the core from the repository it was built in (kcl/ is at its root)',
    details: { dir: cliRoot },
  });
}

async function isFile(path: string): Promise<boolean> {
  return (await stat(path).catch(() => undefined))?.isFile() ?? false;
}
