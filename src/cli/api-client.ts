import { VortexError } from '../core/errors.ts';
import { readLocalToken } from '../auth/local-token.ts';
import type { Config } from '../platform/config.ts';

/**
 * How CLI commands talk to a running Vortex: its REST API, with the API token when one is set. Every
 * failure becomes one readable line: not running, refused (with the server's message), bad answer.
 */
export function apiClient(config: Config, url?: string) {
  const base = (url ?? `http://127.0.0.1:${config.http.port}`).replace(/\/+$/, '');
  // VORTEX_API_TOKEN, or the token the local web process wrote into the data directory.
  const token = config.apiToken ?? readLocalToken(config.store.dataDir);
  return async <T>(method: 'GET' | 'POST' | 'PUT', path: string, body?: unknown): Promise<T> => {
    let res: Response;
    try {
      res = await fetch(`${base}${path}`, {
        method,
        headers: { ...(body === undefined ? {} : { 'content-type': 'application/json' }), ...(token ? { authorization: `Bearer ${token}` } : {}) },
        ...(body === undefined ? {} : { body: JSON.stringify(body) }),
        signal: AbortSignal.timeout(30_000),
      });
    } catch (e) {
      const cause = (e as { cause?: { code?: string } }).cause?.code ?? (e as Error).message;
      throw new VortexError('not_running', `Vortex is not running at ${base} (${cause}): start it with \`npm start\` or \`vortex start\`, or pass --url`);
    }
    const json = (await res.json().catch(() => undefined)) as { error?: { message?: string } } | undefined;
    if (!res.ok) throw new VortexError('api_refused', `${method} ${path} refused (${res.status}): ${json?.error?.message ?? 'no details'}`);
    if (json === undefined) throw new VortexError('api_refused', `${method} ${path}: the answer is not JSON`);
    return json as T;
  };
}
