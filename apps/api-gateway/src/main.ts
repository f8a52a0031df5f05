/**
 * The api-gateway container's start file (docs/platform.md, "Images"), bundled into dist/image/.
 * Configured by environment: PORT (7700), HOST, PROVISIONING_TOKEN_FILE, PROVISIONING_UI_DIR,
 * PROVISIONING_WORKSPACE and the usual PROVISIONING_REGISTRY/NAMESPACE. HOST defaults to 0.0.0.0
 * only when a token file guards the API (a container's port is reachable from outside), else 127.0.0.1.
 */
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { startApiServer } from './server.js';

declare const __APP_VERSION__: string | undefined;

const env = process.env;
const tokenFile = env.PROVISIONING_TOKEN_FILE || undefined;
const host = env.HOST || (tokenFile ? '0.0.0.0' : '127.0.0.1');
const port = env.PORT ? Number(env.PORT) : 7700;
// the bundle carries the control-center's built files in ./ui (see scripts/bundle-app-image.mjs)
const bundledUi = join(dirname(fileURLToPath(import.meta.url)), 'ui');
const uiDir = env.PROVISIONING_UI_DIR || (existsSync(join(bundledUi, 'index.html')) ? bundledUi : null);

try {
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    throw new Error(`PORT ${JSON.stringify(env.PORT)} is not a port number (0-65535)`);
  }
  const server = await startApiServer({
    host,
    port,
    uiDir,
    ...(tokenFile ? { tokenFile } : {}),
    ...(env.PROVISIONING_WORKSPACE ? { workspace: env.PROVISIONING_WORKSPACE } : {}),
    version: env.PROVISIONING_VERSION || (typeof __APP_VERSION__ === 'string' ? __APP_VERSION__ : '0.0.0'),
  });
  console.log(`api-gateway listening on ${server.url}${server.uiDir ? ` (UI from ${server.uiDir})` : ''}`);
  const stop = () => void server.close().then(() => process.exit(0));
  process.once('SIGTERM', stop);
  process.once('SIGINT', stop);
} catch (error) {
  const hint = (error as { hint?: string }).hint;
  console.error(`api-gateway: ${(error as Error).message}${hint ? ` (${hint})` : ''}`);
  process.exit(1);
}
