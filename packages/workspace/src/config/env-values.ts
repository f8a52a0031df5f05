import { ProvisioningError } from '@provisioning/schemas';
import type { Env } from './effective-config.js';

const TRUE = new Set(['1', 'true', 'yes', 'on']);
const FALSE = new Set(['0', 'false', 'no', 'off']);

/** A boolean environment variable; unset or empty → undefined, anything unrecognised → error. */
export function booleanEnv(env: Env, name: string): boolean | undefined {
  const raw = env[name];
  if (raw === undefined || raw.trim() === '') return undefined;
  const value = raw.trim().toLowerCase();
  if (TRUE.has(value)) return true;
  if (FALSE.has(value)) return false;
  throw new ProvisioningError('ENV_INVALID', `${name}: expected true or false, got "${raw}"`, {
    kind: 'input',
    hint: `set ${name} to true/false (also 1/0, yes/no, on/off) or unset it`,
    details: { variable: name },
  });
}

/** A string environment variable; unset or blank → undefined. */
export function stringEnv(env: Env, name: string): string | undefined {
  const raw = env[name];
  return raw === undefined || raw.trim() === '' ? undefined : raw.trim();
}
