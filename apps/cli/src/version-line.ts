/**
 * `provisioning --version`, `-v` and `version`: one line, like docker and helm. Its own small entry
 * (`dist/version-line.js`, scripts/bundle.mjs) so `bin/run.js` answers it without loading oclif.
 */
import { readFileSync } from 'node:fs';

export const VERSION_ARGS: ReadonlySet<string> = new Set(['--version', '-v', 'version']);

let version: string | undefined;

/** The CLI's version from its package.json; `root` is bin/run.js's URL. */
export function packageVersion(root: string): string {
  version ??= (JSON.parse(readFileSync(new URL('../package.json', root), 'utf8')) as { version: string })
    .version;
  return version;
}

/**
 * `provisioning/3.5.0 linux-x64 node-v20.20.0`: the bin's name, not the npm package's scoped name
 * (oclif's own line would say `@provisioning/cli/3.5.0`).
 */
export function versionLine(root: string): string {
  return `provisioning/${packageVersion(root)} ${process.platform}-${process.arch} node-${process.version}`;
}
