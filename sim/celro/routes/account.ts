import { ACCOUNT_COURIERS, COURIERS } from '../data.ts';
import { ACCOUNT_FIELDS, SimError } from '../state.ts';
import type { RouteContext, Routes } from './context.ts';

// Account: the login check, couriers, account data (with the API link the pushes go to).

export function accountRoutes(ctx: RouteContext): Routes {
  const { state, config } = ctx;
  return {
    'login/testLogin': (f) => (f.username === config.username && f.password === config.password ? 1 : 0),


    'admininfo/getCouriers': () => COURIERS,
    'admininfo/getAccountInformation': () => ({ ...state.account, reg: { ...state.account.reg } }),
    'admininfo/updateAccountInformation': (f) => {
      // Only the documented fields; `password` changes the panel password and is never shown back.
      for (const k of ACCOUNT_FIELDS) {
        const v = f[k];
        if (v === undefined) continue;
        if (typeof v !== 'string') throw new SimError(`Campul ${k} trebuie sa fie text`);
        if (k === 'timpProcesareImplicit' && !/^\d+$/.test(v)) throw new SimError('timpProcesareImplicit trebuie sa fie un numar de zile');
        state.account[k] = v;
      }
      if (typeof f.reg === 'object') for (const j of ['j1', 'j2', 'j3', 'j4'] as const) if (typeof f.reg[j] === 'string') state.account.reg[j] = f.reg[j];
      return 'Datele contului au fost actualizate';
    },
    'admininfo/getAccountCouriers': () => ACCOUNT_COURIERS,

  };
}
