/**
 * The one error a bulk command (`oci copy A B DST`, `oci pull A B`) ends with when some items
 * failed: it names the first failure, keeps its kind (so a network failure still exits 3) and
 * lists every failure in `details`. The items that worked are done and stay done.
 */
import { type ErrorCode, isProvisioningError, ProvisioningError } from '@provisioning/schemas';

export interface BulkFailure {
  /** What the user named: the source reference. */
  item: string;
  error: unknown;
}

/**
 * `hint` is what to do next; with `done` (the items' past participle, e.g. "copied") it starts with
 * "the others were DONE; " when some items did work, and says nothing of others when none did.
 */
export function bulkError(
  code: ErrorCode,
  verb: string,
  failures: readonly BulkFailure[],
  total: number,
  hint: string,
  done?: string,
): ProvisioningError {
  const first = failures[0];
  const firstError = first?.error;
  const kind = isProvisioningError(firstError) ? firstError.kind : 'internal';
  return new ProvisioningError(
    code,
    `${failures.length} of ${total} ${verb} failed; first: ${first?.item}: ${messageOf(firstError)}`,
    {
      kind,
      hint: done !== undefined && failures.length < total ? `the others were ${done}; ${hint}` : hint,
      details: {
        failed: failures.map((f) => ({
          item: f.item,
          code: isProvisioningError(f.error) ? f.error.code : 'INTERNAL',
          message: messageOf(f.error),
        })),
      },
      ...(firstError instanceof Error ? { cause: firstError } : {}),
    },
  );
}

export function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
