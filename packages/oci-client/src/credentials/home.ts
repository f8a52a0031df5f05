import { homedir } from 'node:os';
import { join } from 'node:path';

/** `$PROVISIONING_HOME`, or `~/.provisioning` (docs/configuration.md). */
export function provisioningHome(env: NodeJS.ProcessEnv = process.env): string {
  const fromEnv = env.PROVISIONING_HOME;
  return fromEnv !== undefined && fromEnv !== '' ? fromEnv : join(homedir(), '.provisioning');
}
