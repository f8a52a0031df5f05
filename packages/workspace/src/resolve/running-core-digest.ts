/**
 * The digest of the running core, for the lockfile's `core.digest`: known when this process is a
 * pinned core that a workspace delegated to (`PROVISIONING_CORE_DELEGATED`, bin/core-pin.js),
 * from the `core.json` that `core install` wrote beside it.
 */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { provisioningHome } from '@provisioning/schemas';

export const CORE_ORIGIN_FILE = 'core.json';

export async function runningCoreDigest(
  version: string,
  env: NodeJS.ProcessEnv = process.env,
): Promise<string | undefined> {
  if (env.PROVISIONING_CORE_DELEGATED !== version) return undefined;
  const text = await readFile(join(provisioningHome(env), 'core', version, CORE_ORIGIN_FILE), 'utf8').catch(
    () => undefined,
  );
  if (text === undefined) return undefined;
  const origin = JSON.parse(text) as { version?: string; digest?: string };
  return origin.version === version && typeof origin.digest === 'string' ? origin.digest : undefined;
}
