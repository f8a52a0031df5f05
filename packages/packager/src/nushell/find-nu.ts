/**
 * Where the Nushell binary `nu` is (docs/extension-guide.md, "Scripts"): `PROVISIONING_NU`, then the
 * `nushell` npm package (its platform package ships the official binary), then `PATH`.
 */
import { accessSync, constants, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { delimiter, join } from 'node:path';
import { ProvisioningError } from '@provisioning/schemas';

export interface FindNuOptions {
  /** Environment to read `PROVISIONING_NU` and `PATH` from (default `process.env`). */
  env?: NodeJS.ProcessEnv;
  /** Files or directories to resolve the `nushell` package from, tried before this package's own location. */
  resolveFrom?: string[];
}

export function findNu(options: FindNuOptions = {}): string {
  const env = options.env ?? process.env;
  const configured = env.PROVISIONING_NU;
  if (configured) {
    if (isExecutableFile(configured)) return configured;
    throw new ProvisioningError('ENV_INVALID', `PROVISIONING_NU=${configured} is not an executable file`, {
      kind: 'input',
      hint: 'point PROVISIONING_NU at the nu binary, or unset it to use the one of the nushell package',
      details: { variable: 'PROVISIONING_NU' },
    });
  }
  const fromPackage = nuFromPackage([...(options.resolveFrom ?? []), import.meta.url]);
  if (fromPackage) return fromPackage;
  const onPath = executableOnPath(process.platform === 'win32' ? 'nu.exe' : 'nu', env.PATH);
  if (onPath) return onPath;
  throw new ProvisioningError(
    'NU_NOT_FOUND',
    'the Nushell binary nu was not found (PROVISIONING_NU is unset, the nushell package is not installed, no nu on PATH)',
    {
      kind: 'input',
      hint: 'reinstall @provisioning/cli (it depends on the nushell package), or set PROVISIONING_NU to a nu binary',
    },
  );
}

/** `@nushell/<os>-<arch>/bin/nu`, resolved from where the `nushell` package itself lives. */
function nuFromPackage(bases: string[]): string | undefined {
  const os = process.platform === 'win32' ? 'windows' : process.platform;
  const exe = process.platform === 'win32' ? 'nu.exe' : 'nu';
  for (const base of bases) {
    try {
      // realpath of the package (pnpm links it from its store, next to its optional dependencies)
      const nushell = createRequire(base).resolve('nushell/package.json');
      const binary = createRequire(nushell).resolve(`@nushell/${os}-${process.arch}/bin/${exe}`);
      if (isExecutableFile(binary)) return binary;
    } catch {
      // not installed from there
    }
  }
  return undefined;
}

function executableOnPath(name: string, path: string | undefined): string | undefined {
  for (const dir of (path ?? '').split(delimiter)) {
    if (!dir) continue;
    const candidate = join(dir, name);
    if (isExecutableFile(candidate)) return candidate;
  }
  return undefined;
}

function isExecutableFile(path: string): boolean {
  try {
    if (!statSync(path).isFile()) return false;
    accessSync(path, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}
