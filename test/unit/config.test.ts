import assert from 'node:assert/strict';
import path from 'node:path';
import { describe, it } from 'node:test';
import { ConfigError } from '../../src/core/errors.ts';
import { loadConfig } from '../../src/platform/config.ts';

describe('config', () => {
  it('has working defaults: embedded store in ./.vortex, port 3000', () => {
    const c = loadConfig({});
    assert.equal(c.http.port, 3000);
    assert.equal(c.store.kind, 'pglite');
    assert.equal(c.store.dataDir, path.resolve('./.vortex'));
  });

  it('switches to PostgreSQL when DATABASE_URL is set', () => {
    const c = loadConfig({ DATABASE_URL: 'postgres://u:p@db:5432/vortex', DATABASE_POOL_MAX: '7' });
    assert.equal(c.store.kind, 'postgres');
    assert.equal(c.store.kind === 'postgres' && c.store.poolMax, 7);
  });

  it('names every bad variable in the error', () => {
    let err: unknown;
    try {
      loadConfig({ PORT: 'eighty', LOG_LEVEL: 'loud', DATABASE_URL: 'mysql://x' });
    } catch (e) {
      err = e;
    }
    assert.ok(err instanceof ConfigError);
    assert.deepEqual([...err.variables].sort(), ['DATABASE_URL', 'LOG_LEVEL', 'PORT']);
    assert.match(err.message, /PORT="eighty"/);
    assert.match(err.message, /LOG_LEVEL="loud"/);
  });

  it('never echoes a secret key or database URL in the error', () => {
    const secret = 'not-base64-but-secret!!';
    assert.throws(
      () => loadConfig({ VORTEX_SECRET_KEY: secret, DATABASE_URL: 'mysql://user:hunter2@x' }),
      (e: Error) => e instanceof ConfigError && !e.message.includes(secret) && !e.message.includes('hunter2') && /VORTEX_SECRET_KEY/.test(e.message),
    );
  });

  it('rejects a secret key of the wrong length', () => {
    assert.throws(() => loadConfig({ VORTEX_SECRET_KEY: Buffer.alloc(16).toString('base64') }), /VORTEX_SECRET_KEY.*32 bytes/);
    assert.doesNotThrow(() => loadConfig({ VORTEX_SECRET_KEY: Buffer.alloc(32, 7).toString('base64') }));
  });

  it('treats an empty variable as unset', () => {
    assert.equal(loadConfig({ PORT: '' }).http.port, 3000);
  });

  describe('alert destinations', () => {
    const smtp = { VORTEX_ALERT_SMTP_URL: 'smtps://alerts:hunter2-smtp@mail.example.com:465', VORTEX_ALERT_EMAIL_FROM: 'Vortex <vortex@example.com>', VORTEX_ALERT_EMAIL_TO: 'ops@example.com, oncall@example.com' };

    it('are off by default, with a daily reminder', () => {
      const c = loadConfig({});
      assert.equal(c.alerts.webhook, undefined);
      assert.equal(c.alerts.email, undefined);
      assert.equal(c.alerts.remindHours, 24);
    });

    it('reads the webhook and the SMTP settings', () => {
      const c = loadConfig({ VORTEX_ALERT_WEBHOOK_URL: 'https://hooks.example.com/T000/B000/xyz', VORTEX_ALERT_WEBHOOK_SECRET: 'a-shared-secret-of-32-characters', VORTEX_ALERT_REMIND_HOURS: '0', ...smtp });
      assert.deepEqual(c.alerts.webhook, { url: 'https://hooks.example.com/T000/B000/xyz', secret: 'a-shared-secret-of-32-characters' });
      assert.deepEqual(c.alerts.email, { smtpUrl: smtp.VORTEX_ALERT_SMTP_URL, from: 'Vortex <vortex@example.com>', to: ['ops@example.com', 'oncall@example.com'] });
      assert.equal(c.alerts.remindHours, 0);
    });

    it('names a bad or incomplete setting and never echoes a URL or secret', () => {
      const check = (env: Record<string, string>, names: string[], hidden: string[] = []) =>
        assert.throws(
          () => loadConfig(env),
          (e: Error) => {
            assert.ok(e instanceof ConfigError, String(e));
            assert.deepEqual([...e.variables].sort(), [...names].sort(), e.message);
            for (const h of hidden) assert.ok(!e.message.includes(h), `${h} shown in: ${e.message}`);
            return true;
          },
        );
      check({ VORTEX_ALERT_WEBHOOK_URL: 'ftp://x/hook-secret-path' }, ['VORTEX_ALERT_WEBHOOK_URL'], ['hook-secret-path']);
      check({ VORTEX_ALERT_WEBHOOK_URL: 'https://x.example', VORTEX_ALERT_WEBHOOK_SECRET: 'short' }, ['VORTEX_ALERT_WEBHOOK_SECRET'], ['short']);
      check({ VORTEX_ALERT_WEBHOOK_SECRET: 'long-enough-secret-value' }, ['VORTEX_ALERT_WEBHOOK_SECRET'], ['long-enough-secret-value']);
      check({ VORTEX_ALERT_SMTP_URL: 'smtp://u:hunter2@mail.example.com' }, ['VORTEX_ALERT_EMAIL_FROM', 'VORTEX_ALERT_EMAIL_TO'], ['hunter2']);
      check({ VORTEX_ALERT_SMTP_URL: 'http://u:hunter2@mail.example.com' }, ['VORTEX_ALERT_SMTP_URL'], ['hunter2']);
      check({ ...smtp, VORTEX_ALERT_EMAIL_TO: 'ops@example.com, not an address' }, ['VORTEX_ALERT_EMAIL_TO'], ['hunter2-smtp']);
      check({ VORTEX_ALERT_EMAIL_FROM: 'vortex@example.com' }, ['VORTEX_ALERT_EMAIL_FROM']);
      check({ VORTEX_ALERT_REMIND_HOURS: '-1' }, ['VORTEX_ALERT_REMIND_HOURS']);
    });
  });
});
