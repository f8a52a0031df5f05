import { Errors, flush, run } from '@oclif/core';
import { describeError } from './errors/describe-error.js';

/**
 * Entry point used by `bin/run.js`. Like oclif's `execute`, but errors that escape a command
 * (unknown command, failures before a command starts) are rendered in our one-line format instead
 * of oclif's boxes and stacks, and the exit status is set without cutting stdout short.
 */
export async function main(argv: string[], root: string): Promise<void> {
  try {
    await run(argv, root);
    await flush();
  } catch (err) {
    if (err instanceof Errors.ExitError) {
      process.exitCode = err.oclif.exit ?? 1;
      return;
    }
    const debug = argv.includes('--debug') || Boolean(process.env.DEBUG);
    const described = describeError(err, { debug, helpCommand: 'provisioning --help' });
    if (argv.includes('--json')) process.stdout.write(`${JSON.stringify(described.json, null, 2)}\n`);
    process.stderr.write(`${described.lines.join('\n')}\n`);
    process.exitCode = described.exitCode;
  }
}
