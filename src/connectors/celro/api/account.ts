import { ValidationError } from '../../../core/errors.ts';
import { CelroResponseError } from '../errors.ts';
import { isObj, listOf } from './shape.ts';
import type { CelroCaller } from './transport.ts';

// Account area of the Cel.ro API: couriers, account data and the push link (login lives in transport.ts).

export async function getCouriers(t: CelroCaller): Promise<{ id: string; name: string; raw: unknown }[]> {
  const m = await t.form('admininfo/getCouriers', [['dummy', 1]], 'read');
  // [U] shape: a list of {id, name} (simulator) or an id → name map; both are read.
  if (isObj(m) && Object.values(m).length > 0 && Object.values(m).every((v) => typeof v === 'string')) return Object.entries(m).map(([id, name]) => ({ id, name: name as string, raw: { id, name } }));
  return listOf(m, 'admininfo/getCouriers').map((c) => ({ id: String(c.id ?? c.courier_id ?? ''), name: String(c.name ?? c.courier_name ?? c.nume ?? ''), raw: c }));
}

/** `admininfo/getAccountInformation` [U: shape; the simulator uses updateAccountInformation's field names]. */
export async function getAccountInformation(t: CelroCaller): Promise<Record<string, unknown>> {
  const m = await t.form('admininfo/getAccountInformation', [], 'read');
  if (!isObj(m)) throw new CelroResponseError('admininfo/getAccountInformation', 200, JSON.stringify(m).slice(0, 4000), 'expected an object');
  return m;
}

/** Courier accounts configured in CEL (`admininfo/getAccountCouriers`; shape from the wiki). */
export async function getAccountCouriers(t: CelroCaller): Promise<{ id: string; courierId: string; courierName: string; name: string; active: boolean; raw: Record<string, unknown> }[]> {
  return listOf(await t.form('admininfo/getAccountCouriers', [], 'read'), 'admininfo/getAccountCouriers').map((c) => ({
    id: String(c.id ?? ''),
    courierId: String(c.courier_id ?? ''),
    courierName: String(c.courier_name ?? ''),
    name: String(c.name ?? ''),
    active: Number(c.status) === 1,
    raw: c,
  }));
}

export async function updateAccountInformation(t: CelroCaller, fields: Readonly<Record<string, string>>): Promise<unknown> {
  return t.form('admininfo/updateAccountInformation', Object.entries(fields), 'write');
}

/** Register the push URL template (`$1$` type, `$2$` value, `$3$` extra). */
export async function setApiLink(t: CelroCaller, template: string): Promise<unknown> {
  if (!template.includes('$1$') || !template.includes('$2$')) throw new ValidationError('the API link must contain $1$ (alert type) and $2$ (alert value)', [], { template });
  return updateAccountInformation(t, { apiLink: template });
}
