/**
 * The mcp-server container's start file (docs/platform.md, "Images"), bundled into dist/image/:
 * read-only MCP over streamable HTTP at /mcp. Configured by environment: PORT (7800), HOST,
 * PROVISIONING_TOKEN_FILE, PROVISIONING_WORKSPACE and the usual PROVISIONING_REGISTRY/NAMESPACE.
 * HOST defaults to 0.0.0.0 only when a token file guards the server, else 127.0.0.1. The write
 * tools need the CLI, which the image does not carry, so they stay off.
 */
import { loadEffectiveConfig } from '@provisioning/workspace';
import { startHttpServer } from './http-transport.js';

declare const __APP_VERSION__: string | undefined;

const env = process.env;
const tokenFile = env.PROVISIONING_TOKEN_FILE || undefined;
const host = env.HOST || (tokenFile ? '0.0.0.0' : '127.0.0.1');
const port = env.PORT ? Number(env.PORT) : 7800;

try {
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    throw new Error(`PORT ${JSON.stringify(env.PORT)} is not a port number (0-65535)`);
  }
  const workspace = env.PROVISIONING_WORKSPACE || undefined;
  // without a workspace the registry tools still answer (the workspace tools say where to start)
  const config = await loadEffectiveConfig({
    cwd: workspace ?? process.cwd(),
    env,
    flags: workspace ? { workspace } : {},
  });
  const server = await startHttpServer({
    host,
    port,
    config,
    ...(tokenFile ? { tokenFile } : {}),
    ...(workspace ? { workspace } : {}),
    version: env.PROVISIONING_VERSION || (typeof __APP_VERSION__ === 'string' ? __APP_VERSION__ : '0.0.0'),
  });
  console.log(`mcp-server listening on ${server.url}`);
  const stop = () => void server.close().then(() => process.exit(0));
  process.once('SIGTERM', stop);
  process.once('SIGINT', stop);
} catch (error) {
  const hint = (error as { hint?: string }).hint;
  console.error(`mcp-server: ${(error as Error).message}${hint ? ` (${hint})` : ''}`);
  process.exit(1);
}
