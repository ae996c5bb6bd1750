import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { connectionHealth, isAuthFailure, nextHeartbeat, type HealthInput } from '../../src/sync/health.ts';

const now = new Date('2026-12-04T10:07:30Z');
const base: HealthInput = { system: 'lexoffice', configured: true, enabled: true, synced: true, recentRuns: [], lastCompletedAt: new Date('2026-12-04T10:05:00Z'), connectedAt: new Date('2026-12-01T00:00:00Z'), heartbeatMinutes: 5, now };
const refused = { status: 'failed', error: 'lexoffice GET /v1/articles → 401: Unauthorized' };

describe('connection health (dashboard)', () => {
  it('is unconfigured without a connection, disabled when switched off', () => {
    assert.equal(connectionHealth({ ...base, configured: false }), 'unconfigured');
    assert.equal(connectionHealth({ ...base, enabled: false }), 'disabled');
  });

  it('is fresh after a recent completed run, stalled after 3 heartbeat intervals without one', () => {
    assert.equal(connectionHealth(base), 'fresh');
    assert.equal(connectionHealth({ ...base, lastCompletedAt: new Date('2026-12-04T09:52:31Z') }), 'fresh');
    assert.equal(connectionHealth({ ...base, lastCompletedAt: new Date('2026-12-04T09:52:29Z') }), 'stalled');
    // A tenant connected a minute ago has had no run yet: not stalled.
    assert.equal(connectionHealth({ ...base, lastCompletedAt: null, connectedAt: new Date('2026-12-04T10:06:30Z') }), 'fresh');
  });

  it('is disconnected when the last runs all failed on this system’s credentials (not another system’s)', () => {
    assert.equal(connectionHealth({ ...base, recentRuns: [refused, refused] }), 'disconnected');
    assert.equal(connectionHealth({ ...base, recentRuns: [refused, { status: 'succeeded', error: null }] }), 'fresh', 'one refusal is not yet a pattern');
    assert.equal(connectionHealth({ ...base, system: 'celro', recentRuns: [refused, refused] }), 'fresh');
    const celRefused = { status: 'failed', error: 'Cel.ro login refused for demo: Date de autentificare incorecte' };
    assert.equal(connectionHealth({ ...base, system: 'celro', recentRuns: [celRefused, celRefused] }), 'disconnected');
    assert.equal(connectionHealth({ ...base, system: 'celro', otherError: 'Cel.ro login refused for demo: …' }), 'disconnected');
  });

  it('tells credential refusals from other failures', () => {
    assert.ok(isAuthFailure('lexoffice', 'lexoffice GET /v1/profile → 403: forbidden'));
    assert.ok(!isAuthFailure('lexoffice', 'lexoffice GET /v1/articles → 503: upstream'));
    assert.ok(!isAuthFailure('lexoffice', null));
  });

  it('next heartbeat: the next slot of the N-minute grid', () => {
    assert.equal(nextHeartbeat(now, 5).toISOString(), '2026-12-04T10:10:00.000Z');
    assert.equal(nextHeartbeat(new Date('2026-12-04T10:10:00Z'), 5).toISOString(), '2026-12-04T10:15:00.000Z');
    assert.equal(nextHeartbeat(now, 60).toISOString(), '2026-12-04T11:00:00.000Z');
  });
});
