import { runOrderChaos } from '/work/main/test/helpers/order-chaos.ts';
const s = await runOrderChaos({ orders: Number(process.argv[2] ?? 60), kills: Number(process.argv[3] ?? 0), workers: Number(process.argv[4] ?? 2), faultRate: Number(process.argv[5] ?? 0), drainSeconds: 120, log: console.log });
console.log(JSON.stringify({ ...s, notFinal: s.notFinal.length, withoutDocument: s.withoutDocument.length }));
process.exit(0);
