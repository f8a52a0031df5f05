/** Is a recorded process still the one we started? (A pid alone may have been reused.) */
import { readFile } from 'node:fs/promises';
import { setTimeout as sleep } from 'node:timers/promises';
import { processAlive } from '@provisioning/schemas';

/**
 * True when `pid` is alive and, where `/proc` tells us, runs the executable we recorded. A zombie
 * (exited, not yet reaped) counts as gone.
 */
export async function isOurProcess(pid: number, command: readonly string[]): Promise<boolean> {
  if (!processAlive(pid)) return false;
  const status = await readFile(`/proc/${pid}/stat`, 'utf8').catch(() => undefined);
  if (status === undefined) return true; // no /proc (macOS): the pid check is all we have
  if (/\) Z /.test(status)) return false;
  const cmdline = await readFile(`/proc/${pid}/cmdline`, 'utf8').catch(() => undefined);
  if (cmdline === undefined) return true;
  const argv = cmdline.split('\0').filter((a) => a !== '');
  // argv[0] may be rewritten by the runtime, and a script is run through its interpreter
  // (`/bin/sh SCRIPT serve CONFIG`): the recorded arguments must appear in order, side by side
  const args = command.slice(1);
  if (args.length === 0) return argv.some((a) => a === command[0] || a.endsWith(`/${command[0]}`));
  for (let i = 0; i + args.length <= argv.length; i++) {
    if (args.every((arg, j) => argv[i + j] === arg)) return true;
  }
  return false;
}

/** Waits until the process is gone; false when it still runs after `timeoutMs`. */
export async function waitForExit(pid: number, timeoutMs: number): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (!(await isAliveNotZombie(pid))) return true;
    await sleep(25);
  }
  return !(await isAliveNotZombie(pid));
}

async function isAliveNotZombie(pid: number): Promise<boolean> {
  if (!processAlive(pid)) return false;
  const status = await readFile(`/proc/${pid}/stat`, 'utf8').catch(() => undefined);
  return status === undefined || !/\) Z /.test(status);
}

/**
 * Signals the process group the registry leads (it was started detached: its own group), so a
 * wrapper script and the server it started go together; falls back to the pid alone.
 */
export function signalRegistry(pid: number, signal: NodeJS.Signals): void {
  for (const target of [-pid, pid]) {
    try {
      process.kill(target, signal);
      return;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ESRCH') throw error;
    }
  }
}
