import type { FastifyInstance } from 'fastify';
import { type Detail, regular, validationFailed } from '../errors.ts';
import type { SimState } from '../state.ts';
import { lexTime, uuid } from '../util.ts';
import { EVENT_TYPES } from '../webhooks.ts';
import { type ApiCtx, type Obj, actionResult, isObj, jsonBody, notFound, path } from './common.ts';

// Event subscriptions (webhooks), each visible only to the API key that made it.

export function registerEventSubscriptions(app: FastifyInstance, ctx: ApiCtx): void {
  const st = (): SimState => ctx.state();

  app.post('/v1/event-subscriptions', async (req, reply) => {
    const body = jsonBody(req);
    const b = isObj(body) ? body : {};
    const d: Detail[] = [];
    if (typeof b.eventType !== 'string') d.push({ violation: 'NOTNULL', field: 'eventType', message: 'darf nicht leer sein' });
    else if (!EVENT_TYPES.includes(b.eventType)) d.push({ violation: 'INVALID', field: 'eventType', message: 'unknown event type' });
    let url: URL | undefined;
    try {
      url = new URL(String(b.callbackUrl));
    } catch {
      d.push({ violation: 'INVALID', field: 'callbackUrl', message: 'must be a valid URL' });
    }
    if (url && url.protocol !== 'https:' && (ctx.behaviour.requireHttpsCallbacks || url.protocol !== 'http:')) {
      d.push({ violation: 'INVALID', field: 'callbackUrl', message: 'callback URL must use https with a valid certificate' });
    }
    if (d.length > 0) throw validationFailed(path(req), d);
    const key = ctx.keyOf(req);
    for (const s of st().subscriptions.values()) {
      if (s.apiKey === key && s.eventType === b.eventType && s.callbackUrl === b.callbackUrl) throw regular(409, path(req), 'subscription for this eventType and callbackUrl already exists');
    }
    const now = lexTime(ctx.now());
    const s = { subscriptionId: uuid(), organizationId: st().organizationId, createdDate: now, eventType: String(b.eventType), callbackUrl: String(b.callbackUrl), apiKey: key };
    st().subscriptions.set(s.subscriptionId, s);
    reply.code(201).header('location', `${ctx.baseUrl()}/v1/event-subscriptions/${s.subscriptionId}`);
    return actionResult(ctx, 'event-subscriptions', s.subscriptionId, now, now, 0);
  });
  const publicSub = (s: { subscriptionId: string; organizationId: string; createdDate: string; eventType: string; callbackUrl: string }): Obj => ({
    subscriptionId: s.subscriptionId,
    organizationId: s.organizationId,
    createdDate: s.createdDate,
    eventType: s.eventType,
    callbackUrl: s.callbackUrl,
  });
  app.get('/v1/event-subscriptions', async (req) => ({
    content: [...st().subscriptions.values()].filter((s) => s.apiKey === ctx.keyOf(req)).map(publicSub),
  }));
  app.get('/v1/event-subscriptions/:id', async (req) => {
    const s = st().subscriptions.get((req.params as { id: string }).id);
    if (!s || s.apiKey !== ctx.keyOf(req)) throw notFound(req);
    return publicSub(s);
  });
  app.delete('/v1/event-subscriptions/:id', async (req, reply) => {
    const id = (req.params as { id: string }).id;
    const s = st().subscriptions.get(id);
    if (!s || s.apiKey !== ctx.keyOf(req)) throw notFound(req);
    st().subscriptions.delete(id);
    return reply.code(204).send();
  });
}
