/**
 * `oci publish NAME...` and `oci publish --all`: push several extensions of an extensions
 * repository (`extensions/{providers,taskservs,clusters}/NAME`) in one run, each at the version
 * its manifest declares, `concurrency` at a time; one failure does not stop the others.
 */
import { readdir, stat } from 'node:fs/promises';
import path from 'node:path';
import { ProvisioningError } from '@provisioning/schemas';
import { EXTENSION_TYPES } from '../install/layout-paths.js';
import { eachSettled } from './each-settled.js';
import type { OciSession } from './oci-session.js';
import {
  type PublishExtensionOptions,
  type PublishExtensionResult,
  publishExtension,
} from './publish-extension.js';

export interface PublishExtensionsOptions extends PublishExtensionOptions {
  /** Extensions pushed at once (default 8). */
  concurrency?: number;
}

export interface PublishExtensionsResult {
  published: PublishExtensionResult[];
  failed: { name: string; error: unknown }[];
}

export async function publishExtensions(
  session: OciSession,
  names: readonly string[] | 'all',
  options: PublishExtensionsOptions = {},
): Promise<PublishExtensionsResult> {
  const { concurrency, ...single } = options;
  const wanted = names === 'all' ? await findExtensionDirs(options.dir ?? process.cwd()) : names;
  const settled = await eachSettled(wanted, concurrency ?? 8, (name) =>
    publishExtension(session, name, single),
  );
  return {
    published: settled.done.map((d) => d.result),
    failed: settled.failed.map((f) => ({ name: f.item, error: f.error })),
  };
}

/** Every `extensions/<type>s/<name>/` holding a `manifest.yaml` under `dir`, sorted. */
export async function findExtensionDirs(dir: string): Promise<string[]> {
  const found: string[] = [];
  for (const type of EXTENSION_TYPES) {
    const parent = path.resolve(dir, 'extensions', `${type}s`);
    const entries = await readdir(parent, { withFileTypes: true }).catch(() => []);
    for (const entry of entries) {
      if (!entry.isDirectory()) continue;
      const candidate = path.join(parent, entry.name);
      if (await isFile(path.join(candidate, 'manifest.yaml'))) found.push(candidate);
    }
  }
  if (found.length === 0) {
    throw new ProvisioningError('NO_EXTENSIONS', `no extensions under ${path.resolve(dir, 'extensions')}`, {
      kind: 'input',
      hint: 'run it in an extensions repository (extensions/{providers,taskservs,clusters}/NAME) or pass --dir',
    });
  }
  return found.sort();
}

async function isFile(file: string): Promise<boolean> {
  return stat(file).then(
    (s) => s.isFile(),
    () => false,
  );
}
