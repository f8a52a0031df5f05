import { Args } from '@oclif/core';
import { ProvisioningError, parseReference } from '@provisioning/schemas';
import type { EffectiveConfig } from '@provisioning/workspace';
import { BaseCommand } from '../../base-command.js';

export interface OciLogoutOutput {
  registry: string;
  /** False when no credentials were stored for it. */
  removed: boolean;
}

export default class OciLogout extends BaseCommand<typeof OciLogout> {
  static override summary =
    'Forget the stored credentials of an OCI registry (from the credential helper or the auth file)';
  static override examples = ['<%= config.bin %> oci logout localhost:5000'];
  static override args = {
    registry: Args.string({ description: 'registry host[:port]', required: true }),
  };

  async run(): Promise<OciLogoutOutput> {
    const config = await this.effectiveConfig();
    const target = loginTarget(this.args.registry, config, this.flags['plain-http']);
    const { logout } = await import('@provisioning/oci-client');
    const removed = await logout(target.host, {
      home: config.home.value,
      authFile: config.registryConfig.value,
      ...(target.plainHttp === undefined ? {} : { plainHttp: target.plainHttp }),
      insecure: config.insecure.value,
    });
    if (!this.isJson) {
      this.log(removed ? `Removed the credentials for ${target.host}` : `Not logged in to ${target.host}`);
    }
    return { registry: target.host, removed };
  }
}

/**
 * The registry host a user typed (`localhost:5000`, `oci://harbor.company.com/`,
 * `https://127.0.0.1:5443`), validated, with its scheme: the one typed (`https://`, `http://`), else
 * the configured TLS setting when it is the configured registry (credentials are keyed by origin),
 * else the client default (docs/oci.md, "TLS and plain HTTP").
 */
export function loginTarget(
  input: string,
  config: EffectiveConfig,
  plainHttpFlag: boolean | undefined,
): { host: string; plainHttp: boolean | undefined } {
  const scheme = /^(oci|https?):\/\//i.exec(input)?.[1]?.toLowerCase();
  const host = input.replace(/^(oci|https?):\/\//i, '').replace(/\/+$/, '');
  let parsed: string | undefined;
  try {
    parsed = parseReference(`${host}/probe`).registry;
  } catch {
    parsed = undefined;
  }
  if (parsed !== host || host.includes('/')) {
    throw new ProvisioningError(
      'REGISTRY_INVALID',
      `invalid registry ${JSON.stringify(input.slice(0, 200))}`,
      {
        kind: 'input',
        hint: 'give a registry host[:port] such as localhost:5000 or harbor.company.com',
      },
    );
  }
  if (scheme === 'https' || scheme === 'http') return { host, plainHttp: scheme === 'http' };
  if (host === config.registry.value) return { host, plainHttp: !config.tlsEnabled.value };
  return { host, plainHttp: plainHttpFlag ? true : undefined };
}
