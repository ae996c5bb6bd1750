import { BarChart, LineChart } from '@mantine/charts';
import { Anchor, Button, Card, Group, SimpleGrid, Stack, Text, Title } from '@mantine/core';
import { useState } from 'react';
import { Link, useParams } from 'react-router';
import { api, enc } from '../api/client.ts';
import { useAction, useApi } from '../api/hooks.ts';
import type { ConnectionHealth, Dashboard, Run } from '../api/types.ts';
import { ErrorNote, Json, PageTitle, Section, StateBadge, When, formatCounts } from '../components/common.tsx';
import { RunsTable } from '../components/RunsTable.tsx';
import { SyncProgress } from '../components/SyncProgress.tsx';

const ACTION_ITEMS: Record<string, { label: string; to: string }> = {
  heldPrices: { label: 'price changes held for approval', to: 'products?state=held' },
  quarantinedOrders: { label: 'orders in quarantine', to: 'orders?state=quarantined' },
  needsReviewOrders: { label: 'orders to review', to: 'orders?state=needs_review' },
  rejectedProducts: { label: 'products rejected by Cel.ro', to: 'products?state=rejected' },
  failedInvoices: { label: 'invoice uploads failed', to: 'orders' },
  failedShipments: { label: 'shipments with errors', to: 'orders' },
  offerErrors: { label: 'offers with errors', to: 'products?state=error' },
};

/** How the shop's sync stands: connections, running sync (live), runs, charts, what needs action. Refreshes every 2 s. */
export function DashboardPage() {
  const tenant = useParams().tenant!;
  const base = `/tenants/${enc(tenant)}`;
  const dash = useApi<Dashboard>(`${base}/dashboard`, { refreshMs: 2000 });
  // Older servers without the dashboard route: the runs alone.
  const fallback = useApi<{ runs: Run[] }>(dash.error?.status === 404 ? `${base}/runs?limit=10` : null, { refreshMs: 2000 });
  const [requestId, setRequestId] = useState<number | null>(null);
  const sync = useAction(async () => setRequestId((await api.post<{ requestId: number }>(`${base}/sync`, { what: 'all' })).requestId));
  const d = dash.data;
  const runs = d?.runs ?? fallback.data?.runs ?? [];
  const actionItems = Object.entries(d?.actionItems ?? {}).filter(([, n]) => typeof n === 'number' && n > 0);

  return (
    <>
      <PageTitle title="Dashboard" subtitle="Updates every 2 seconds.">
        <Button onClick={() => void sync.run()} loading={sync.busy} data-testid="sync-now">
          Sync now
        </Button>
      </PageTitle>
      <ErrorNote error={sync.error ?? (dash.error?.status === 404 ? undefined : dash.error)} />
      {requestId !== null && (
        <Stack mb="md">
          <SyncProgress key={requestId} tenant={tenant} requestId={requestId} />
        </Stack>
      )}
      <SimpleGrid cols={{ base: 1, md: 3 }} mb="md">
        {(d?.connections ?? []).map((c) => (
          <HealthCard key={c.system} c={c} />
        ))}
        {d?.running && (
          <Card withBorder data-testid="running-sync">
            <Text fw={600}>Sync running</Text>
            <Text size="sm" c="dimmed">
              run #{d.running.id} since <When at={d.running.startedAt ?? d.running.started_at} />
            </Text>
            <Text size="sm" data-testid="running-counts">
              {formatCounts(d.running.counts)}
            </Text>
          </Card>
        )}
      </SimpleGrid>

      <Card withBorder mb="md" data-testid="action-items">
        <Title order={4} mb="xs">
          Needs your action
        </Title>
        {actionItems.length === 0 ? (
          <Text c="dimmed" size="sm">
            Nothing: every product, order and invoice is where it should be.
          </Text>
        ) : (
          <Stack gap={4}>
            {actionItems.map(([k, n]) => (
              <Anchor key={k} component={Link} to={`/t/${enc(tenant)}/${ACTION_ITEMS[k]?.to ?? ''}`} data-testid={`action-${k}`}>
                {n} {ACTION_ITEMS[k]?.label ?? k}
              </Anchor>
            ))}
          </Stack>
        )}
      </Card>

      <SimpleGrid cols={{ base: 1, lg: 2 }} mb="md">
        <Section title="Orders per day" order={4}>
          {d?.ordersPerDay?.length ? (
            <BarChart h={220} data={d.ordersPerDay.map((o) => ({ day: o.day.slice(5, 10), orders: o.count }))} dataKey="day" series={[{ name: 'orders', color: 'indigo.6' }]} data-testid="chart-orders" />
          ) : (
            <Text c="dimmed" size="sm">
              No orders yet.
            </Text>
          )}
        </Section>
        <Section title="Publish latency (lexoffice change → on Cel.ro)" order={4}>
          {d?.publishLatency?.length ? (
            <LineChart h={220} data={d.publishLatency.map((p) => ({ at: new Date(p.at).toLocaleTimeString(), seconds: p.seconds }))} dataKey="at" unit=" s" series={[{ name: 'seconds', color: 'teal.6' }]} data-testid="chart-latency" />
          ) : (
            <Text c="dimmed" size="sm">
              Nothing published yet.
            </Text>
          )}
        </Section>
      </SimpleGrid>

      <SimpleGrid cols={{ base: 1, lg: 2 }} mb="md">
        {d?.apiBudget !== undefined && (
          <Section title="API budget" order={4}>
            <Budget value={d.apiBudget} />
          </Section>
        )}
        {d?.queue !== undefined && (
          <Section title="Job queue" order={4}>
            <Budget value={d.queue} />
          </Section>
        )}
      </SimpleGrid>

      <Section title="Last sync runs" order={4}>
        <RunsTable runs={runs} />
      </Section>
    </>
  );
}

function HealthCard({ c }: { c: ConnectionHealth }) {
  return (
    <Card withBorder data-testid={`health-${c.system}`} data-health={c.health}>
      <Group justify="space-between">
        <Text fw={600}>{c.system === 'celro' ? 'Cel.ro' : c.system}</Text>
        <StateBadge state={c.health} />
      </Group>
      <Text size="sm" c="dimmed">
        last heartbeat <When at={c.lastHeartbeat} />
      </Text>
      <Text size="sm" c="dimmed">
        next heartbeat <When at={c.nextHeartbeat} />
      </Text>
      {c.message && <Text size="sm">{c.message}</Text>}
    </Card>
  );
}

/** Numbers per key as a small list; anything else as JSON. */
function Budget({ value }: { value: unknown }) {
  if (value && typeof value === 'object' && !Array.isArray(value)) {
    return (
      <Stack gap={2}>
        {Object.entries(value as Record<string, unknown>).map(([k, v]) => (
          <Text key={k} size="sm">
            <b>{k}</b>: {typeof v === 'object' && v !== null ? Object.entries(v as Record<string, unknown>).map(([a, b]) => `${a} ${String(b)}`).join(', ') : String(v)}
          </Text>
        ))}
      </Stack>
    );
  }
  return <Json value={value} />;
}
