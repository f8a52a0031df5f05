// Run the built CLI asynchronously (a counting proxy in this process must keep serving meanwhile) and
// return its wall time in ms; rejects with its stderr when it fails.
import { spawn } from 'node:child_process';
import { CLI } from './repo.mjs';

export function runCli(args, { cwd, env }) {
  return new Promise((resolvePromise, reject) => {
    const t0 = performance.now();
    const child = spawn(process.execPath, [CLI, ...args], { cwd, env, stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (d) => {
      stderr = (stderr + d).slice(-8000);
    });
    child.on('error', reject);
    child.on('exit', (code) => {
      const ms = performance.now() - t0;
      if (code !== 0) reject(new Error(`provisioning ${args.join(' ')} failed:\n${stderr}`));
      else resolvePromise(ms);
    });
  });
}
