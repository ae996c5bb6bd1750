import assert from 'node:assert/strict';
import { Writable } from 'node:stream';
import { describe, it } from 'node:test';
import { ValidationError } from '../../src/core/errors.ts';
import { createLogger, LOG_LIMITS, sanitizeForLog } from '../../src/platform/logger.ts';

function capture() {
  let out = '';
  const sink = new Writable({
    write(chunk, _enc, cb) {
      out += String(chunk);
      cb();
    },
  });
  return { log: createLogger({ destination: sink, level: 'debug' }), text: () => out };
}

describe('log lines: secrets by pattern at any depth, bounded size', () => {
  it('redacts secret-looking keys five levels deep, in arrays, in error details and child bindings', () => {
    const { log, text } = capture();
    const deep = { a: { b: { c: { d: { lexofficeApiKey: 's-1', password: 's-2', userPassword: 's-3', X_Auth_Token: 's-4', Authorization: 's-5' } } } } };
    log.info({ payload: deep, list: [{ celroSecret: 's-6' }] }, 'nested');
    log.warn({ err: new ValidationError('bad', [], { credentials: { apiKey: 's-7' } }) }, 'error with details');
    log.child({ tenant: 't', sessionToken: 's-8' }).child({ runId: 7 }).info('grandchild');
    for (let i = 1; i <= 8; i++) assert.ok(!text().includes(`s-${i}`), `s-${i} leaked: ${text()}`);
    assert.equal(text().match(/\[redacted\]/g)?.length, 8);
    assert.match(text(), /"tenant":"t","sessionToken":"\[redacted\]","runId":7/, 'a grandchild keeps every binding');
  });

  it('cuts a 9 MB payload to a few KB and says what it left out', () => {
    const { log, text } = capture();
    const rows = Array.from({ length: 100_000 }, (_, i) => ({ sku: `SKU-${i}`, quantity: i, note: 'x'.repeat(80) }));
    log.warn({ payload: rows, big: 'y'.repeat(9_000_000) }, 'invalid request');
    const line = text();
    assert.ok(line.length < 16_000, `line is ${line.length} bytes`);
    assert.match(line, /99980 more items/);
    assert.match(line, /8997952 more chars/);
  });

  it('keeps errors readable and stops at cycles and depth', () => {
    const cyclic: Record<string, unknown> = { name: 'x' };
    cyclic.self = cyclic;
    const s = sanitizeForLog({ cyclic, deep: { a: { b: { c: { d: { e: { f: { g: 1 } } } } } } } }) as Record<string, unknown>;
    assert.equal((s.cyclic as Record<string, unknown>).self, '[circular]');
    assert.match(JSON.stringify(s.deep), /\[object\]/);
    const e = sanitizeForLog(new Error('boom')) as Record<string, unknown>;
    assert.equal(e.message, 'boom');
    assert.equal(e.type, 'Error');
    assert.ok(LOG_LIMITS.stringChars >= 1024);
  });
});
