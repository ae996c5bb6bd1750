import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, describe, it } from 'node:test';
import { cliBuildIsFresh, sourcesStamp } from '../../bin/cli-build.js';
import { runVortex } from '../helpers/process.ts';

/** The CLI bundle runs only while it was built from exactly the sources on disk; otherwise the sources run. */
describe('CLI bundle (dist/cli) freshness', () => {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'vortex-cli-build-'));
  after(() => fs.rmSync(root, { recursive: true, force: true }));
  const write = (rel: string, text: string) => {
    fs.mkdirSync(path.dirname(path.join(root, rel)), { recursive: true });
    fs.writeFileSync(path.join(root, rel), text);
  };
  const build = () => {
    write('dist/cli/main.js', '// bundle');
    write('dist/cli/sources.stamp', `${sourcesStamp(root)}\n`);
  };

  it('is stale without a build, fresh after one, and stale again after any source change', () => {
    write('src/cli/main.ts', 'export {};');
    write('src/store/migrations/001_a.sql', 'select 1;');
    write('sim/celro/server.ts', 'export {};');
    write('package.json', '{}');
    assert.equal(cliBuildIsFresh(root), false, 'no build yet');
    build();
    assert.equal(cliBuildIsFresh(root), true);

    write('src/cli/main.ts', 'export const changed = 1;');
    assert.equal(cliBuildIsFresh(root), false, 'an edited file');
    build();
    write('src/store/migrations/002_b.sql', 'select 2;');
    assert.equal(cliBuildIsFresh(root), false, 'an added migration');
    build();
    fs.rmSync(path.join(root, 'sim/celro/server.ts'));
    assert.equal(cliBuildIsFresh(root), false, 'a removed file');
    build();
    const later = new Date(Date.now() + 60_000);
    fs.utimesSync(path.join(root, 'package.json'), later, later);
    assert.equal(cliBuildIsFresh(root), false, 'same content, touched (e.g. another checkout)');
    build();
    fs.rmSync(path.join(root, 'dist/cli/main.js'));
    assert.equal(cliBuildIsFresh(root), false, 'a stamp without its bundle');
  });

  it('the bundle and the sources give the same answers (store, migrations and refusals included)', async () => {
    assert.equal(spawnSync(process.execPath, ['scripts/build-cli.mjs'], { stdio: 'ignore' }).status, 0);
    assert.equal(cliBuildIsFresh(), true, 'npm test builds it first; built now anyway');
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'vortex-cli-build-run-'));
    try {
      const answers = [];
      for (const [i, fromSource] of ['0', '1'].entries()) {
        const env = { VORTEX_FROM_SOURCE: fromSource, VORTEX_DATA_DIR: path.join(dir, `data${i}`), LOG_LEVEL: 'silent' };
        const made = await runVortex(['tenant', 'add', 'shop', '--name', 'Shop'], env);
        assert.equal(made.code, 0, made.stderr);
        const listed = await runVortex(['tenant', 'list'], env);
        const refused = await runVortex(['rules', 'history', 'shop', 'sideways'], env);
        answers.push([made.stdout, listed.stdout, refused.code, refused.stderr]);
      }
      assert.deepEqual(answers[0], answers[1]);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
