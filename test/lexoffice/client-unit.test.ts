import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { AuthError, ForbiddenError, NotFoundError, OutcomeUnknownError, RateLimitedError, UpstreamError, ValidationError } from '../../src/core/errors.ts';
import { amountNumber, contactBody, documentBody, escapeLike, htmlEncode } from '../../src/connectors/lexoffice/client.ts';
import { LexofficeConflictError, LexofficeValidationError, LexofficeVersionConflictError, classifyHttpError, parseErrorBody } from '../../src/connectors/lexoffice/errors.ts';
import { LexofficeHttp, parseRetryAfter } from '../../src/connectors/lexoffice/http.ts';
import { amount } from '../../src/connectors/lexoffice/schemas.ts';
import { computeTotals } from '../../sim/lexoffice/documents.ts';
import { Decimal } from '../../src/core/decimal.ts';
import { invoiceInput } from './helpers.ts';

const ctx = (method: string) => ({ method, path: '/v1/x', attempts: 1 });

describe('lexoffice error bodies and classification', () => {
  it('parses the three documented shapes (research §1.5)', () => {
    const regular = parseErrorBody(
      JSON.stringify({ timestamp: '2023-05-11T17:12:31.233+02:00', status: 406, error: 'Not Acceptable', path: '/v1/invoices', traceId: '90d78d0777be', message: 'Validation failed for request. Please see details list for specific causes.', details: [{ violation: 'NOTNULL', field: 'lineItems[0].unitPrice.taxRatePercentage', message: 'darf nicht leer sein' }] }),
    );
    assert.equal(regular.shape, 'regular');
    assert.equal(regular.traceId, '90d78d0777be');
    assert.deepEqual(regular.issues, [{ path: 'lineItems[0].unitPrice.taxRatePercentage', message: 'darf nicht leer sein', code: 'NOTNULL' }]);
    const legacy = parseErrorBody(JSON.stringify({ IssueList: [{ i18nKey: 'missing_entity', source: 'company.name', type: 'validation_failure', additionalData: null, args: null }] }));
    assert.equal(legacy.shape, 'legacy');
    assert.deepEqual(legacy.issues, [{ path: 'company.name', message: 'missing_entity', code: 'missing_entity' }]);
    assert.deepEqual([parseErrorBody('{"message":null}').shape, parseErrorBody('{"message":null}').message], ['bare', null]);
    assert.equal(parseErrorBody('{"message":"Unauthorized"}').message, 'Unauthorized');
    assert.equal(parseErrorBody('<html>bad gateway</html>').shape, 'none');
    assert.equal(parseErrorBody('').shape, 'none');
  });

  it('reads requestId, tolerates absent details/status/message, and never throws on odd bodies', () => {
    const noDetails = parseErrorBody(JSON.stringify({ timestamp: '2026-08-21T10:00:00.000+02:00', status: 404, error: 'Not Found', path: '/v1/invoices/x', traceId: 'f00d', requestId: 'b4c1e2a0-1111-4222-8333-444455556666', message: 'Resource not found' }));
    assert.deepEqual([noDetails.shape, noDetails.requestId, noDetails.traceId, noDetails.message, noDetails.issues], ['regular', 'b4c1e2a0-1111-4222-8333-444455556666', 'f00d', 'Resource not found', []]);
    const onlyRequestId = parseErrorBody('{"requestId":"r-1","message":"Internal server error or rate limit exceeded"}');
    assert.deepEqual([onlyRequestId.shape, onlyRequestId.requestId, onlyRequestId.message], ['regular', 'r-1', 'Internal server error or rate limit exceeded']);
    const legacyWithId = parseErrorBody('{"requestId":"r-2","IssueList":[{"source":"number","i18nKey":"invalid_value"}]}');
    assert.deepEqual([legacyWithId.shape, legacyWithId.requestId, legacyWithId.issues[0]?.path, legacyWithId.issues[0]?.code], ['legacy', 'r-2', 'number', 'invalid_value']);
    // IssueList entries with fields missing or null, details entries that are not objects.
    const sparse = parseErrorBody('{"IssueList":[{"i18nKey":null,"source":null,"type":"technical_error"},"junk",{}]}');
    assert.deepEqual(sparse.issues, [{ path: '', message: 'technical_error', code: 'technical_error' }, { path: '', message: 'invalid', code: '' }]);
    const oddDetails = parseErrorBody('{"status":406,"details":[null,{"field":"price"}]}');
    assert.deepEqual(oddDetails.issues, [{ path: 'price', message: 'invalid', code: '' }]);
    assert.deepEqual([parseErrorBody('"Invalid or missing upload type."').shape, parseErrorBody('"Invalid or missing upload type."').message], ['bare', 'Invalid or missing upload type.']);
    const flat = parseErrorBody('{"source":"file","i18nKey":"missing_entity"}');
    assert.deepEqual([flat.shape, flat.issues], ['legacy', [{ path: 'file', message: 'missing_entity', code: 'missing_entity' }]]);
    for (const odd of ['[]', '42', 'null', '{}', '{"status":"weird","details":"no"}']) assert.doesNotThrow(() => parseErrorBody(odd), odd);
  });

  it('keeps requestId in the error (message and details) for every class', () => {
    const body = parseErrorBody('{"status":500,"requestId":"req-42","message":"boom"}');
    for (const [status, write] of [[500, true], [503, false], [404, false], [406, true], [409, true], [401, false]] as const) {
      const e = classifyHttpError(status, body, ctx(write ? 'POST' : 'GET'), { write });
      assert.match(e.message, /requestId req-42/, String(status));
      assert.equal((e.details as { requestId?: string }).requestId, 'req-42', String(status));
    }
    const stale = parseErrorBody('{"requestId":"req-43","IssueList":[{"source":"version","i18nKey":"invalid_value"}]}');
    const conflict = classifyHttpError(406, stale, ctx('PUT'), { write: true });
    assert.ok(conflict instanceof LexofficeVersionConflictError);
    assert.equal(conflict.body.requestId, 'req-43');
  });

  it('maps statuses to typed errors; writes with 5xx are outcome-unknown', () => {
    const b = parseErrorBody('{"message":"x"}');
    assert.ok(classifyHttpError(401, b, ctx('GET'), { write: false }) instanceof AuthError);
    assert.ok(classifyHttpError(402, b, ctx('GET'), { write: false }) instanceof ForbiddenError);
    assert.ok(classifyHttpError(403, b, ctx('GET'), { write: false }) instanceof ForbiddenError);
    assert.ok(classifyHttpError(404, b, ctx('GET'), { write: false }) instanceof NotFoundError);
    assert.ok(classifyHttpError(406, b, ctx('POST'), { write: true }) instanceof LexofficeValidationError);
    assert.ok(classifyHttpError(415, b, ctx('POST'), { write: true }) instanceof ValidationError);
    assert.ok(classifyHttpError(409, b, ctx('PUT'), { write: true }) instanceof LexofficeVersionConflictError);
    assert.ok(classifyHttpError(409, b, ctx('POST'), { write: true }) instanceof LexofficeConflictError);
    const stale = parseErrorBody('{"IssueList":[{"source":"version","i18nKey":"invalid_value"}]}');
    assert.ok(classifyHttpError(406, stale, ctx('PUT'), { write: true }) instanceof LexofficeVersionConflictError);
    const missing = parseErrorBody('{"IssueList":[{"source":"version","i18nKey":"missing_entity"}]}');
    assert.ok(classifyHttpError(406, missing, ctx('PUT'), { write: true }) instanceof LexofficeValidationError, 'a missing version is a bug, not a conflict');
    const rl = classifyHttpError(429, b, ctx('POST'), { write: true, retryAfterMs: 2000 });
    assert.ok(rl instanceof RateLimitedError && rl.retryable && rl.retryAfterMs === 2000);
    for (const s of [500, 502, 503, 504]) assert.ok(classifyHttpError(s, b, ctx('POST'), { write: true }) instanceof OutcomeUnknownError, String(s));
    const up = classifyHttpError(503, b, ctx('GET'), { write: false });
    assert.ok(up instanceof UpstreamError && up.retryable);
    assert.ok(classifyHttpError(501, b, ctx('POST'), { write: true }) instanceof UpstreamError);
  });

  it('logs the requestId of server errors it retries and gives up on', async () => {
    const logged: object[] = [];
    const http = new LexofficeHttp({
      apiKey: 'k',
      db: undefined as never,
      limiter: { acquire: async () => {} },
      backoffBaseMs: 1,
      backoffMaxMs: 2,
      maxReadRetries: 1,
      fetch: async () => new Response(JSON.stringify({ message: 'Internal server error or rate limit exceeded', requestId: 'req-77' }), { status: 500 }),
      logger: { warn: (o) => void logged.push(o), debug: () => {} },
    });
    const e = await http.json({ method: 'GET', path: '/v1/profile' }).catch((x: unknown) => x);
    assert.ok(e instanceof UpstreamError && /requestId req-77/.test(e.message));
    assert.equal(logged.length, 2, 'one retry, one give-up');
    for (const o of logged) assert.equal((o as { requestId?: string }).requestId, 'req-77');
  });

  it('reads Retry-After as seconds or an HTTP date', () => {
    assert.equal(parseRetryAfter(null), undefined);
    assert.equal(parseRetryAfter('3'), 3000);
    const d = parseRetryAfter(new Date(Date.now() + 5000).toUTCString())!;
    assert.ok(d > 3000 && d <= 5000);
    assert.equal(parseRetryAfter('soon'), undefined);
  });
});

