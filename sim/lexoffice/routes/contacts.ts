import type { FastifyInstance } from 'fastify';
import { filterContacts, validateContact } from '../contacts.ts';
import { legacy, regular } from '../errors.ts';
import { pageOf, pageParams } from '../paging.ts';
import type { Contact, SimState } from '../state.ts';
import { lexTime, uuid } from '../util.ts';
import { type ApiCtx, type Obj, type Q, actionResult, isObj, jsonBody, notFound, path, sendCreated } from './common.ts';

// Contacts (legacy IssueList error shape): list, read, create and the whole-record PUT.

export function registerContacts(app: FastifyInstance, ctx: ApiCtx): void {
  const st = (): SimState => ctx.state();

  app.get('/v1/contacts', async (req) => {
    const q = req.query as Q;
    const all = filterContacts(st(), { email: q.email, name: q.name, number: q.number, customer: q.customer, vendor: q.vendor });
    // Measured live: 500 accepted (the docs table says 250), 1000 refused with this message.
    if (Number(q.size) > 500) throw regular(400, path(req), "parameter 'size' exceeds the limit");
    const { page, size } = pageParams(q, 500);
    return pageOf(all.map(publicContact), page, size, { property: 'name', direction: 'ASC' });
  });
  app.get('/v1/contacts/:id', async (req) => {
    const c = st().contacts.get((req.params as { id: string }).id);
    if (!c) throw notFound(req);
    return publicContact(c);
  });
  app.post('/v1/contacts', async (req, reply) => {
    const body = jsonBody(req);
    if (!isObj(body) || body.version !== 0) throw legacy(406, [{ source: 'version', i18nKey: 'missing_entity' }]);
    const fields = validateContact(body, st());
    const roles = body.roles as Obj;
    const now = lexTime(ctx.now());
    const c: Contact = {
      id: uuid(),
      organizationId: st().organizationId,
      version: 1,
      roles: {
        ...(isObj(roles.customer) ? { customer: { number: ++st().counters.customer } } : {}),
        ...(isObj(roles.vendor) ? { vendor: { number: ++st().counters.vendor } } : {}),
      },
      ...fields,
      archived: false,
      createdDate: now,
      updatedDate: now,
    };
    st().contacts.set(c.id, c);
    ctx.emit('contact.created', c.id);
    return sendCreated(ctx, reply, actionResult(ctx, 'contacts', c.id, now, now, c.version));
  });
  app.put('/v1/contacts/:id', async (req) => {
    const c = st().contacts.get((req.params as { id: string }).id);
    if (!c) throw notFound(req);
    const body = jsonBody(req);
    const v = isObj(body) ? body.version : undefined;
    if (typeof v !== 'number') throw legacy(406, [{ source: 'version', i18nKey: 'missing_entity' }]);
    if (v !== c.version) {
      if (ctx.behaviour.contactVersionConflict === 409) throw regular(409, path(req), 'an outdated version field send with PUT');
      throw legacy(406, [{ source: 'version', i18nKey: 'invalid_value' }]);
    }
    const fields = validateContact(body, st());
    // PUT replaces the whole record: fields left out are emptied; roles keep their numbers.
    const keep = new Set(['id', 'organizationId', 'version', 'roles', 'archived', 'createdDate', 'updatedDate']);
    for (const k of Object.keys(c)) if (!keep.has(k)) delete (c as Obj)[k];
    const roles = (body as Obj).roles as Obj;
    c.roles = {
      ...(isObj(roles.customer) ? { customer: c.roles.customer ?? { number: ++st().counters.customer } } : {}),
      ...(isObj(roles.vendor) ? { vendor: c.roles.vendor ?? { number: ++st().counters.vendor } } : {}),
    };
    Object.assign(c, fields, { version: c.version + 1, updatedDate: lexTime(ctx.now()) });
    ctx.emit('contact.changed', c.id);
    return actionResult(ctx, 'contacts', c.id, String(c.createdDate), String(c.updatedDate), c.version);
  });
}

/** Contacts carry no created/updated dates in the documented field list; the simulator keeps them for action results only. */
function publicContact(c: Contact): Obj {
  const { createdDate: _c, updatedDate: _u, ...rest } = c as Obj;
  return rest;
}
