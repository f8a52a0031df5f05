/** `oci-registry stop`: SIGTERM the recorded process, wait, SIGKILL if it lingers, remove the state. */
import { ProvisioningError } from '@provisioning/schemas';
import { isOurProcess, signalRegistry, waitForExit } from './process-check.js';
import { type LocalRegistryState, readState, removeState } from './state-file.js';

export interface StopLocalRegistryOptions {
  home: string;
  /** Grace period after SIGTERM before SIGKILL (default 10 s). */
  graceMs?: number;
}

export type StopOutcome =
  /** It was running and is now gone. */
  | 'stopped'
  /** It ignored SIGTERM and was killed. */
  | 'killed'
  /** The state file named a process that no longer runs: the file was removed. */
  | 'stale'
  /** Nothing recorded: nothing to do. */
  | 'not-running';

export interface StopLocalRegistryResult {
  outcome: StopOutcome;
  state?: LocalRegistryState;
}

export async function stopLocalRegistry(options: StopLocalRegistryOptions): Promise<StopLocalRegistryResult> {
  const state = await readState(options.home);
  if (!state) return { outcome: 'not-running' };
  if (!(await isOurProcess(state.pid, state.command))) {
    await removeState(options.home);
    return { outcome: 'stale', state };
  }
  signalRegistry(state.pid, 'SIGTERM');
  let outcome: StopOutcome = 'stopped';
  if (!(await waitForExit(state.pid, options.graceMs ?? 10_000))) {
    outcome = 'killed';
    signalRegistry(state.pid, 'SIGKILL');
    if (!(await waitForExit(state.pid, 5_000))) {
      throw new ProvisioningError(
        'REGISTRY_STOP_FAILED',
        `the ${state.backend} registry (pid ${state.pid}) is still running after SIGKILL`,
        { kind: 'internal', hint: `check the process with \`ps -p ${state.pid}\`` },
      );
    }
  }
  await removeState(options.home);
  return { outcome, state };
}
