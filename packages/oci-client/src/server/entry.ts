import { fileURLToPath } from 'node:url';

/**
 * Absolute path of the compiled `main.js`, for spawning the registry as a detached process:
 * `spawn(process.execPath, [registryServerEntry(), '--root', R, '--port', P])`.
 */
export function registryServerEntry(): string {
  return fileURLToPath(new URL('./main.js', import.meta.url));
}
