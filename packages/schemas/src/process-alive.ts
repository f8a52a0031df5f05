/**
 * Is a process with this pid running? Signal 0 checks without delivering anything. EPERM means it
 * exists but belongs to another user: alive, though not ours to manage. A pid alone may have been
 * reused; callers that must know it is *their* process check more (workspace's `isOurProcess`).
 */
export function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}
