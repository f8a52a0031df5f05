/**
 * `core use VERSION` / `core which`: the default core, recorded in
 * `$PROVISIONING_HOME/core/default.json` (version, digest, reference it was installed from).
 */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { makeDirectory, ProvisioningError, writeFileAtomic } from '@provisioning/schemas';
import { CORE_ORIGIN_FILE } from '../resolve/running-core-digest.js';
import { coreHome, installedCoreDir, parseCoreVersion } from './core-reference.js';

export interface DefaultCore {
  version: string;
  dir: string;
  /**
   * `workspace pin` (this command was handed over to the core the workspace's
   * `dependencies.core.source` pins), `default.json` (set by `core use`), or `running`.
   */
  from: string;
  /** The release it was installed from (`core.json` beside it), when installed by `core install`. */
  reference?: string;
}

const defaultFile = () => join(coreHome(), 'default.json');

export async function useCore(input: string): Promise<DefaultCore> {
  const version = parseCoreVersion(input);
  const dir = installedCoreDir(version);
  const pkg = await readFile(join(dir, 'package.json'), 'utf8').catch(() => undefined);
  if (pkg === undefined) {
    throw new ProvisioningError('CORE_NOT_INSTALLED', `core ${version} is not installed (${dir})`, {
      kind: 'input',
      hint: `install it first: provisioning core install ${version}`,
      details: { version, dir },
    });
  }
  await makeDirectory(coreHome());
  await writeFileAtomic(defaultFile(), `${JSON.stringify({ version }, null, 2)}\n`);
  return { version, dir, from: defaultFile() };
}

export async function whichCore(
  running: { version: string; root: string },
  env: NodeJS.ProcessEnv = process.env,
): Promise<DefaultCore> {
  if (env.PROVISIONING_CORE_DELEGATED === running.version) {
    const origin = await coreOrigin(running.root);
    return { version: running.version, dir: running.root, from: 'workspace pin', ...origin };
  }
  const text = await readFile(defaultFile(), 'utf8').catch(() => undefined);
  const version = text === undefined ? undefined : (JSON.parse(text) as { version?: string }).version;
  if (!version) return { version: running.version, dir: running.root, from: 'running' };
  const dir = installedCoreDir(version);
  return { version, dir, from: defaultFile(), ...(await coreOrigin(dir)) };
}

/** `{ reference }` from the `core.json` that `core install` writes beside an installed core. */
async function coreOrigin(dir: string): Promise<{ reference?: string }> {
  const origin = await readFile(join(dir, CORE_ORIGIN_FILE), 'utf8').then(
    (t) => JSON.parse(t) as { reference?: string },
    () => ({}) as { reference?: string },
  );
  return origin.reference ? { reference: origin.reference } : {};
}
