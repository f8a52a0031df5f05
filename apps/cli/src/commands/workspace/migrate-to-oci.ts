import { resolve } from 'node:path';
import { Args, Flags } from '@oclif/core';
import type { MigrateToOciResult } from '@provisioning/workspace';
import { BaseCommand } from '../../base-command.js';
import { renderTable } from '../../render/table.js';

export default class WorkspaceMigrateToOci extends BaseCommand<typeof WorkspaceMigrateToOci> {
  static override summary = 'Switch a workspace from the local extensions directory to the OCI registry';
  static override description =
    'Rewrites WORKSPACE/config/provisioning.yaml (comments kept) so its modules come from the configured OCI ' +
    'registry: source_type becomes oci and every module becomes oci://REGISTRY/NAMESPACE/NAME:VERSION at the ' +
    'version it uses now. Every module must already be published (`oci publish NAME`), or pass --publish to push ' +
    'the missing ones from the local directory. Nothing is written unless every module is there. Run ' +
    '`provisioning dep resolve` afterwards.';
  static override examples = [
    '<%= config.bin %> workspace migrate-to-oci workspace_prod',
    '<%= config.bin %> workspace migrate-to-oci ./workspace --publish',
    '<%= config.bin %> workspace migrate-to-oci ./workspace --dry-run --json',
  ];
  static override args = {
    workspace: Args.string({
      required: true,
      description: 'workspace directory (holds config/provisioning.yaml)',
    }),
  };
  static override flags = {
    publish: Flags.boolean({
      summary: 'Push modules the registry lacks from the local extensions directory.',
    }),
    'dry-run': Flags.boolean({ summary: 'Show what would change; write and push nothing.' }),
  };

  async run(): Promise<MigrateToOciResult> {
    const ws = await import('@provisioning/workspace');
    const config = await this.effectiveConfig({ workspace: resolve(this.args.workspace) });
    const settings = ws.settingsFromEffectiveConfig(config);
    const result = await ws.withOciSession(config, {}, (session) =>
      ws.migrateToOci({ settings, session, publish: this.flags.publish, dryRun: this.flags['dry-run'] }),
    );
    if (!this.isJson) {
      this.log(
        renderTable(
          result.modules.map((m) => ({
            module: m.name,
            version: m.version,
            registry: m.action,
            reference: m.reference,
          })),
        ),
      );
      if (!result.changed) this.log(`${result.configFile} already uses the OCI registry; nothing to change`);
      else if (this.flags['dry-run'])
        this.log(`would rewrite ${result.configFile} (dry run: nothing written)`);
      else
        this.log(
          `rewrote ${result.configFile}; run \`provisioning dep resolve\` to install from the registry`,
        );
    }
    return result;
  }
}
