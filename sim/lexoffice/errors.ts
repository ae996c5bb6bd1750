import { randomBytes, randomUUID } from 'node:crypto';
import { lexTime } from './util.ts';

/**
 * The three error body shapes of the lexoffice API (research §1.5):
 *  - bare:    {"message": "Unauthorized"}                          gateway/auth errors, 429, 500, 504
 *  - legacy:  {"IssueList": [{i18nKey, source, type, additionalData, args}]}   contacts (and rejected query params)
 *  - regular: {timestamp, status, error, path, traceId, requestId, message[, details[]]}   every other endpoint
 * The service's own bodies (regular, and its 500) carry a `requestId` — what lexoffice support asks for;
 * `details` appears only on validation failures (406), never as an empty list. Gateway answers (401, 403,
 * 429, 504) stay bare `{message}`.
 */
export class SimHttpError extends Error {
  constructor(
    readonly status: number,
    readonly body: unknown,
  ) {
    super(`HTTP ${status}`);
  }
}

const REASONS: Record<number, string> = {
  400: 'Bad Request',
  401: 'Unauthorized',
  402: 'Payment Required',
  403: 'Forbidden',
  404: 'Not Found',
  405: 'Method Not Allowed',
  406: 'Not Acceptable',
  409: 'Conflict',
  415: 'Unsupported Media Type',
  429: 'Too Many Requests',
  500: 'Internal Server Error',
  504: 'Gateway Timeout',
};

export interface Issue {
  readonly i18nKey: string;
  readonly source: string;
  readonly type?: string;
}

export interface Detail {
  readonly violation: string;
  readonly field: string;
  readonly message: string;
}

export function bare(status: number, message: string | null): SimHttpError {
  return new SimHttpError(status, { message });
}

export function legacy(status: number, issues: readonly Issue[]): SimHttpError {
  return new SimHttpError(status, {
    IssueList: issues.map((i) => ({
      i18nKey: i.i18nKey,
      source: i.source,
      type: i.type ?? (status === 406 ? 'validation_failure' : status >= 500 ? 'technical_error' : 'bad_request'),
      additionalData: null,
      args: null,
    })),
  });
}

export function regular(status: number, path: string, message: string, details?: readonly Detail[]): SimHttpError {
  return new SimHttpError(status, {
    timestamp: lexTime(new Date()),
    status,
    error: REASONS[status] ?? 'Error',
    path,
    traceId: randomBytes(6).toString('hex'),
    requestId: randomUUID(),
    message,
    ...(details && details.length > 0 ? { details } : {}),
  });
}

export function validationFailed(path: string, details: readonly Detail[]): SimHttpError {
  return regular(406, path, 'Validation failed for request. Please see details list for specific causes.', details);
}

/** A 500 of the service: a message (never `{"message": null}`) and the requestId to quote to support. */
export function serverError(): SimHttpError {
  return new SimHttpError(500, { message: 'Internal server error or rate limit exceeded', requestId: randomUUID() });
}
