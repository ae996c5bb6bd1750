import { timingSafeEqual } from 'node:crypto';
import type { FastifyReply, FastifyRequest } from 'fastify';

/**
 * API authentication. With VORTEX_API_TOKEN set, every /api request needs `Authorization: Bearer
 * <token>`. Without it, only clients on this machine (loopback) are served — the embedded default, so
 * `npm start` and the CLI work out of the box while nothing is exposed to the network unauthenticated.
 */
export function apiAuth(token: string | undefined) {
  return async (req: FastifyRequest, reply: FastifyReply): Promise<void> => {
    if (token) {
      const given = /^Bearer (.+)$/.exec(req.headers.authorization ?? '')?.[1] ?? '';
      const a = Buffer.from(given);
      const b = Buffer.from(token);
      if (a.length !== b.length || !timingSafeEqual(a, b)) {
        await reply.code(401).send({ error: { code: 'auth_failed', message: 'missing or wrong API token (Authorization: Bearer …)' } });
      }
      return;
    }
    if (!isLoopback(req.socket.remoteAddress)) {
      await reply.code(401).send({ error: { code: 'auth_failed', message: 'set VORTEX_API_TOKEN to use the API from another machine' } });
    }
  };
}

function isLoopback(addr: string | undefined): boolean {
  return addr === undefined || addr === '127.0.0.1' || addr === '::1' || addr === '::ffff:127.0.0.1' || addr.startsWith('127.');
}
