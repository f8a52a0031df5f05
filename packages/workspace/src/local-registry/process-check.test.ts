import { spawn } from 'node:child_process';
import { processAlive } from '@provisioning/schemas';
import { describe, expect, it } from 'vitest';
import { isOurProcess, waitForExit } from './process-check.js';

describe('isOurProcess', () => {
  it('matches a live process by its recorded arguments, not by its pid alone', async () => {
    const script = 'setTimeout(() => {}, 30000)';
    const child = spawn(process.execPath, ['-e', script, 'registry-marker']);
    await new Promise((resolve) => child.once('spawn', resolve));
    const pid = child.pid!;
    try {
      expect(await isOurProcess(pid, [process.execPath, '-e', script, 'registry-marker'])).toBe(true);
      // argv[0] may differ (a wrapper or a rewritten name): only the arguments count
      expect(await isOurProcess(pid, ['/elsewhere/node', '-e', script, 'registry-marker'])).toBe(true);
      // a reused pid running something else is not ours
      expect(await isOurProcess(pid, [process.execPath, 'serve', '/home/u/.provisioning/zot.json'])).toBe(
        false,
      );
    } finally {
      child.kill('SIGKILL');
    }
    expect(await waitForExit(pid, 5000)).toBe(true);
    expect(await isOurProcess(pid, [process.execPath, '-e', script, 'registry-marker'])).toBe(false);
  });

  it('a script run through its interpreter is recognised by the arguments after the script', async () => {
    const child = spawn('/bin/sh', ['-c', 'sleep 30', 'fake-registry', 'serve'], { stdio: 'ignore' });
    await new Promise((resolve) => child.once('spawn', resolve));
    try {
      expect(
        await isOurProcess(child.pid!, ['/usr/local/bin/registry', 'sleep 30', 'fake-registry', 'serve']),
      ).toBe(true);
    } finally {
      child.kill('SIGKILL');
    }
    expect(await waitForExit(child.pid!, 5000)).toBe(true);
    expect(processAlive(2 ** 22 + 12345)).toBe(false);
  });
});
