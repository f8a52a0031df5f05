/**
 * A full disk, a read-only mount or a missing permission is the user's environment, not a bug: one
 * line naming the path and what to do, exit 1 (docs/architecture.md, "Error model"). Nothing is left
 * half-written by these failures (every write goes to a temp file first), so running the command
 * again once the cause is fixed is always safe.
 */
import type { ErrorCode } from './error-catalogue.js';
import { isProvisioningError, ProvisioningError } from './errors.js';

const FILE_SYSTEM_FAILURES: Record<string, { code: ErrorCode; what: string; hint: string }> = {
  ENOSPC: {
    code: 'DISK_FULL',
    what: 'no space left on the device holding',
    hint: 'free some space (the download cache, PROVISIONING_HOME/oci-cache, can be deleted safely), then run the command again',
  },
  EDQUOT: {
    code: 'DISK_FULL',
    what: 'disk quota exceeded on',
    hint: 'free some space or raise the quota, then run the command again',
  },
  EACCES: {
    code: 'PERMISSION_DENIED',
    what: 'permission denied on',
    hint: 'check the owner and mode of that path, or point PROVISIONING_HOME or --workspace somewhere writable',
  },
  EPERM: {
    code: 'PERMISSION_DENIED',
    what: 'operation not permitted on',
    hint: 'check the owner and mode of that path, or point PROVISIONING_HOME or --workspace somewhere writable',
  },
  EROFS: {
    code: 'READ_ONLY_FILE_SYSTEM',
    what: 'read-only file system at',
    hint: 'point PROVISIONING_HOME or --workspace at a writable location, or remount it read-write',
  },
};

/** The errno code of a Node.js system error (`ENOSPC`, …), looking through `cause` chains. */
function systemError(error: unknown): NodeJS.ErrnoException | undefined {
  let current: unknown = error;
  for (let depth = 0; depth < 5 && current instanceof Error; depth++) {
    const code = (current as NodeJS.ErrnoException).code;
    if (typeof code === 'string' && code in FILE_SYSTEM_FAILURES) return current as NodeJS.ErrnoException;
    current = current.cause;
  }
  return undefined;
}

/**
 * `error` as a `DISK_FULL` / `PERMISSION_DENIED` / `READ_ONLY_FILE_SYSTEM` error when it is one of
 * those system failures, else `error` unchanged. `where` names the path when the system error has
 * none (a write stream's `ENOSPC` carries only an fd).
 */
export function asFileSystemError(error: unknown, where?: string): unknown {
  if (isProvisioningError(error)) return error;
  const system = systemError(error);
  if (!system) return error;
  const failure = FILE_SYSTEM_FAILURES[system.code as string] as (typeof FILE_SYSTEM_FAILURES)[string];
  const path = system.path ?? where;
  return new ProvisioningError(
    failure.code,
    path ? `${failure.what} ${path}` : `${failure.what} a file this command writes (${system.code})`,
    {
      kind: 'input',
      hint: failure.hint,
      cause: error,
      details: { errno: system.code, ...(path ? { path } : {}) },
    },
  );
}
