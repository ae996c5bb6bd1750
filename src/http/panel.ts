import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import fastifyStatic from '@fastify/static';
import type { FastifyInstance, FastifyReply } from 'fastify';
import type { RouteModule } from './server.ts';

/** Where `npm run build:panel` (scripts/build-panel.mjs) writes the SPA (two levels up: true from src/http/ and dist/cli/). */
export const PANEL_DIST = fileURLToPath(new URL('../../panel/dist', import.meta.url));

/** Paths that belong to the server, never to the SPA: an unknown one is a JSON 404, not index.html. */
const SERVER_PATHS = /^\/(api|webhooks|metrics|healthz|readyz)(\/|$)/;

/**
 * The panel (docs: README "Panel"): no inline scripts, never framed, no referrer. Mantine and the charts
 * set style attributes and one <style> element for their CSS variables, hence 'unsafe-inline' for styles only.
 */
const SECURITY_HEADERS: Record<string, string> = {
  'content-security-policy': "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; font-src 'self' data:; connect-src 'self'; object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'",
  'x-frame-options': 'DENY',
  'referrer-policy': 'no-referrer',
  'x-content-type-options': 'nosniff',
  'cross-origin-opener-policy': 'same-origin',
};

const NOT_BUILT = `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Vortex</title></head>
<body style="font-family: sans-serif; max-width: 40em; margin: 4em auto">
<h1>Vortex is running</h1>
<p>The panel has not been built yet. Build it with <code>npm run build:panel</code> (or start Vortex with
<code>npm start</code>, which builds it when needed), then reload this page.</p>
<p>The REST API is under <code>/api</code>.</p>
</body></html>`;

/**
 * The vendor panel: the built SPA from panel/dist at `/`, with index.html for every client-side route
 * (not for the API, webhooks, metrics or health paths). Without a build, `/` says how to make one.
 */
export function panelModule(opts: { distDir?: string } = {}): RouteModule {
  const dist = path.resolve(opts.distDir ?? PANEL_DIST);
  return async (app: FastifyInstance): Promise<void> => {
    await app.register(async (panel) => {
      await panel.register(fastifyStatic, { root: dist, serve: false, suppressWarning: true });
      panel.addHook('onSend', async (_req, reply, payload) => {
        for (const [k, v] of Object.entries(SECURITY_HEADERS)) reply.header(k, v);
        return payload;
      });

      const handler = async (req: { url: string; params: unknown }, reply: FastifyReply) => {
        const urlPath = req.url.split('?')[0] ?? '/';
        if (SERVER_PATHS.test(urlPath)) return reply.code(404).send({ error: { code: 'not_found', message: `no route GET ${urlPath.slice(0, 200)}` } });
        const wanted = String((req.params as { '*'?: string })['*'] ?? '');
        const file = wanted.includes('\0') ? undefined : path.resolve(dist, `./${wanted}`);
        if (file && file.startsWith(dist + path.sep) && isFile(file)) {
          const rel = path.relative(dist, file);
          const immutable = rel.startsWith(`assets${path.sep}`);
          return reply.sendFile(rel, { maxAge: immutable ? '365d' : 0, immutable, cacheControl: true });
        }
        // A missing asset (anything with an extension) is a 404, a client-side route is the SPA.
        if (/\.[A-Za-z0-9]{1,8}$/.test(wanted)) return reply.code(404).send({ error: { code: 'not_found', message: `no file ${urlPath.slice(0, 200)}` } });
        if (!isFile(path.join(dist, 'index.html'))) return reply.code(200).type('text/html; charset=utf-8').header('cache-control', 'no-store').send(NOT_BUILT);
        return reply.header('cache-control', 'no-cache').sendFile('index.html', { cacheControl: false });
      };
      panel.get('/', handler);
      panel.get('/*', handler);
    });
  };
}

function isFile(p: string): boolean {
  try {
    return fs.statSync(p).isFile();
  } catch {
    return false;
  }
}
