import '@mantine/charts/styles.css'; // with the charts, loaded with this page
import { BarChart, LineChart } from '@mantine/charts';
import { Anchor, Button, Card, Group, SimpleGrid, Stack, Table, Text } from '@mantine/core';
import { useState } from 'react';
import { Link, useParams } from 'react-router';
import { call, client, tenantPath } from '../api/client.ts';
import { useAction, useQuery } from '../api/hooks.ts';
import type { Alert, ConnectionHealth, Dashboard } from '../api/types.ts';
import { ErrorNote, formatCounts, Head, PageTitle, Section, StateBadge, When } from '../components/common.tsx';
import { RunsTable } from '../components/RunsTable.tsx';
import { SyncProgress } from '../components/SyncProgress.tsx';

const ACTION_ITEMS: Record<keyof Dashboard['actionItems'], { label: string; to: (key: string) => string; all: string }> = {
  heldPrices: { label: 'price changes held for approval', to: (k) => `products/${encodeURIComponent(k)}`, all: 'products?state=held' },
  quarantinedOrders: { label: 'orders in quarantine', to: (k) => `orders/${k}`, all: 'orders?state=quarantined' },
  ordersNeedingReview: { label: 'orders to review', to: (k) => `orders/${k}`, all: 'orders?state=needs_review' },
  rejectedProducts: { label: 'products rejected by Cel.ro', to: (k) => `products/${encodeURIComponent(k)}`, all: 'products?state=rejected' },
  failedInvoiceUploads: { label: 'invoice uploads failed', to: (k) => `orders/${k}`, all: 'orders' },
  syncFailures: { label: 'items failed in the last sync', to: (k) => `products/${encodeURIComponent(k)}`, all: 'products?state=error' },
};

