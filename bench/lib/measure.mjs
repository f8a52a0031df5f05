// Runs a command and reports its wall time and peak resident set size. With GNU time the peak is
// the kernel's figure (for a shell loop: its largest child); otherwise /proc/PID/status VmHWM is
// polled, which only sees the direct child.
import { spawn } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';

const GNU_TIME = '/usr/bin/time';
export const rssMethod = existsSync(GNU_TIME) ? 'GNU time -v' : '/proc VmHWM polling';

/**
 * Returns `{ seconds, peakRssMb, cpuSeconds, stdout }` (`cpuSeconds`: user + system of the command
 * and its children, with GNU time); throws with the command's stderr when it fails.
 */
export function measure(command, args, { env, cwd } = {}) {
  const useTime = existsSync(GNU_TIME);
  const [file, argv] = useTime ? [GNU_TIME, ['-v', command, ...args]] : [command, args];
  return new Promise((resolve, reject) => {
    const started = performance.now();
    const child = spawn(file, argv, { env, cwd, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    let polledKb = 0;
    child.stdout.on('data', (chunk) => {
      stdout += chunk;
    });
    child.stderr.on('data', (chunk) => {
      stderr += chunk;
      if (stderr.length > 1 << 20) stderr = stderr.slice(-(1 << 19));
    });
    const poll = useTime
      ? undefined
      : setInterval(() => {
          try {
            const match = /VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${child.pid}/status`, 'utf8'));
            if (match) polledKb = Math.max(polledKb, Number(match[1]));
          } catch {
            // the process is gone
          }
        }, 20);
    child.on('error', reject);
    child.on('close', (code) => {
      const seconds = (performance.now() - started) / 1000;
      if (poll) clearInterval(poll);
      const reported = /Maximum resident set size \(kbytes\): (\d+)/.exec(stderr);
      const peakKb = reported ? Number(reported[1]) : polledKb;
      const exit = useTime ? /Exit status: (\d+)/.exec(stderr)?.[1] : String(code);
      if (code !== 0 || (exit !== undefined && exit !== '0')) {
        reject(new Error(`${command} ${args.join(' ')} failed (${code}):\n${stderr.slice(-2000)}`));
        return;
      }
      const user = /User time \(seconds\): ([\d.]+)/.exec(stderr);
      const system = /System time \(seconds\): ([\d.]+)/.exec(stderr);
      const cpuSeconds = user && system ? Number(user[1]) + Number(system[1]) : undefined;
      resolve({ seconds, peakRssMb: peakKb / 1024, cpuSeconds, stdout });
    });
  });
}

/** CPU seconds (user + system) a process has used so far, from /proc; undefined where unknown. */
export function processCpuSeconds(pid) {
  try {
    const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
    // utime and stime are fields 14 and 15 of stat(5), in clock ticks (100 per second on Linux)
    return (Number(fields[11]) + Number(fields[12])) / 100;
  } catch {
    return undefined;
  }
}
