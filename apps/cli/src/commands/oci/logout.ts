import { Args } from '@oclif/core';
import { BaseCommand } from '../../base-command.js';
import { loginTarget } from '../../login-target.js';

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
