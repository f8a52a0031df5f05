/**
 * Human output of script runs: each line of a script prefixed with its module's name (stdout to
 * stdout, stderr to stderr), a heading before each script, a line for each module not run again.
 */
import type { ModuleRef, ScriptOutput } from '@provisioning/workspace';

export interface ScriptPrinter {
  onScript(module: ModuleRef, script: string): void;
  onSkip(module: ModuleRef, reason: string): void;
  onOutput(line: ScriptOutput): void;
}

export function scriptPrinter(log: (line: string) => void): ScriptPrinter {
  return {
    onScript: (module, script) => log(`==> ${module.type} ${module.name} ${module.version}: ${script}`),
    onSkip: (module, reason) =>
      log(`==> ${module.type} ${module.name} ${module.version}: ${reason}, not run again`),
    onOutput: ({ module, stream, line }) => {
      if (stream === 'stdout') log(`${module} | ${line}`);
      else process.stderr.write(`${module} | ${line}\n`);
    },
  };
}
