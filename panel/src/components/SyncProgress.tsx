import { Group, Loader, Paper, Stack, Text } from '@mantine/core';
import { useEffect, useRef, useState } from 'react';
import { call, client } from '../api/client.ts';
import { useQuery } from '../api/hooks.ts';
import type { SyncProgress as Progress } from '../api/types.ts';
import { ErrorNote, formatCounts, StateBadge } from './common.tsx';

/** Follows one on-demand sync request live (every second) until its run is done, then stops; shows the run's counts. */
export function SyncProgress({ tenant, requestId, onDone }: { tenant: string; requestId: number; onDone?: (p: Progress) => void }) {
  const [stopped, setStopped] = useState(false);
  const { data, error } = useQuery(`${tenant}/${requestId}`, () => call(client.GET('/api/tenants/{id}/sync-requests/{requestId}', { params: { path: { id: tenant, requestId } } })), stopped ? {} : { refreshMs: 1000 });
  // Done, or a run that ended without taking the request (it waits for the next run: keep following).
  const finished = data?.state === 'done' || (data?.run && data.run.status !== 'running' && data.state !== 'queued' && data.state !== 'retrying');
  const done = useRef(onDone);
  done.current = onDone;
  useEffect(() => {
    if (!data || !finished || stopped) return;
    setStopped(true);
    done.current?.(data);
  }, [finished, data, stopped]);
  return (
    <Paper withBorder p="sm" data-testid="sync-progress">
      <Stack gap={4}>
        <Group gap="xs">
          {!finished && <Loader size="xs" />}
          <Text size="sm">Sync request #{requestId}:</Text>
          <StateBadge state={data?.state ?? 'queued'} data-testid="sync-state" />
          {data?.run && <StateBadge state={data.run.status} data-testid="sync-run-status" />}
        </Group>
        <Text size="sm" c="dimmed" data-testid="sync-counts">
          {data?.run ? formatCounts(data.run.counts) : 'waiting for a worker…'}
        </Text>
        {data?.run?.error && (
          <Text size="sm" c="red">
            {data.run.error}
          </Text>
        )}
        <ErrorNote error={error} />
      </Stack>
    </Paper>
  );
}
