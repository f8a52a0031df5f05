import { currentToken } from './token';

// Thin fetch wrapper for the /api/v1 contract: sends the bearer token, turns the `{ error }` envelope
// into an ApiError whose message is the server's one line (plus hint).
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

export async function apiRequest<T>(path: string, init: RequestInit = {}): Promise<T> {
  const headers = new Headers(init.headers);
  const token = currentToken();
  if (token) headers.set('Authorization', `Bearer ${token}`);
  if (init.body) headers.set('Content-Type', 'application/json');
  const res = await fetch(path, { ...init, headers });
  const text = await res.text();
  let body: unknown = null;
  try {
    body = text ? JSON.parse(text) : null;
  } catch {
    throw new ApiError(res.status, 'BAD_RESPONSE', `${path}: HTTP ${res.status}, not JSON`);
  }
  if (!res.ok) {
    const err = (body as { error?: { code?: string; message?: string; hint?: string } } | null)?.error;
    const message = err?.message ?? `HTTP ${res.status}`;
    throw new ApiError(
      res.status,
      err?.code ?? 'HTTP_ERROR',
      err?.hint ? `${message} (${err.hint})` : message,
    );
  }
  return body as T;
}

export function query(params: Record<string, string | undefined>): string {
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) if (v) q.set(k, v);
  const s = q.toString();
  return s ? `?${s}` : '';
}
