import { stat } from 'node:fs/promises';
import path from 'node:path';
import { ProvisioningError } from '@provisioning/schemas';
import { EXTENSION_TYPES } from './extension-layout.js';

/**
 * `provisioning test extension redis` takes a name or a directory: a value with a path separator,
 * or an existing directory holding `manifest.yaml`, is a directory; anything else is a name looked up
 * as `<cwd>/extensions/{providers,taskservs,clusters}/<name>`.
 */
export async function locateExtension(nameOrDir: string, options: { cwd?: string } = {}): Promise<string> {
  const cwd = options.cwd ?? process.cwd();
  const asPath = path.resolve(cwd, nameOrDir);
  if (
    nameOrDir.includes('/') ||
    nameOrDir.includes(path.sep) ||
    nameOrDir === '.' ||
    (await isFile(path.join(asPath, 'manifest.yaml')))
  ) {
    return asPath;
  }
  const candidates = EXTENSION_TYPES.map((type) => path.join(cwd, 'extensions', `${type}s`, nameOrDir));
  const found: string[] = [];
  for (const candidate of candidates) {
    if (await isDirectory(candidate)) found.push(candidate);
  }
  if (found.length === 1) return found[0]!;
  if (found.length > 1) {
    throw new ProvisioningError(
      'EXTENSION_AMBIGUOUS',
      `extension name "${nameOrDir}" matches ${found.length} directories`,
      {
        kind: 'usage',
        hint: `pass the directory instead, e.g. ${path.relative(cwd, found[0]!)}`,
        details: { candidates: found },
      },
    );
  }
  throw new ProvisioningError(
    'EXTENSION_NOT_FOUND',
    `no extension "${nameOrDir}" under ${path.join(cwd, 'extensions')}`,
    {
      kind: 'input',
      hint: 'run the command from the directory that holds extensions/, or pass the extension directory',
      details: { searched: candidates },
    },
  );
}

async function isFile(file: string): Promise<boolean> {
  return (await stat(file).catch(() => undefined))?.isFile() ?? false;
}

async function isDirectory(dir: string): Promise<boolean> {
  return (await stat(dir).catch(() => undefined))?.isDirectory() ?? false;
}
