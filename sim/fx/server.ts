import Fastify, { type FastifyInstance } from 'fastify';

/**
 * A simulator of the official rate feeds (BNR `nbrfxrates.xml` / `nbrfxrates10days.xml`, ECB
 * `eurofxref-daily.xml`) with deterministic, plausible, *invented* rates for recent banking days, so the
 * demo and the end-to-end tests price with rates dated around today without the network. Same XML
 * shapes as the real feeds (research/domain.md §1), served on 127.0.0.1.
 */
export interface FxSimOptions {
  readonly port?: number;
  readonly host?: string;
  /** "Today" for the feed (default: the real date). */
  readonly clock?: () => Date;
}

export interface FxSim {
  readonly url: string;
  readonly bnrUrl: string;
  readonly bnr10DaysUrl: string;
  readonly ecbUrl: string;
  readonly app: FastifyInstance;
  close(): Promise<void>;
}

const BASE: Record<string, { rate: number; multiplier?: number }> = {
  EUR: { rate: 4.975 },
  USD: { rate: 4.585 },
  GBP: { rate: 5.842 },
  CHF: { rate: 5.318 },
  HUF: { rate: 1.302, multiplier: 100 },
};

function day(d: Date): string {
  return d.toISOString().slice(0, 10);
}

/** Banking days (Mon–Fri) from `days` ago up to today, oldest first. */
export function bankingDays(today: Date, days: number): string[] {
  const out: string[] = [];
  for (let i = days; i >= 0; i--) {
    const d = new Date(Date.UTC(today.getUTCFullYear(), today.getUTCMonth(), today.getUTCDate() - i));
    if (d.getUTCDay() !== 0 && d.getUTCDay() !== 6) out.push(day(d));
  }
  return out;
}

/** The invented rate of a currency on a day: a small deterministic wobble around a base. */
export function simRate(currency: string, isoDay: string): string {
  const base = BASE[currency];
  if (!base) throw new Error(`no simulated rate for ${currency}`);
  const n = Number(isoDay.replaceAll('-', '')) % 17;
  return (base.rate + (n - 8) * 0.0007).toFixed(4);
}

function bnrXml(days: readonly string[], published: string): string {
  const cubes = days
    .map((d) => `    <Cube date="${d}">${Object.entries(BASE).map(([c, b]) => `<Rate currency="${c}"${b.multiplier ? ` multiplier="${b.multiplier}"` : ''}>${simRate(c, d)}</Rate>`).join('')}</Cube>`)
    .join('\n');
  return `<?xml version="1.0" encoding="utf-8"?>
<DataSet xmlns="http://www.bnr.ro/xsd" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" xsi:schemaLocation="http://www.bnr.ro/xsd nbrfxrates.xsd">
  <Header><Publisher>National Bank of Romania</Publisher><PublishingDate>${published}</PublishingDate><MessageType>DR</MessageType></Header>
  <Body>
    <Subject>Reference rates</Subject>
    <OrigCurrency>RON</OrigCurrency>
${cubes}
  </Body>
</DataSet>
`;
}

function ecbXml(d: string): string {
  // ECB quotes per EUR: RON per EUR is the BNR EUR rate's neighbour; other currencies derived from it.
  const ron = Number(simRate('EUR', d));
  const rows = Object.entries(BASE)
    .filter(([c]) => c !== 'EUR')
    .map(([c, b]) => `\t\t\t<Cube currency='${c}' rate='${(ron / (Number(simRate(c, d)) / (b.multiplier ?? 1))).toFixed(4)}'/>`);
  return `<?xml version="1.0" encoding="UTF-8"?>
<gesmes:Envelope xmlns:gesmes="http://www.gesmes.org/xml/2002-08-01" xmlns="http://www.ecb.int/vocabulary/2002-08-01/eurofxref">
\t<gesmes:subject>Reference rates</gesmes:subject>
\t<gesmes:Sender><gesmes:name>European Central Bank</gesmes:name></gesmes:Sender>
\t<Cube>
\t\t<Cube time='${d}'>
\t\t\t<Cube currency='RON' rate='${ron.toFixed(4)}'/>
${rows.join('\n')}
\t\t</Cube>
\t</Cube>
</gesmes:Envelope>
`;
}

export async function startFxSim(opts: FxSimOptions = {}): Promise<FxSim> {
  const now = opts.clock ?? (() => new Date());
  const app = Fastify({ logger: false });
  const xml = (body: string) => ({ body, type: 'application/xml; charset=utf-8' });
  app.get('/nbrfxrates.xml', async (_req, reply) => {
    const days = bankingDays(now(), 6);
    const last = days[days.length - 1]!;
    const r = xml(bnrXml([last], last));
    return reply.type(r.type).send(r.body);
  });
  app.get('/nbrfxrates10days.xml', async (_req, reply) => {
    const days = bankingDays(now(), 14).slice(-10);
    const r = xml(bnrXml(days, days[days.length - 1]!));
    return reply.type(r.type).send(r.body);
  });
  app.get('/eurofxref-daily.xml', async (_req, reply) => {
    const days = bankingDays(now(), 6);
    const r = xml(ecbXml(days[days.length - 1]!));
    return reply.type(r.type).send(r.body);
  });
  await app.listen({ port: opts.port ?? 0, host: opts.host ?? '127.0.0.1' });
  const port = (app.server.address() as { port: number }).port;
  const url = `http://127.0.0.1:${port}`;
  return { url, bnrUrl: `${url}/nbrfxrates.xml`, bnr10DaysUrl: `${url}/nbrfxrates10days.xml`, ecbUrl: `${url}/eurofxref-daily.xml`, app, close: () => app.close() };
}
