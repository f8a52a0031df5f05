/** What `oci copy SRC... DST` and `oci pull REF...` share: the --jobs flag and the failure report. */
import { Flags } from '@oclif/core';
import type { ErrorCode } from '@provisioning/schemas';
import type { BulkFailure } from '@provisioning/workspace';

export function jobsFlag(what: string) {
  return Flags.integer({
    char: 'j',
    summary: `${what} at once when there are several.`,
    default: 8,
    min: 1,
    max: 64,
  });
}

/**
 * One stderr line per failed item (unless --json), then the run's one error: the others are done.
 * Returns when nothing failed.
 */
export async function failIfAny(
  failures: BulkFailure[],
  report: {
    total: number;
    code: ErrorCode;
    verb: string;
    /** What the items that worked were ("copied"): the hint says so only when some did. */
    done: string;
    hint: string;
    log?: (line: string) => void;
  },
): Promise<void> {
  if (failures.length === 0) return;
  const { bulkError, messageOf } = await import('@provisioning/workspace');
  for (const failure of failures) report.log?.(`failed ${failure.item}: ${messageOf(failure.error)}`);
  throw bulkError(report.code, report.verb, failures, report.total, report.hint, report.done);
}
