import { Errors } from '@oclif/core';
import { isProvisioningError, type ProvisioningError } from '@provisioning/schemas';
import { redactSecrets, redactValue } from './redact.js';

/** What the CLI prints for a failed command: stderr lines, the `--json` body and the exit status. */
export interface DescribedError {
  /** Lines for stderr, without trailing newlines. */
  lines: string[];
  /** Body printed on stdout with `--json`: `{"error": {code, message, hint, …details}}`. */
  json: { error: Record<string, unknown> };
  exitCode: number;
}

export interface DescribeOptions {
  /** Append stack traces (and causes). Only with `--debug` or `DEBUG`. */
  debug: boolean;
  /** How to get help for the failing command, e.g. `provisioning oci config --help`. */
  helpCommand: string;
}

/** True for errors oclif's parser raises: unknown flag, missing argument, bad option value. */
export function isUsageError(err: unknown): err is Errors.CLIError {
  return err instanceof Errors.CLIError && 'parse' in err;
}

/** oclif's message for an id that matches no command. */
function isCommandNotFound(err: unknown): err is Errors.CLIError {
  return err instanceof Errors.CLIError && /^command .+ not found$/.test(err.message);
}

export function describeError(err: unknown, options: DescribeOptions): DescribedError {
  const described = classify(err, options);
  if (options.debug) described.lines.push(...debugLines(err));
  return {
    lines: described.lines.map(redactSecrets),
    json: redactValue(described.json) as DescribedError['json'],
    exitCode: described.exitCode,
  };
}

/**
 * `instanceof`, or the same shape from another copy of @provisioning/schemas (a library user may
 * bundle their own): such errors are still expected failures, not bugs.
 */
function looksLikeProvisioningError(err: unknown): err is ProvisioningError {
  if (isProvisioningError(err)) return true;
  if (!(err instanceof Error)) return false;
  const e = err as Partial<ProvisioningError>;
  return (
    typeof e.code === 'string' &&
    typeof e.kind === 'string' &&
    typeof e.exitCode === 'number' &&
    typeof e.toJSON === 'function'
  );
}

function classify(err: unknown, { helpCommand }: DescribeOptions): DescribedError {
  if (looksLikeProvisioningError(err)) {
    const lines = messageLines(err.message);
    if (err.hint) lines.push(`  hint: ${err.hint}`);
    const problems = (err as { problems?: unknown }).problems;
    const json = { ...err.toJSON(), ...(Array.isArray(problems) ? { problems } : {}) };
    return { lines, json: { error: json }, exitCode: err.exitCode };
  }
  if (isUsageError(err) || isCommandNotFound(err)) {
    // oclif appends "See more help with --help"; we give our own hint instead.
    // oclif names unknown commands by internal id (`oci:config:extra`); show them as typed.
    const message = firstLine(err.message).replace(
      /^command (.+) not found$/,
      (_, id: string) => `command "${id.replaceAll(':', ' ')}" not found`,
    );
    const hint = `run "${helpCommand}" for usage`;
    return {
      lines: [`error: ${message}`, `  hint: ${hint}`],
      json: { error: { code: 'USAGE_INVALID', kind: 'usage', message, hint } },
      exitCode: 2,
    };
  }
  if (err instanceof Errors.CLIError) {
    // Raised on purpose through `this.error()`: a user-facing message, not a bug.
    const exitCode = typeof err.oclif?.exit === 'number' ? err.oclif.exit : 1;
    const lines = messageLines(err.message);
    return {
      lines,
      json: { error: { code: 'COMMAND_FAILED', kind: 'input', message: err.message } },
      exitCode,
    };
  }
  const message = err instanceof Error ? err.message || err.name : String(err);
  const hint = 're-run with --debug for details';
  return {
    lines: [`error: internal error: ${firstLine(message)}`, `  hint: ${hint}`],
    json: { error: { code: 'INTERNAL', kind: 'internal', message, hint } },
    exitCode: 1,
  };
}

function messageLines(message: string): string[] {
  const [first = '', ...rest] = message.split('\n');
  return [`error: ${first}`, ...rest];
}

function firstLine(message: string): string {
  return message.split('\n')[0] ?? '';
}

/** Stack of the error and of each `cause`, for `--debug`. */
function debugLines(err: unknown): string[] {
  const lines: string[] = [];
  let current: unknown = err;
  for (let depth = 0; current instanceof Error && depth < 5; depth++) {
    lines.push(...(depth === 0 ? ['', 'debug:'] : ['caused by:']), ...(current.stack ?? '').split('\n'));
    current = current.cause;
  }
  return lines;
}
