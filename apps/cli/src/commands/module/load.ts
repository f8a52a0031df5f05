import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { Args, Flags } from '@oclif/core';
import type { PlanEntry } from '@provisioning/workspace';
import { BaseCommand } from '../../base-command.js';
import { renderTable } from '../../render/table.js';

export interface ModuleLoadOutput {
  workspace: string;
  type: string;
  name: string;
  source: 'local' | 'oci';
  /** The reference now listed in config/provisioning.yaml. */
  reference: string;
  version: string;
  installed: boolean;
  modules: PlanEntry[];
}

export default class ModuleLoad extends BaseCommand<typeof ModuleLoad> {
  static override summary = "Add an extension module to a workspace's config and install it";
  static override description =
    'Adds the module to dependencies.extensions.modules.<type>s of WORKSPACE/config/provisioning.yaml (comments ' +
    'and formatting kept) and resolves the workspace. --source oci (default) uses the configured registry; the ' +
    'pinned version is the newest that fits unless --version is given. --source local switches the workspace to ' +
    'the legacy monorepo layout: dependencies.extensions.source_type becomes local and local.path points at the ' +
    'extensions directory (--path, default: the nearest ./extensions above the current directory).';
  static override examples = [
    '<%= config.bin %> module load taskserv workspace_dev redis --source local',
    '<%= config.bin %> module load taskserv ./workspace kubernetes --version 1.28.0',
  ];
  static override args = {
    type: Args.string({
      required: true,
      options: ['provider', 'taskserv', 'cluster'],
      description: 'extension type',
    }),
    workspace: Args.string({
      required: true,
      description: 'workspace directory (holds config/provisioning.yaml)',
    }),
    name: Args.string({ required: true, description: 'extension name' }),
  };
  static override flags = {
    source: Flags.string({
      options: ['local', 'oci'],
      default: 'oci',
      summary: 'Where the module comes from.',
    }),
    version: Flags.string({ summary: 'Version to pin (default: the newest that fits).' }),
    path: Flags.string({ summary: 'Extensions directory for --source local.' }),
  };

  async run(): Promise<ModuleLoadOutput> {
    const ws = await import('@provisioning/workspace');
    const { ProvisioningError } = await import('@provisioning/schemas');
    const type = this.args.type as 'provider' | 'taskserv' | 'cluster';
    const name = this.args.name;
    const root = resolve(this.args.workspace);
    const configFile = join(root, 'config', 'provisioning.yaml');
    if (!existsSync(configFile)) {
      throw new ProvisioningError('WORKSPACE_NOT_FOUND', `${configFile} does not exist`, {
        kind: 'input',
        hint: 'pass the workspace directory (the one holding config/provisioning.yaml)',
      });
    }
    const load = () =>
      ws.loadEffectiveConfig({
        cwd: process.cwd(),
        env: process.env,
        flags: {
          workspace: root,
          registry: this.flags.registry,
          namespace: this.flags.namespace,
          plainHttp: this.flags['plain-http'] || undefined,
          insecure: this.flags.insecure || undefined,
        },
      });
    let settings = ws.settingsFromEffectiveConfig(await load());
    const source = this.flags.source as 'local' | 'oci';
    if (source === 'local') {
      const extensionsDir = this.flags.path
        ? resolve(this.flags.path)
        : (findExtensionsDir(process.cwd()) ?? findExtensionsDir(root));
      if (!extensionsDir) {
        throw new ProvisioningError(
          'LOCAL_EXTENSIONS_NOT_FOUND',
          'no extensions/ directory found for --source local',
          {
            kind: 'input',
            hint: 'pass --path DIR (the directory holding providers/, taskservs/ and clusters/)',
          },
        );
      }
      await ws.setConfigValue(configFile, ['dependencies', 'extensions', 'source_type'], 'local');
      await ws.setConfigValue(configFile, ['dependencies', 'extensions', 'local', 'path'], extensionsDir);
    } else if (ws.workspaceSourceKind(settings) === 'local') {
      await ws.setConfigValue(configFile, ['dependencies', 'extensions', 'source_type'], 'oci');
    }
    const base = `${settings.registry}/${settings.extensionsNamespace}/${name}`;
    await ws.addModuleReference(
      configFile,
      type,
      this.flags.version ? `${base}:${this.flags.version}` : base,
    );
    settings = ws.settingsFromEffectiveConfig(await load());
    const result = await ws.withSolveExplanation(
      ws.resolveWorkspace({ settings, coreVersion: this.config.version }),
    );
    const version = result.lockfile.modules[name]!.version;
    const reference = `${base}:${version}`;
    // an unpinned entry gets the version just installed, like `npm install NAME` records it
    if (!this.flags.version) await ws.setModuleReference(configFile, name, reference);
    const output: ModuleLoadOutput = {
      workspace: root,
      type,
      name,
      source,
      reference,
      version,
      installed: result.installed,
      modules: result.plan,
    };
    if (!this.isJson) {
      this.log(`loaded ${type} ${name} ${version} (${source}) into ${root}`);
      this.log(
        renderTable(
          result.plan.map((m) => ({ module: m.name, type: m.type, version: m.version, action: m.action })),
        ),
      );
    }
    return output;
  }
}

function findExtensionsDir(start: string): string | undefined {
  let dir = resolve(start);
  for (;;) {
    const candidate = join(dir, 'extensions');
    if (['providers', 'taskservs', 'clusters'].some((t) => existsSync(join(candidate, t)))) return candidate;
    const parent = dirname(dir);
    if (parent === dir) return undefined;
    dir = parent;
  }
}
