/**
 * What the create, check, delete and list commands of taskservs, clusters and providers share:
 * `--infra`, `--timeout` (the scripts' timeout here) and the script output callbacks.
 */
import { type Command, Flags } from '@oclif/core';
import type { ExtensionType } from '@provisioning/schemas';
import type { ConfigFlags, ModuleScriptOptions } from '@provisioning/workspace';
import { BaseCommand } from '../base-command.js';
import { scriptPrinter } from './script-output.js';

export const infraFlag = Flags.string({
  required: true,
  summary: 'Infra name: a directory under WORKSPACE/infra/ (holds settings.yaml and state.yaml).',
});

export const scriptTimeoutFlag = Flags.string({
  summary:
    'How long each script may run before it is stopped: seconds or a duration (90s, 10m). Default 10m. ' +
    '(The registry timeout comes from PROVISIONING_TIMEOUT for these commands.)',
  helpValue: 'DURATION',
});

export abstract class ModuleCommand<T extends typeof Command> extends BaseCommand<T> {
  /** Which type of module the command handles; set by each topic's command. */
  static moduleType: ExtensionType = 'taskserv';

  protected get moduleType(): ExtensionType {
    return (this.ctor as unknown as typeof ModuleCommand).moduleType;
  }

  /** `--timeout` times the scripts here, not registry requests. */
  protected override async configFlags(workspace?: string): Promise<ConfigFlags> {
    return { ...(await super.configFlags(workspace)), timeout: undefined };
  }

  /** Options every script run takes from the flags; output streams unless `--json`. */
  protected async scriptOptions(flags: {
    infra: string;
    timeout?: string;
    offline?: boolean;
  }): Promise<Omit<ModuleScriptOptions, 'check'>> {
    const { parseDuration } = await import('@provisioning/workspace');
    return {
      type: this.moduleType,
      infra: flags.infra,
      offline: flags.offline,
      ...(flags.timeout !== undefined
        ? { timeoutMs: parseDuration(flags.timeout, { where: '--timeout', code: 'FLAG_INVALID' }) }
        : {}),
      ...(this.isJson ? {} : scriptPrinter((line) => this.log(line))),
    };
  }
}
