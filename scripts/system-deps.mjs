// The system programs the test suite drives for real (docs/architecture.md, "Tests"), and the Debian package of each.
import { accessSync, constants } from 'node:fs';
import { delimiter, join } from 'node:path';

export const SYSTEM_DEPS = [
  { bin: 'docker-registry', pkg: 'docker-registry' },
  { bin: 'skopeo', pkg: 'skopeo' },
  { bin: 'umoci', pkg: 'umoci' },
];

export function onPath(bin) {
  for (const dir of (process.env.PATH ?? '').split(delimiter)) {
    if (!dir) continue;
    try {
      accessSync(join(dir, bin), constants.X_OK);
      return true;
    } catch {}
  }
  return false;
}

export function missingSystemDeps() {
  return SYSTEM_DEPS.filter((d) => !onPath(d.bin));
}
