/**
 * The panel's API client: openapi-fetch over the types generated from Vortex's OpenAPI description
 * (schema.d.ts, `npm run gen:api`), so every path, parameter, body and answer is checked by the compiler.
 * Same-origin requests with the session cookie; the CSRF token on every state-changing request; one error
 * type carrying the API's `{ error: { code, message, issues? } }` (issues name the field or JSON path).
 */
import createClient from 'openapi-fetch';
import type { paths } from './schema';

export type { paths };

export interface Issue {
  readonly path: string;
  readonly message: string;
}

export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly issues: readonly Issue[] = [],
  ) {
    super(message);
  }
}

let csrfToken: string | null = null;
let onUnauthorized: (() => void) | null = null;

export function setCsrfToken(token: string | null): void {
  csrfToken = token;
}

/** Called when the API answers 401 (the session ended): the app shows the login page. */
export function setUnauthorizedHandler(fn: (() => void) | null): void {
  onUnauthorized = fn;
}

export const client = createClient<paths>({ baseUrl: '', credentials: 'same-origin' });
client.use({
  onRequest({ request }) {
    if (request.method !== 'GET' && request.method !== 'HEAD' && csrfToken) request.headers.set('x-csrf-token', csrfToken);
    return request;
  },
});

interface Answer<T> {
  readonly data?: T;
  readonly error?: unknown;
  readonly response: Response;
}

/**
 * The data of a successful answer, or an ApiError in plain words. A 401 ends the session in the panel
 * (unless `quiet401`: the login form and the session probe handle it themselves).
 */
export async function call<T>(pending: Promise<Answer<T>>, opts: { quiet401?: boolean } = {}): Promise<NonNullable<T>> {
  let r: Answer<T>;
  try {
    r = await pending;
  } catch (e) {
    throw new ApiError(0, 'network', `Vortex cannot be reached (${(e as Error).message})`);
  }
  if (r.response.ok) return r.data as NonNullable<T>;
  const err = (r.error as { error?: { code?: string; message?: string; issues?: Issue[] } } | undefined)?.error;
  if (r.response.status === 401 && !opts.quiet401) onUnauthorized?.();
  const retry = r.response.headers.get('retry-after');
  const message = err?.message ?? (r.response.status === 429 && retry ? `too many attempts; try again in ${retry} s` : `${r.response.status} ${r.response.statusText}`);
  throw new ApiError(r.response.status, err?.code ?? String(r.response.status), message, err?.issues ?? []);
}

/** Path parameters of a tenant route. */
export const tenantPath = (id: string) => ({ params: { path: { id } } });

/** A file's text as the request body with its own content type (CSV or JSON stock files). */
export function rawBody(text: string, contentType: string) {
  return { body: text as never, bodySerializer: (b: unknown) => b as string, headers: { 'content-type': contentType } };
}