/** How the shop's sync stands: connections, running sync (live), runs, charts, what needs action. Refreshes every 2 s. */
export function DashboardPage() {
  const tenant = useParams().tenant!;
  const dash = useQuery(tenant, () => call(client.GET('/api/tenants/{id}/dashboard', tenantPath(tenant))), { refreshMs: 2000 });
  const [requestId, setRequestId] = useState<number | null>(null);
  const sync = useAction(async () => setRequestId((await call(client.POST('/api/tenants/{id}/sync', { ...tenantPath(tenant), body: { what: 'all' } }))).requestId));
  const alerts = useQuery(tenant, () => call(client.GET('/api/tenants/{id}/alerts', { params: { path: { id: tenant }, query: { state: 'open', limit: 20 } } })), { refreshMs: 10_000 });
  const d = dash.data;
  const actionItems = d ? (Object.entries(d.actionItems) as Array<[keyof Dashboard['actionItems'], Dashboard['actionItems'][keyof Dashboard['actionItems']]]>).filter(([, g]) => g.count > 0) : [];
  const base = `/t/${encodeURIComponent(tenant)}`;

  return (
    <>
      <PageTitle title={d ? `Dashboard · ${d.tenant.name}` : 'Dashboard'} subtitle={`Updates every 2 seconds. Heartbeat every ${d?.heartbeatMinutes ?? '…'} minutes.`}>
        <Button onClick={() => void sync.run()} loading={sync.busy} data-testid="sync-now">
          Sync now
        </Button>
      </PageTitle>
      <ErrorNote error={sync.error ?? dash.error} />
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
          <Section title="Sync running" data-testid="running-sync">
            <Text size="sm" c="dimmed">
              run #{d.running.id} ({d.running.what.join(', ')}) since <When at={d.running.startedAt} />
            </Text>
            <Text size="sm" data-testid="running-counts">
              {formatCounts(d.running.counts)}
            </Text>
          </Section>
        )}
      </SimpleGrid>

      <Section title="Needs your action" order={4} data-testid="action-items">
        {actionItems.length === 0 ? (
          <Text c="dimmed" size="sm">
            Nothing: every product, order and invoice is where it should be.
          </Text>
        ) : (
          <Stack gap="xs">
            {actionItems.map(([k, g]) => (
              <div key={k}>
                <Anchor component={Link} to={`${base}/${ACTION_ITEMS[k].all}`} fw={600} data-testid={`action-${k}`}>
                  {g.count} {ACTION_ITEMS[k].label}
                </Anchor>
                {g.items.map((i) => (
                  <Text key={i.key} size="sm">
                    <Anchor component={Link} to={`${base}/${ACTION_ITEMS[k].to(i.key)}`}>
                      {i.key}
                    </Anchor>
                    {i.reason ? `: ${i.reason}` : ''}
                  </Text>
                ))}
              </div>
            ))}
          </Stack>
        )}
      </Section>

      <Stack mt="md">
        <AlertsCard alerts={alerts.data?.alerts} />
      </Stack>

      <SimpleGrid cols={{ base: 1, lg: 2 }} my="md">
        <Section title="Orders per day (14 days)" order={4}>
          {d?.ordersPerDay.some((o) => o.count > 0) ? (
            <BarChart h={220} data={d.ordersPerDay.map((o) => ({ day: o.day.slice(5, 10), orders: o.count }))} dataKey="day" series={[{ name: 'orders', color: 'indigo.6' }]} data-testid="chart-orders" />
          ) : (
            <Text c="dimmed" size="sm">
              No orders in the last 14 days.
            </Text>
          )}
        </Section>
        <Section title="Publish latency (catalog runs, seconds)" order={4}>
          {d?.publishLatency.length ? (
            <LineChart h={220} data={d.publishLatency.map((p) => ({ at: new Date(p.at).toLocaleTimeString(), seconds: p.seconds }))} dataKey="at" unit=" s" curveType="linear" series={[{ name: 'seconds', color: 'teal.6' }]} data-testid="chart-latency" />
          ) : (
            <Text c="dimmed" size="sm">
              No catalog run yet.
            </Text>
          )}
        </Section>
      </SimpleGrid>

      <SimpleGrid cols={{ base: 1, lg: 2 }} mb="md">
        <Section title="API budget" order={4}>
          <Table>
            <Head cols={['API', 'last hour', 'last 24 h', '429s (24 h)', 'budget']} />
            <Table.Tbody>
              {(d?.apiBudget ?? []).map((b) => (
                <Table.Tr key={b.api}>
                  <Table.Td>{b.api}</Table.Td>
                  <Table.Td>{b.lastHour}</Table.Td>
                  <Table.Td>{b.last24h}</Table.Td>
                  <Table.Td>{b.rateLimited24h}</Table.Td>
                  <Table.Td>
                    <Text size="xs">{b.limit}</Text>
                  </Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </Section>
        <Section title="Job queue" order={4}>
          {d && (
            <Text size="sm">
              {d.queue.queued} queued · {d.queue.active} running · {d.queue.retrying} retrying{d.queue.perTenant ? '' : ' (all shops)'}
            </Text>
          )}
          {d?.queue.note && (
            <Text size="xs" c="dimmed">
              {d.queue.note}
            </Text>
          )}
        </Section>
      </SimpleGrid>

      <Section title="Last sync runs" order={4}>
        <RunsTable runs={d?.runs ?? []} />
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
        last heartbeat <When at={c.lastHeartbeatAt} />
      </Text>
      <Text size="sm" c="dimmed">
        next heartbeat <When at={c.nextHeartbeatAt} />
      </Text>
      {c.lastError && (
        <Text size="sm" c="red">
          {c.lastError}
        </Text>
      )}
    </Card>
  );
}

/** Open alerts (stalled or disconnected connections, action items) and whether their notifications went out. */
function AlertsCard({ alerts }: { alerts: Alert[] | undefined }) {
  return (
    <Section title="Alerts" order={4} data-testid="alerts">
      {!alerts?.length ? (
        <Text c="dimmed" size="sm">
          No open alert.
        </Text>
      ) : (
        <Stack gap="xs">
          {alerts.map((a) => {
            const failing = a.deliveries.filter((x) => x.status === 'pending' && x.lastError);
            return (
              <div key={a.id} data-testid={`alert-${a.kind}`}>
                <Group gap="xs">
                  <StateBadge state={a.kind} />
                  <Text size="sm">{a.summary}</Text>
                </Group>
                <Text size="xs" c="dimmed">
                  since <When at={a.firstSeen} />
                  {a.deliveries.length === 0 ? ' · no alert destination configured' : failing.length ? ` · not delivered yet: ${failing.map((x) => `${x.channel} (${x.lastError})`).join(', ')}` : ' · notified'}
                </Text>
              </div>
            );
          })}
        </Stack>
      )}
    </Section>
  );
}
