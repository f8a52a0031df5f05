// Copies the built control-center (static files, no server of its own) into the api-gateway's
// image bundle, dist/image/ui/, which the image serves at `/` (docs/platform.md, "Images"). A turbo
// task of its own (`bundle-ui`), since the control-center's build needs the api-gateway's first.
// Usage (from apps/api-gateway): node ../../scripts/copy-control-center-ui.mjs
import { cpSync, existsSync, rmSync } from 'node:fs';
import { join, resolve } from 'node:path';

const appRoot = process.cwd();
const source = resolve(appRoot, '..', 'control-center', 'dist');
const target = join(appRoot, 'dist', 'image', 'ui');
if (!existsSync(join(appRoot, 'dist', 'image', 'index.js'))) {
  console.error('copy-control-center-ui: dist/image/index.js is missing: run the api-gateway build first');
  process.exit(1);
}
if (!existsSync(join(source, 'index.html'))) {
  console.error(
    `copy-control-center-ui: ${source} has no index.html: build @provisioning/control-center first`,
  );
  process.exit(1);
}
rmSync(target, { recursive: true, force: true });
cpSync(source, target, { recursive: true });
console.log(`copied ${source} → ${target}`);