describe('lexoffice request building', () => {
  it('amounts: decimal strings → exact JSON numbers, refusing what would not survive', () => {
    assert.equal(amountNumber('73.66', 'x'), 73.66);
    assert.equal(amountNumber('0.0001', 'x'), 0.0001);
    assert.throws(() => amountNumber('1.23456', 'x'), ValidationError);
    assert.throws(() => amountNumber('12345678901234567', 'x'), ValidationError);
    assert.throws(() => amountNumber('1e3', 'x'), ValidationError);
    assert.throws(() => amountNumber('12.345', 'rate', 2), ValidationError);
    assert.equal(amount.parse(61.9), '61.9');
    assert.equal(amount.parse('1337.00'), '1337.00');
    assert.equal(amount.parse(1e-7), '0.0000001');
  });

  it('documents: gross documents send grossAmount only; bad dates refused before sending', () => {
    const body = documentBody(invoiceInput('c1')) as { lineItems: { unitPrice?: Record<string, unknown> }[]; totalPrice: unknown };
    assert.deepEqual(body.lineItems[0]!.unitPrice, { currency: 'EUR', grossAmount: 73.66, taxRatePercentage: 19 });
    assert.deepEqual(body.totalPrice, { currency: 'EUR' });
    assert.throws(() => documentBody({ ...invoiceInput('c1'), voucherDate: '2026-08-25' }), ValidationError);
    assert.throws(() => documentBody({ ...invoiceInput('c1'), taxConditions: { taxType: 'net' } }), /netAmount is required/);
  });

  it('contacts: exactly one of person/company, version, one address per kind', () => {
    assert.throws(() => contactBody({}, 0), ValidationError);
    assert.throws(() => contactBody({ person: { lastName: 'a' }, company: { name: 'b' } }, 0), ValidationError);
    assert.deepEqual(contactBody({ person: { lastName: 'P' }, billingAddress: { countryCode: 'RO' }, email: { address: 'a@b.ro' } }, 0), {
      version: 0,
      roles: { customer: {} },
      person: { lastName: 'P' },
      addresses: { billing: [{ supplement: undefined, street: undefined, zip: undefined, city: undefined, countryCode: 'RO' }] },
      emailAddresses: { private: ['a@b.ro'] },
    });
  });

  it('search strings: HTML-encoding and LIKE escaping', () => {
    assert.equal(htmlEncode('johnson & partner <x>'), 'johnson &amp; partner &lt;x&gt;');
    assert.equal(escapeLike('a_b%c\\d'), 'a\\_b\\%c\\\\d');
  });
});

describe('simulator totals (per line, then per rate)', () => {
  const d = (s: string) => new Decimal(s);
  it('net document with a line discount and a document discount', () => {
    const t = computeTotals(
      [
        { quantity: d('3'), unit: d('9.99'), taxRate: d('19'), discountPercentage: d('10') }, // 26.973 → 26.97
        { quantity: d('1'), unit: d('5.005'), taxRate: d('7'), discountPercentage: d('0') }, // 5.005 → 5.01
      ],
      false,
      { percentage: d('10') },
    );
    assert.deepEqual(t.lineAmounts.map(String), ['26.97', '5.01']);
    // 7 %: 5.01 − 0.50 = 4.51, tax 0.3157 → 0.32; 19 %: 26.97 − 2.70 = 24.27, tax 4.6113 → 4.61
    assert.deepEqual(t.taxAmounts.map((x) => [x.taxRatePercentage, String(x.netAmount), String(x.taxAmount)]), [[7, '4.51', '0.32'], [19, '24.27', '4.61']]);
    assert.deepEqual([String(t.totalNet), String(t.totalTax), String(t.totalGross)], ['28.78', '4.93', '33.71']);
  });
});
