import { VortexError } from '../../core/errors.ts';

/**
 * Cel.ro answered with a business error: `{"error": <non-zero>, "tokenStatus": 1, "message": …}`.
 * The message is kept verbatim (usually Romanian); not retryable: the same request fails the same way.
 */
export class CelroApiError extends VortexError {
  constructor(
    readonly route: string,
    readonly celroError: number,
    readonly celroMessage: unknown,
  ) {
    super('celro_api_error', `Cel.ro ${route} refused (error ${celroError}): ${typeof celroMessage === 'string' ? celroMessage : JSON.stringify(celroMessage)}`, {
      details: { route, error: celroError, message: celroMessage },
    });
  }
}

/**
 * The response is not the envelope: not JSON (a PHP warning page, a proxy error) or JSON without the
 * envelope fields. The raw text is kept (truncated) for diagnosis. Retryable: usually transient.
 */
export class CelroResponseError extends VortexError {
  constructor(
    readonly route: string,
    readonly httpStatus: number,
    readonly raw: string,
    reason: string,
  ) {
    super('celro_bad_response', `Cel.ro ${route}: ${reason} (HTTP ${httpStatus})`, { retryable: true, details: { route, httpStatus, raw: raw.slice(0, 4000) } });
  }
}
