import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { describe, it } from 'node:test';

/** `vortex sim lexoffice` as the demo and operators start it: a real process, a real port. */
describe('vortex sim lexoffice (CLI)', () => {
  it('serves the seeded catalog under /v1/ with the given key, admin under /_sim/, faults from flags', async () => {
    const child = spawn(process.execPath, ['bin/vortex.js', 'sim', 'lexoffice', '--port', '0', '--api-key', 'cli-key', '--seed', 'demo', '--articles', '300', '--fault-500', '0', '--retry-after', '2'], {
      stdio: ['ignore', 'pipe', 'pipe'],
      env: { ...process.env, LOG_LEVEL: 'silent' },
    });
    try {
      const url = await new Promise<string>((resolve, reject) => {
        let out = '';
        const t = setTimeout(() => reject(new Error(`no start-up line: ${out}`)), 30_000);
        child.stdout.on('data', (c: Buffer) => {
          out += c.toString();
          const m = /on (http:\/\/127\.0\.0\.1:\d+)\/v1\//.exec(out);
          if (m) {
            clearTimeout(t);
            resolve(m[1]!);
          }
        });
        child.stderr.on('data', (c: Buffer) => (out += c.toString()));
        child.on('exit', (code) => reject(new Error(`exited ${code}: ${out}`)));
      });
      const auth = { authorization: 'Bearer cli-key' };
      const page = (await (await fetch(`${url}/v1/articles?size=250`, { headers: auth })).json()) as { totalElements: number; totalPages: number };
      assert.deepEqual([page.totalElements, page.totalPages], [300, 2]);
      assert.equal((await fetch(`${url}/v1/profile`, { headers: { authorization: 'Bearer sim-lexoffice-key' } })).status, 401, 'only the given key');
      const cfg = (await (await fetch(`${url}/_sim/config`)).json()) as { rateLimit: { retryAfterSeconds: number } };
      assert.equal(cfg.rateLimit.retryAfterSeconds, 2);
      assert.match(await (await fetch(`${url}/_sim/public-key`)).text(), /BEGIN PUBLIC KEY/);
    } finally {
      child.kill('SIGTERM');
      await new Promise((r) => child.once('exit', r));
    }
  });
});
