import type { StopOutcome } from '@provisioning/workspace';
import { BaseCommand } from '../../base-command.js';

export interface OciRegistryStopOutput {
  outcome: StopOutcome;
  backend: string | null;
  pid: number | null;
  endpoint: string | null;
}

export default class OciRegistryStop extends BaseCommand<typeof OciRegistryStop> {
  static override tolerateDeadLocalRegistry = true;
  static override summary = 'Stop the local OCI registry started by `oci-registry start`';
  static override description =
    'Sends SIGTERM to the recorded process, waits, falls back to SIGKILL, and removes ' +
    '$PROVISIONING_HOME/oci-registry.json. Stopping when nothing runs is not an error.';
  static override examples = ['<%= config.bin %> oci-registry stop'];

  async run(): Promise<OciRegistryStopOutput> {
    const { stopLocalRegistry } = await import('@provisioning/workspace');
    const config = await this.effectiveConfig();
    const { outcome, state } = await stopLocalRegistry({ home: config.home.value });
    const output: OciRegistryStopOutput = {
      outcome,
      backend: state?.backend ?? null,
      pid: state?.pid ?? null,
      endpoint: state?.endpoint ?? null,
    };
    if (!this.isJson) {
      const what = state ? `the ${state.backend} registry on ${state.endpoint} (pid ${state.pid})` : '';
      const lines: Record<StopOutcome, string> = {
        stopped: `stopped ${what}`,
        killed: `stopped ${what} with SIGKILL (it ignored SIGTERM)`,
        stale: `${what} was no longer running; removed its stale state file`,
        'not-running': 'no local registry is running',
      };
      this.log(lines[outcome]);
    }
    return output;
  }
}
