/**
 * Replays a GitHub Actions workflow here, step by step (docs/releasing.md, "CI"): the jobs whose
 * `if:` matches the event run their `run:` steps with bash in a clone, with `${{ secrets.X }}`
 * and `${{ matrix.X }}` filled in and the GITHUB_* variables a runner sets. `uses:` steps are the
 * runner's set-up (checkout: the clone; setup-node: this node) and the CLI install step is the
 * local build on PATH. A step that fails stops its job, as on a runner.
 */
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseYamlData } from '@provisioning/schemas';

export interface ReplayedStep {
  job: string;
  run: string;
  code: number;
  stdout: string;
  stderr: string;
}

export interface ReplayOptions {
  workflow: string;
  event: 'push' | 'pull_request';
  /** The clone the steps run in. */
  cwd: string;
  /** GITHUB_REF_NAME, GITHUB_BASE_REF, … */
  github: Record<string, string>;
  secrets: Record<string, string>;
  /** The environment the runner starts with (PATH with the `provisioning` shim first, …). */
  env: Record<string, string>;
}

interface Step {
  run?: string;
  uses?: string;
  env?: Record<string, string>;
}
interface Job {
  if?: string;
  env?: Record<string, string>;
  steps: Step[];
}

/** Every `run:` step that ran, in order; the jobs that did not match the event are left out. */
export async function replayWorkflow(options: ReplayOptions): Promise<ReplayedStep[]> {
  const doc = parseYamlData(readFileSync(options.workflow, 'utf8'), { file: options.workflow }) as {
    jobs: Record<string, Job>;
  };
  const ran: ReplayedStep[] = [];
  for (const [id, job] of Object.entries(doc.jobs)) {
    if (!matches(job.if, options.event)) continue;
    const runnerTemp = mkdtempSync(join(tmpdir(), 'replay-runner-'));
    for (const step of job.steps) {
      if (step.run === undefined) continue; // actions/checkout, actions/setup-node: the runner's set-up
      if (/^npm install --global @provisioning\/cli@/.test(step.run)) continue; // the local build
      const env = {
        ...options.env,
        ...options.github,
        GITHUB_EVENT_NAME: options.event,
        GITHUB_WORKSPACE: options.cwd,
        RUNNER_TEMP: runnerTemp,
        CI: 'true',
        ...fill(job.env, options.secrets),
        ...fill(step.env, options.secrets),
      };
      const result = await bash(fillText(step.run, options.secrets), options.cwd, env);
      ran.push({ job: id, run: step.run, ...result });
      if (result.code !== 0) break;
    }
  }
  return ran;
}

function matches(condition: string | undefined, event: string): boolean {
  if (condition === undefined) return true;
  const m = /^github\.event_name == '([a-z_]+)'$/.exec(condition.trim());
  if (!m) throw new Error(`replay: cannot evaluate if: ${condition}`);
  return m[1] === event;
}

function fill(env: Record<string, string> | undefined, secrets: Record<string, string>) {
  return Object.fromEntries(Object.entries(env ?? {}).map(([k, v]) => [k, fillText(String(v), secrets)]));
}

function fillText(text: string, secrets: Record<string, string>): string {
  return text.replace(/\$\{\{\s*secrets\.([A-Z0-9_]+)\s*\}\}/g, (_, name: string) => secrets[name] ?? '');
}

function bash(script: string, cwd: string, env: Record<string, string>) {
  return new Promise<{ code: number; stdout: string; stderr: string }>((resolve) => {
    execFile(
      'bash',
      ['-eo', 'pipefail', '-c', script],
      { cwd, env, timeout: 120_000 },
      (error, stdout, stderr) => {
        const code = error ? (typeof error.code === 'number' ? error.code : -1) : 0;
        resolve({ code, stdout, stderr });
      },
    );
  });
}
