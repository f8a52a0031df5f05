/**
 * Errors as the contract's JSON body `{ error: { code, message, hint? } }` with the HTTP status of
 * their kind: bad input 400, not found 404, registry/network failures 502. Messages are one line.
 */
import { isProvisioningError, ProvisioningError } from '@provisioning/schemas';
import type { Context } from 'hono';
import type { ContentfulStatusCode } from 'hono/utils/http-status';
import type { z } from 'zod';

const NOT_FOUND = /(^|_)NOT_FOUND$/;

export function statusOf(code: string, kind: string | undefined): ContentfulStatusCode {
  if (code === 'API_UNAUTHORIZED') return 401;
  if (code === 'API_BODY_TOO_LARGE') return 413;
  if (NOT_FOUND.test(code) || code === 'NAME_UNKNOWN' || code === 'MANIFEST_UNKNOWN') return 404;
  if (kind === 'registry' || kind === 'network') return 502;
  if (kind === 'internal') return 500;
  return 400;
}

export function errorResponse(c: Context, error: unknown): Response {
  if (isProvisioningError(error) || isCodedError(error)) {
    const { code, kind, hint } = error as { code: string; kind?: string; hint?: string };
    const body = {
      error: {
        code,
        message: firstLine((error as Error).message),
        ...(hint ? { hint: firstLine(hint) } : {}),
      },
    };
    return c.json(body, statusOf(code, kind));
  }
  return c.json({ error: { code: 'INTERNAL', message: 'internal error' } }, 500);
}

/** A zod failure on `where` (query or body): the first issue's path and message. */
export function invalidRequest(where: 'query' | 'body', error: z.ZodError): ProvisioningError {
  const issue = error.issues[0]!;
  const path = [where, ...issue.path.map(String)].join('.');
  return new ProvisioningError('API_REQUEST_INVALID', `${path}: ${firstLine(issue.message)}`, {
    kind: 'usage',
    hint: 'GET /openapi.json describes every parameter',
  });
}

function isCodedError(error: unknown): boolean {
  return error instanceof Error && typeof (error as { code?: unknown }).code === 'string';
}

function firstLine(text: string): string {
  return text.split('\n')[0]!.slice(0, 500);
}
