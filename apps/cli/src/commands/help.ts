import { Args, Command, loadHelpClass } from '@oclif/core';

/** `provisioning help [COMMAND…]`, as in git, helm and docker: the same text as `COMMAND --help`. */
export default class HelpCommand extends Command {
  static override summary = 'Show help for provisioning or for one command';
  static override strict = false;
  static override args = {
    command: Args.string({ required: false, description: 'command to show help for, e.g. "oci push"' }),
  };
  static override examples = ['<%= config.bin %> help', '<%= config.bin %> help oci push'];

  async run(): Promise<void> {
    const { argv } = await this.parse(HelpCommand);
    const Help = await loadHelpClass(this.config);
    await new Help(this.config, this.config.pjson.oclif.helpOptions ?? {}).showHelp(argv as string[]);
  }
}
