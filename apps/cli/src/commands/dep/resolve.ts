import { join } from 'node:path';
import { Flags } from '@oclif/core';
import { BaseCommand } from '../../base-command.js';
import { noteNoopAnswer } from '../../noop-note.js';
import { type DepResolveOutput, renderResolve } from '../../render/resolve-plan.js';

export default class DepResolve extends BaseCommand<typeof DepResolve> {
  static override summary = 'Resolve the workspace dependencies, install them and write the lockfile';
  static override description =
    'Solves the module references of config/provisioning.yaml (root tags are exact pins; dependencies float ' +
    'within their ranges, preferring the locked versions), fetches what is missing into the cache (every digest ' +
    'verified), installs into .provisioning/extensions atomically and writes config/provisioning.lock.';
  static override examples = [
    '<%= config.bin %> dep resolve',
    '<%= config.bin %> dep resolve --frozen',
    '<%= config.bin %> dep resolve --offline --json',
    '<%= config.bin %> dep resolve --frozen --from-bundle site.tar',
  ];
  static override flags = {
    frozen: Flags.boolean({ summary: 'Install exactly the lockfile; fail if it does not match the config.' }),
    offline: Flags.boolean({ summary: 'Use only the local cache; never contact a registry.' }),
    'from-bundle': Flags.string({
      summary: 'Install from this bundle (`bundle create`) instead of any registry.',
      exclusive: ['offline'],
    }),
    keep: Flags.integer({
      summary:
        'Install generations to keep for `dep rollback` (the current one and its predecessor always stay).',
      default: 5,
      min: 1,
    }),
  };

  async run(): Promise<DepResolveOutput> {
    if (this.flags['from-bundle'] === undefined) {
      const upToDate = await this.upToDateFastPath();
      if (upToDate) return upToDate;
    }
    const { lockfilePath, resolveWorkspace, withSolveExplanation } = await import('@provisioning/workspace');
    const settings = await this.workspaceSettings();
    const bundleFile = this.flags['from-bundle'];
    const bundle = bundleFile === undefined ? undefined : await this.openBundle(bundleFile);
    const result = await withSolveExplanation(
      resolveWorkspace({
        settings,
        coreVersion: this.config.version,
        frozen: this.flags.frozen,
        offline: this.flags.offline,
        ...(this.debugLine ? { debug: this.debugLine } : {}),
        ...(bundle ? { bundle } : {}),
        keep: this.flags.keep,
      }),
    );
    const output: DepResolveOutput = {
      workspace: settings.root,
      lockfile: lockfilePath(settings.root),
      installed: result.installed,
      frozen: this.flags.frozen,
      offline: this.flags.offline,
      modules: result.plan,
      repaired: Boolean(result.recovery?.repairedLockfile),
      ...(result.generation === undefined ? {} : { generation: result.generation }),
    };
    if (!this.isJson) this.log(renderResolve(output));
    if (bundle) {
      if (!this.isJson) this.log(`content from the bundle ${bundle.location}`);
    } else {
      // git modules never touch the embedded storage: only the others can have come from it
      await this.logStorage(result.plan.filter((m) => m.git === undefined).map((m) => m.reference));
    }
    return output;
  }

  private async openBundle(file: string) {
    const [{ LayoutArchive }, { resolve }] = await Promise.all([
      import('@provisioning/oci-client'),
      import('node:path'),
    ]);
    return LayoutArchive.open(resolve(file));
  }

  /**
   * Everything already installed from this exact lockfile, which the run would keep as it is:
   * answered through the workspace package's light entry point, without loading registry or
   * packager code (keeps a no-op CI step close to the CLI's start-up time). Anything else goes the
   * full way.
   */
  private async upToDateFastPath(): Promise<DepResolveOutput | undefined> {
    const lean = await import('@provisioning/workspace/lean');
    // the same load the full path reuses when this one does not answer
    const config = await this.loadedConfig();
    const settings = lean.settingsFromEffectiveConfig(config);
    const fast = await lean.frozenUpToDate(settings, {
      coreVersion: this.config.version,
      unfrozen: !this.flags.frozen,
    });
    if (!fast) return undefined;
    const output: DepResolveOutput = {
      workspace: settings.root,
      lockfile: lean.lockfilePath(settings.root),
      installed: false,
      frozen: this.flags.frozen,
      offline: this.flags.offline,
      modules: fast.plan,
      repaired: false,
    };
    if (!this.isJson) this.log(renderResolve(output));
    // the next identical run prints this without loading anything (noop-replay.ts)
    noteNoopAnswer(settings.root, [
      join(config.home.value, lean.HOME_CONFIG_FILE),
      ...(config.workspaceConfigFile ? [config.workspaceConfigFile] : []),
      output.lockfile,
      // read by oclif at start-up: a colour theme, user-installed plugins
      join(this.config.configDir, 'theme.json'),
      join(this.config.dataDir, 'package.json'),
    ]);
    return output;
  }
}
