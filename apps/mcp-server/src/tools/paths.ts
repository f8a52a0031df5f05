import { isAbsolute, resolve } from 'node:path';

/** A path an assistant gave: relative ones are taken from the workspace the server was started in. */
export function resolveInside(workspace: string, path: string): string {
  return isAbsolute(path) ? path : resolve(workspace, path);
}
