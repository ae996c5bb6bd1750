import type { FastifyInstance } from 'fastify';
import { voucherlistRow } from '../voucher-views.ts';
import { regular } from '../errors.ts';
import { pageOf } from '../paging.ts';
import type { SimState } from '../state.ts';
import { LEX_DAY, berlinDay, htmlDecode, isUuid } from '../util.ts';
import { type ApiCtx, type Q, path } from './common.ts';

// The voucherlist: every voucher kind by type, status, dates, contact and number, sorted and paged.

export function registerVoucherlist(app: FastifyInstance, ctx: ApiCtx): void {
  const st = (): SimState => ctx.state();

  app.get('/v1/voucherlist', async (req) => {
    const q = req.query as Q;
    const p = path(req);
    if (!q.voucherType || !q.voucherStatus) throw regular(400, p, 'Missing required request parameters');
    const TYPES = ['salesinvoice', 'salescreditnote', 'purchaseinvoice', 'purchasecreditnote', 'invoice', 'downpaymentinvoice', 'creditnote', 'orderconfirmation', 'quotation', 'deliverynote'];
    const STATES = ['draft', 'open', 'overdue', 'paid', 'paidoff', 'voided', 'transferred', 'sepadebit', 'accepted', 'rejected', 'unchecked'];
    const types = q.voucherType === 'any' ? TYPES : q.voucherType.split(',');
    const states = q.voucherStatus === 'any' ? STATES : q.voucherStatus.split(',');
    if (!types.every((t) => TYPES.includes(t))) throw regular(400, p, "parameter 'voucherType' is invalid");
    if (!states.every((s) => STATES.includes(s))) throw regular(400, p, "parameter 'voucherStatus' is invalid");
    if (states.includes('overdue') && states.length > 1 && q.voucherStatus !== 'any') throw regular(400, p, "voucherStatus 'overdue' cannot be combined with other states");
    const size = q.size === undefined ? 25 : Number(q.size);
    if (!Number.isInteger(size) || size < 1) throw regular(400, p, "parameter 'size' is invalid");
    if (size > 250) throw regular(400, p, "parameter 'size' must be equal or lower than 250");
    const page = q.page === undefined ? 0 : Number(q.page);
    if (!Number.isInteger(page) || page < 0) throw regular(400, p, "parameter 'page' is invalid");
    if ((page + 1) * size > 10_000) throw regular(400, p, 'Maximum search window size exceeded');
    for (const k of ['voucherDateFrom', 'voucherDateTo', 'createdDateFrom', 'createdDateTo', 'updatedDateFrom', 'updatedDateTo']) {
      if (q[k] !== undefined && !LEX_DAY.test(q[k] as string)) throw regular(400, p, `parameter '${k}' is invalid`);
    }
    if (q.contactId !== undefined && !isUuid(q.contactId)) throw regular(400, p, "parameter 'contactId' is invalid");
    // live: only `voucherDate`, exactly so (measured); doc: the four documented properties, in any casing
    // (the docs spell them `voucherdate` …) [UNCERTAIN] — behaviour.voucherlistSort.
    const allowedSorts = ctx.behaviour.voucherlistSort === 'live' ? ['voucherDate'] : ['voucherDate', 'voucherNumber', 'createdDate', 'updatedDate'];
    const [sortSent = 'voucherDate', sortDirRaw = 'DESC'] = (q.sort ?? 'voucherDate,DESC').split(',');
    const sortDir = sortDirRaw.toUpperCase();
    const sortProp = allowedSorts.find((a) => (ctx.behaviour.voucherlistSort === 'live' ? a === sortSent : a.toLowerCase() === sortSent.toLowerCase()));
    if (sortProp === undefined || (sortDir !== 'ASC' && sortDir !== 'DESC')) throw regular(400, p, "parameter 'sort' is invalid");
    const now = ctx.now();
    const inDay = (iso: unknown, from?: string, to?: string): boolean => {
      const day = berlinDay(new Date(String(iso)));
      return (from === undefined || day >= from) && (to === undefined || day <= to);
    };
    const rows = [...st().vouchers.values()]
      .map((v) => ({ v, row: voucherlistRow(v, now) }))
      .filter(({ v, row }) => {
        if (!types.includes(v.kind)) return false;
        if (q.voucherStatus !== 'any' && !states.includes(String(row.voucherStatus))) return false;
        if (q.archived !== undefined && String(row.archived) !== q.archived) return false;
        if (q.contactId !== undefined && v.contactId !== q.contactId) return false;
        if (q.voucherNumber !== undefined) {
          const n = String(row.voucherNumber);
          const want = htmlDecode(q.voucherNumber);
          if (ctx.behaviour.voucherNumberMatch === 'exact' ? n !== want : !n.includes(want)) return false;
        }
        return (
          inDay(row.voucherDate, q.voucherDateFrom, q.voucherDateTo) &&
          inDay(row.createdDate, q.createdDateFrom, q.createdDateTo) &&
          inDay(row.updatedDate, q.updatedDateFrom, q.updatedDateTo)
        );
      })
      .map(({ row }) => row)
      .sort((a, b) => {
        const x = String(a[sortProp]);
        const y = String(b[sortProp]);
        const c = sortProp === 'voucherNumber' ? x.localeCompare(y) : new Date(x).getTime() - new Date(y).getTime();
        return (sortDir === 'ASC' ? c : -c) || String(a.voucherNumber).localeCompare(String(b.voucherNumber));
      });
    return pageOf(rows, page, size, { property: sortSent, direction: sortDir as 'ASC' | 'DESC' }, 10_000);
  });
}
