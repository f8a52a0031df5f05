import { readFileSync } from 'node:fs';
import { join } from 'node:path';

/** Pids of every registry a test started, so afterAll can make sure none outlives the suite. */
export class StartedRegistries {
  private readonly pids = new Set<number>();

  /** Records the pid in `$PROVISIONING_HOME/oci-registry.json`, if any. */
  record(home: string): number | undefined {
    try {
      const { pid } = JSON.parse(readFileSync(join(home, 'oci-registry.json'), 'utf8')) as { pid: number };
      this.pids.add(pid);
      return pid;
    } catch {
      return undefined;
    }
  }

  /** SIGKILLs whatever is still alive; returns the pids that were (a leak the test should fail on). */
  killLeftovers(): number[] {
    const alive = [...this.pids].filter(isAlive);
    for (const pid of alive) process.kill(pid, 'SIGKILL');
    return alive;
  }
}

export function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch {
    return false;
  }
  // an exited child not yet reaped by its parent is gone for our purposes
  try {
    return !/\) Z /.test(readFileSync(`/proc/${pid}/stat`, 'utf8'));
  } catch {
    return false;
  }
}

export async function waitGone(pid: number, timeoutMs = 5000): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (!isAlive(pid)) return true;
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  return !isAlive(pid);
}
