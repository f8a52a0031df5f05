/**
 * Runs one script of one module (docs/extension-guide.md, "The script contract"): writes the
 * module's values to `settings.yaml` and its rendered templates to `rendered/` in a private work
 * directory, then runs `nu scripts/<script>.nu` with the arguments of that script, the documented
 * environment and a timeout. A non-zero exit, a signal or the timeout is an error naming the
 * module, the script and the exit code.
 */
import { access, mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { type OutputLine, runNu, scriptEnvironment } from '@provisioning/packager';
import { type ExtensionType, ProvisioningError } from '@provisioning/schemas';
import { stringify } from 'yaml';
import type { PreparedModule } from '../preview/prepare-module.js';

export type ScriptKind = 'install' | 'check' | 'uninstall';

export interface ModuleRef {
  name: string;
  type: ExtensionType;
  version: string;
}

/** One line of a script's output, with the module it came from. */
export interface ScriptOutput extends OutputLine {
  module: string;
  script: string;
}

export interface ScriptRun {
  module: string;
  type: ExtensionType;
  version: string;
  /** `scripts/install.nu` … */
  script: string;
  /** False when the module ships no such script (nothing ran). */
  ran: boolean;
  exit_code: number | null;
  duration_ms: number;
  output: OutputLine[];
  /** Output past the kept size was only streamed. */
  truncated?: boolean;
}

export interface RunScriptOptions {
  nu: string;
  kind: ScriptKind;
  module: ModuleRef;
  prepared: PreparedModule;
  /** A private directory for `settings.yaml` and `rendered/`. */
  workDir: string;
  workspaceRoot: string;
  infra: string;
  /** Check mode: `--check` is passed to install.nu and uninstall.nu. */
  check: boolean;
  timeoutMs: number;
  env?: NodeJS.ProcessEnv;
  onOutput?: (line: ScriptOutput) => void;
}

export async function runModuleScript(options: RunScriptOptions): Promise<ScriptRun> {
  const { module, prepared, kind } = options;
  const script = `scripts/${kind}.nu`;
  const scriptPath = join(prepared.dir, 'scripts', `${kind}.nu`);
  const base = { module: module.name, type: module.type, version: module.version, script };
  if (!(await exists(scriptPath)))
    return { ...base, ran: false, exit_code: null, duration_ms: 0, output: [] };

  const settingsFile = join(options.workDir, 'settings.yaml');
  const renderedDir = join(options.workDir, 'rendered');
  // values may hold secrets (a password the template needs): readable by this user only
  await writeFile(settingsFile, stringify(prepared.values, { lineWidth: 0 }), { mode: 0o600 });
  await mkdir(renderedDir, { recursive: true, mode: 0o700 });
  for (const file of prepared.rendered) {
    await writeFile(join(renderedDir, file.template.replace(/\.j2$/, '')), file.output, { mode: 0o600 });
  }

  const args = ['--settings', settingsFile];
  if (kind === 'install') args.push('--rendered', renderedDir);
  if (options.check && kind !== 'check') args.push('--check');
  const env = scriptEnvironment(options.env ?? process.env, {
    MODULE: module.name,
    MODULE_TYPE: module.type,
    MODULE_VERSION: module.version,
    MODULE_DIR: prepared.dir,
    SCRIPT: kind,
    INFRA: options.infra,
    WORKSPACE: options.workspaceRoot,
    CHECK: options.check ? '1' : '0',
  });
  let result: Awaited<ReturnType<typeof runNu>>;
  try {
    result = await runNu({
      nu: options.nu,
      script: scriptPath,
      args,
      cwd: prepared.dir,
      env,
      timeoutMs: options.timeoutMs,
      onLine: (line) => options.onOutput?.({ ...line, module: module.name, script }),
    });
  } catch (error) {
    throw new ProvisioningError(
      'SCRIPT_FAILED',
      `${module.type} ${module.name}: ${script} could not be started: ${(error as Error).message}`,
      {
        kind: 'input',
        hint: 'check that PROVISIONING_NU (or the nushell package) gives a working nu binary',
        details: { module: module.name, script },
        cause: error,
      },
    );
  }
  const run: ScriptRun = {
    ...base,
    ran: true,
    exit_code: result.exitCode,
    duration_ms: result.durationMs,
    output: result.output,
    ...(result.truncated ? { truncated: true } : {}),
  };
  if (result.timedOut) {
    throw new ProvisioningError(
      'SCRIPT_TIMEOUT',
      `${module.type} ${module.name}: ${script} ran longer than ${formatMs(options.timeoutMs)} and was stopped`,
      {
        kind: 'input',
        hint: 'raise --timeout, or find out what the script waits for (its output is above)',
        details: { module: module.name, script, timeoutMs: options.timeoutMs, run },
      },
    );
  }
  if (result.exitCode !== 0) {
    const how = result.signal ? `was killed by ${result.signal}` : `failed with exit code ${result.exitCode}`;
    const reason = nuErrorMessage(result.output);
    throw new ProvisioningError(
      'SCRIPT_FAILED',
      `${module.type} ${module.name}: ${script} ${how}${reason ? `: ${reason}` : ''}`,
      {
        kind: 'input',
        hint: `the script's output is above, prefixed with "${module.name} |"; fix the cause and run the command again`,
        details: { module: module.name, script, exitCode: result.exitCode, run },
      },
    );
  }
  return run;
}

/** The first `x message` line of Nushell's error report on stderr. */
function nuErrorMessage(output: OutputLine[]): string | undefined {
  for (const { stream, line } of output) {
    if (stream !== 'stderr') continue;
    const match = /^\s+[x×] (.+)$/.exec(line);
    if (match) return match[1]!.trim();
  }
  return undefined;
}

function formatMs(ms: number): string {
  if (ms % 60_000 === 0) return `${ms / 60_000}m`;
  if (ms % 1000 === 0) return `${ms / 1000}s`;
  return `${ms}ms`;
}

async function exists(path: string): Promise<boolean> {
  try {
    await access(path);
    return true;
  } catch {
    return false;
  }
}
