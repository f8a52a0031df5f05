import { chmod, readdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { makeDirectory, ProvisioningError, semverProblem } from '@provisioning/schemas';
import { EXTENSION_TYPES, isExtensionType } from '../extension-layout.js';
import { DEFAULT_SCAFFOLD_VERSION, scaffoldFiles } from './scaffold-files.js';

/** A single distribution-spec path component: the extension becomes `NAMESPACE/NAME` in a registry. */
const NAME_PATTERN = /^[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*$/;

/**
 * Writes a new extension of `type` called `name` into `dir` (created; must be absent or empty):
 * the full contract layout with small, working content that passes `validateExtension` and
 * `testExtension` as generated. Returns the absolute directory.
 */
export interface ScaffoldOptions {
  /** The extension's first version (semver, default 1.0.0). */
  version?: string;
}

export async function scaffoldExtension(
  type: string,
  name: string,
  dir: string,
  options: ScaffoldOptions = {},
): Promise<string> {
  const version = options.version ?? DEFAULT_SCAFFOLD_VERSION;
  const versionProblem = semverProblem(version);
  if (versionProblem !== null) {
    throw new ProvisioningError('EXTENSION_VERSION_INVALID', `--version: ${versionProblem}`, {
      kind: 'usage',
      hint: 'give the first version as MAJOR.MINOR.PATCH, e.g. --version 1.0.0',
      details: { value: version },
    });
  }
  if (!isExtensionType(type)) {
    throw new ProvisioningError('EXTENSION_TYPE_INVALID', `unknown extension type "${type}"`, {
      kind: 'usage',
      hint: `use one of: ${EXTENSION_TYPES.join(', ')}`,
    });
  }
  if (!NAME_PATTERN.test(name) || name.length > 128) {
    throw new ProvisioningError('EXTENSION_NAME_INVALID', `extension name "${name}" is not valid`, {
      kind: 'usage',
      hint: 'use lowercase letters and digits, optionally separated by ".", "_" or "-" (e.g. kube-proxy)',
    });
  }
  const root = path.resolve(dir);
  const existing = await readdir(root).catch((error: NodeJS.ErrnoException) => {
    if (error.code === 'ENOENT') return [];
    throw new ProvisioningError('TARGET_EXISTS', `${dir} exists and is not a directory`, {
      kind: 'input',
      hint: 'choose another --dir',
    });
  });
  if (existing.length > 0) {
    throw new ProvisioningError('TARGET_EXISTS', `${dir} already exists and is not empty`, {
      kind: 'input',
      hint: 'choose another --dir, or remove the directory first',
      details: { dir: root },
    });
  }
  for (const file of scaffoldFiles(type, name, version)) {
    const target = path.join(root, ...file.path.split('/'));
    await makeDirectory(path.dirname(target));
    await writeFile(target, file.content, { flag: 'wx' });
    // Explicit chmod: the process umask must not decide what gets packed.
    await chmod(target, file.executable ? 0o755 : 0o644);
  }
  return root;
}
