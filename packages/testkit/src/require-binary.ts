import { accessSync, constants } from 'node:fs';
import { delimiter, join } from 'node:path';

/** Debian/Ubuntu package that provides each binary the suites run. */
const APT_PACKAGES: Record<string, string> = {
  'docker-registry': 'docker-registry',
  skopeo: 'skopeo',
  umoci: 'umoci',
  openssl: 'openssl',
  chromium: 'chromium',
};

/**
 * Absolute path of an executable, or a clear error naming the package to install.
 * Tests never skip: a missing tool is a failure with one instruction.
 */
export function requireBinary(name: string): string {
  const candidates = [...(process.env.PATH ?? '').split(delimiter), '/usr/bin', '/usr/local/bin'];
  for (const dir of candidates) {
    if (dir === '') continue;
    const path = join(dir, name);
    try {
      accessSync(path, constants.X_OK);
      return path;
    } catch {
      // not in this directory
    }
  }
  const pkg = APT_PACKAGES[name] ?? name;
  throw new Error(
    `required program "${name}" is not installed; install it with: sudo apt-get install -y ${pkg} (or run pnpm setup)`,
  );
}
