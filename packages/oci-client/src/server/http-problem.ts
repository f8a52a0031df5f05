/**
 * distribution-spec error responses: `{"errors":[{"code","message","detail"}]}` with the status the
 * spec gives each code. Handlers throw `HttpProblem`; the server turns it (and library errors)
 * into a response.
 */
import type { ServerResponse } from 'node:http';
import { isProvisioningError } from '@provisioning/schemas';

export class HttpProblem extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly detail?: unknown,
    readonly headers: Record<string, string> = {},
  ) {
    super(message);
  }
}

/** Library error codes → spec error codes and statuses. */
const FROM_LIBRARY: Record<string, [number, string]> = {
  DIGEST_INVALID: [400, 'DIGEST_INVALID'],
  DIGEST_MISMATCH: [400, 'DIGEST_INVALID'],
  REPOSITORY_NAME_INVALID: [400, 'NAME_INVALID'],
  TAG_INVALID: [400, 'TAG_INVALID'],
  MANIFEST_INVALID: [400, 'MANIFEST_INVALID'],
  MANIFEST_TOO_LARGE: [413, 'MANIFEST_INVALID'],
  MANIFEST_NOT_FOUND: [404, 'MANIFEST_UNKNOWN'],
  BLOB_NOT_FOUND: [404, 'BLOB_UNKNOWN'],
  LAYOUT_NOT_FOUND: [404, 'NAME_UNKNOWN'],
  LAYOUT_LOCK_TIMEOUT: [503, 'UNAVAILABLE'],
};

export function toHttpProblem(error: unknown): HttpProblem {
  if (error instanceof HttpProblem) return error;
  if (isProvisioningError(error)) {
    const mapped = FROM_LIBRARY[error.code];
    if (mapped) return new HttpProblem(mapped[0], mapped[1], error.message);
  }
  return new HttpProblem(500, 'UNKNOWN', 'internal server error');
}

export function sendProblem(res: ServerResponse, problem: HttpProblem, head: boolean): void {
  if (res.headersSent) {
    res.destroy();
    return;
  }
  const body = JSON.stringify({
    errors: [
      {
        code: problem.code,
        message: problem.message,
        ...(problem.detail === undefined ? {} : { detail: problem.detail }),
      },
    ],
  });
  res.writeHead(problem.status, {
    ...problem.headers,
    'Content-Type': 'application/json',
    'Content-Length': Buffer.byteLength(body),
  });
  res.end(head ? undefined : body);
}
