import type { FastifyInstance } from 'fastify';
import { type Detail, legacy, regular, validationFailed } from '../errors.ts';
import { pageOf, pageParams } from '../paging.ts';
import type { Article, SimState } from '../state.ts';
import { dec, decimals, lexTime, num, uuid, validGtin } from '../util.ts';
import { type ApiCtx, type Q, actionResult, isObj, jsonBody, notFound, path, sendCreated, singleFilter } from './common.ts';

// Articles: list with filters, read, create, update with optimistic locking, delete; the body rules.

export function registerArticles(app: FastifyInstance, ctx: ApiCtx): void {
  const st = (): SimState => ctx.state();

  app.get('/v1/articles', async (req) => {
    const q = req.query as Q;
    const articleNumber = singleFilter(q, 'articleNumber', req);
    const gtin = singleFilter(q, 'gtin', req);
    const type = singleFilter(q, 'type', req);
    if (type !== undefined && type !== 'PRODUCT' && type !== 'SERVICE') throw legacy(400, [{ source: 'type', i18nKey: 'invalid_value' }]);
    const size = Number(q.size);
    if (q.size !== undefined && Number.isInteger(size) && size < ctx.behaviour.articlesMinSize) {
      throw regular(400, path(req), `parameter 'size' must be equal or greater than ${ctx.behaviour.articlesMinSize}`);
    }
    const { page, size: pageSize } = pageParams(q, 250);
    const all = [...st().articles.values()]
      .filter((a) => (articleNumber === undefined || a.articleNumber === articleNumber) && (gtin === undefined || a.gtin === gtin) && (type === undefined || a.type === type))
      .sort((a, b) => String(a.title ?? '').localeCompare(String(b.title ?? '')) || a.id.localeCompare(b.id)); // raw rows (/_sim/articles/raw) may lack a title
    return pageOf(all, page, pageSize, { property: 'title', direction: 'ASC' });
  });
  app.get('/v1/articles/:id', async (req) => {
    const a = st().articles.get((req.params as { id: string }).id);
    if (!a) throw notFound(req);
    return a;
  });
  app.post('/v1/articles', async (req, reply) => {
    const body = jsonBody(req);
    const fields = validateArticle(body, st(), path(req), undefined);
    const now = lexTime(ctx.now());
    const a: Article = { id: uuid(), organizationId: st().organizationId, createdDate: now, updatedDate: now, archived: false, ...fields, version: 0 };
    st().articles.set(a.id, a);
    ctx.emit('article.created', a.id);
    return sendCreated(ctx, reply, actionResult(ctx, 'articles', a.id, a.createdDate, a.updatedDate, a.version));
  });
  app.put('/v1/articles/:id', async (req) => {
    const a = st().articles.get((req.params as { id: string }).id);
    if (!a) throw notFound(req);
    const body = jsonBody(req);
    const v = isObj(body) ? body.version : undefined;
    if (typeof v !== 'number') throw validationFailed(path(req), [{ violation: 'NOTNULL', field: 'version', message: 'darf nicht leer sein' }]);
    if (v !== a.version) throw regular(409, path(req), 'an outdated version field send with PUT');
    const fields = validateArticle(body, st(), path(req), a.id);
    Object.assign(a, fields, { updatedDate: lexTime(ctx.now()), version: a.version + 1 });
    ctx.emit('article.changed', a.id);
    return actionResult(ctx, 'articles', a.id, a.createdDate, a.updatedDate, a.version);
  });
  app.delete('/v1/articles/:id', async (req, reply) => {
    const id = (req.params as { id: string }).id;
    if (!st().articles.delete(id)) throw notFound(req);
    ctx.emit('article.deleted', id);
    return reply.code(204).send();
  });
}

/** Article body rules (research §2.2): 406 regular shape with `details`. */
export function validateArticle(body: unknown, state: SimState, p: string, selfId: string | undefined): Omit<Article, 'id' | 'organizationId' | 'createdDate' | 'updatedDate' | 'archived' | 'version'> {
  const d: Detail[] = [];
  const bad = (field: string, violation: string, message: string): void => void d.push({ field, violation, message });
  const b = isObj(body) ? body : {};
  if (typeof b.title !== 'string' || b.title.trim() === '') bad('title', 'NOTNULL', 'darf nicht leer sein');
  if (b.type !== 'PRODUCT' && b.type !== 'SERVICE') bad('type', b.type === undefined ? 'NOTNULL' : 'INVALID', 'must be PRODUCT or SERVICE');
  if (typeof b.unitName !== 'string' || b.unitName === '') bad('unitName', 'NOTNULL', 'darf nicht leer sein');
  if (b.gtin !== undefined && b.gtin !== null && (typeof b.gtin !== 'string' || !validGtin(b.gtin))) bad('gtin', 'VALIDGTIN', 'not a valid GTIN-8, -12, -13 or -14');
  if (typeof b.articleNumber === 'string') {
    for (const a of state.articles.values()) if (a.articleNumber === b.articleNumber && a.id !== selfId) bad('materialNumber', 'MATERIAL_NUMBER_ALREADY_EXISTS', 'article number already exists');
  }
  const pr = isObj(b.price) ? b.price : undefined;
  let price: Article['price'] | undefined;
  if (!pr) bad('price', 'NOTNULL', 'darf nicht leer sein');
  else {
    const lead = pr.leadingPrice;
    const rate = pr.taxRate;
    if (lead !== 'NET' && lead !== 'GROSS') bad('price.leadingPrice', 'NOTNULL', 'must be NET or GROSS');
    if (typeof rate !== 'number' || ![0, 7, 19].includes(rate)) bad('price.taxRate', 'INVALID', 'must be 0, 7 or 19');
    const field = lead === 'GROSS' ? 'grossPrice' : 'netPrice';
    const amount = pr[field];
    if (typeof amount !== 'number' || amount < 0) bad(`price.${field}`, 'NOTNULL', 'darf nicht leer sein');
    else if (decimals(amount) > 4) bad(`price.${field}`, 'DIGITS', 'at most 4 decimal places');
    if (d.length === 0 && typeof amount === 'number' && typeof rate === 'number') {
      const f = dec(100 + rate).div(100);
      price =
        lead === 'GROSS'
          ? { netPrice: num(dec(amount).div(f)), grossPrice: amount, leadingPrice: 'GROSS', taxRate: rate }
          : { netPrice: amount, grossPrice: num(dec(amount).times(f)), leadingPrice: 'NET', taxRate: rate };
    }
  }
  if (d.length > 0 || !price) throw validationFailed(p, d);
  const str = (v: unknown): string | null => (typeof v === 'string' ? v : null);
  return {
    title: String(b.title),
    description: str(b.description),
    type: b.type as Article['type'],
    articleNumber: str(b.articleNumber),
    gtin: str(b.gtin),
    note: str(b.note),
    unitName: String(b.unitName),
    price,
  };
}
