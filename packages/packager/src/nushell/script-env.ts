/**
 * The environment an extension script gets (docs/extension-guide.md, "Script environment"): a few
 * variables of this process that tools need to work at all, plus the `PROVISIONING_*` values that
 * describe the run. Nothing else is passed on: no registry credentials, tokens or proxies.
 */

/** Variables taken over from this process when set. */
export const INHERITED_SCRIPT_VARIABLES = [
  'PATH',
  'HOME',
  'USER',
  'LOGNAME',
  'LANG',
  'TZ',
  'TMPDIR',
] as const;

const DEFAULT_PATH = '/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin';

export function scriptEnvironment(
  parent: NodeJS.ProcessEnv,
  provisioning: Record<string, string>,
): Record<string, string> {
  const env: Record<string, string> = {};
  for (const name of INHERITED_SCRIPT_VARIABLES) {
    const value = parent[name];
    if (value !== undefined && value !== '') env[name] = value;
  }
  env.PATH ??= DEFAULT_PATH;
  env.LANG ??= 'C.UTF-8';
  // output goes through a pipe (prefixed, or collected for --json): no colour codes in it
  env.NO_COLOR = '1';
  for (const [name, value] of Object.entries(provisioning)) env[`PROVISIONING_${name}`] = value;
  return env;
}
