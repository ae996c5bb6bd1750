import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { describe, it } from 'node:test';
import { lockDataDir, ownerIsGone, processStartTime, type LockOwner } from '../../src/store/data-dir-lock.ts';

const LOCK_MODULE = new URL('../../src/store/data-dir-lock.ts', import.meta.url).pathname;

/** A real process that takes the lock, says so, and then waits to be killed. */
function holder(dir: string) {
  const child = spawn(process.execPath, ['--import', 'tsx', '-e', `const { lockDataDir } = await import(${JSON.stringify(LOCK_MODULE)}); await lockDataDir(${JSON.stringify(dir)}); console.log('locked'); setInterval(() => {}, 1000);`], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const locked = new Promise<void>((resolve, reject) => {
    child.stdout.on('data', (c: Buffer) => c.toString().includes('locked') && resolve());
    child.on('exit', (code) => reject(new Error(`holder exited early (${code})`)));
  });
  return { child, locked };
}

describe('embedded data directory lock: a dead owner’s lock is taken over at once', () => {
  it('after SIGKILL of the holder, the next process gets the lock immediately (no staleness wait)', async () => {
    const dir = path.join(await fs.mkdtemp(path.join(os.tmpdir(), 'vortex-lock-')), 'data');
    const h = holder(dir);
    await h.locked;
    await assert.rejects(lockDataDir(dir), /already in use by another Vortex process \(pid \d+/);
    const gone = new Promise((r) => h.child.on('exit', r));
    h.child.kill('SIGKILL');
    await gone;
    const started = Date.now();
    const release = await lockDataDir(dir);
    assert.ok(Date.now() - started < 1000, `took ${Date.now() - started} ms`);
    const owner = JSON.parse(await fs.readFile(`${dir}.lock`, 'utf8')) as LockOwner;
    assert.equal(owner.pid, process.pid);
    assert.equal((await fs.stat(`${dir}.lock`)).mode & 0o777, 0o600);
    await release();
    await assert.rejects(fs.stat(`${dir}.lock`), /ENOENT/, 'released on close');
  });

  it('a lock file without a readable owner is taken over once it is not brand new; a live owner never is', async () => {
    const dir = path.join(await fs.mkdtemp(path.join(os.tmpdir(), 'vortex-lock-')), 'data');
    await fs.writeFile(`${dir}.lock`, 'garbage');
    await assert.rejects(lockDataDir(dir), /already in use/);
    const old = new Date(Date.now() - 60_000);
    await fs.utimes(`${dir}.lock`, old, old);
    const release = await lockDataDir(dir);
    await release();
  });

  it('decides "gone" only when it can know: same host, and the pid is dead or was reused', () => {
    const me = { pid: 4242, host: 'a', started: '100', since: 'x' };
    const probe = (alive: boolean, start: string | null) => ({ host: 'a', alive: () => alive, startTime: () => start });
    assert.equal(ownerIsGone(me, probe(false, null)), true, 'pid not running');
    assert.equal(ownerIsGone(me, probe(true, '100')), false, 'same process still running');
    assert.equal(ownerIsGone(me, probe(true, '999')), true, 'pid reused by another process');
    assert.equal(ownerIsGone(me, probe(true, null)), false, 'cannot tell: assume alive');
    assert.equal(ownerIsGone({ ...me, host: 'b' }, probe(false, null)), false, 'another host: never displaced');
    assert.equal(ownerIsGone({ ...me, started: null }, probe(true, '5')), false);
    assert.match(processStartTime(process.pid) ?? 'n/a', /^\d+$|^n\/a$/);
  });
});
