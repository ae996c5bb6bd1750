import { Anchor, Button, Group, SegmentedControl, Table, Text, TextInput } from '@mantine/core';
import { useDebouncedValue } from '@mantine/hooks';
import { useState } from 'react';
import { Link, useParams, useSearchParams } from 'react-router';
import { call, client, tenantPath } from '../api/client.ts';
import { useAction, useQuery } from '../api/hooks.ts';
import { ErrorNote, Head, PageTitle, StateBadge, When } from '../components/common.tsx';

const FILTERS = ['all', 'quarantined', 'needs_review', 'acknowledged', 'cancelled'] as const;

/** Cel.ro orders, newest first: state, total, lexoffice document, why one waits; filter by state, search. */
export function OrdersPage() {
  const tenant = useParams().tenant!;
  const [params, setParams] = useSearchParams();
  const state = params.get('state') ?? 'all';
  const [search, setSearch] = useState(params.get('q') ?? '');
  const [q] = useDebouncedValue(search, 300);
  const query = { ...(state === 'all' ? {} : { state: state as (typeof FILTERS)[number] }), ...(q ? { q } : {}), limit: 200 };
  const { data, error, reload } = useQuery(`${tenant}?${JSON.stringify(query)}`, () => call(client.GET('/api/tenants/{id}/orders', { params: { path: { id: tenant }, query: query as never } })), { refreshMs: 3000 });
  const poll = useAction(async () => {
    await call(client.POST('/api/tenants/{id}/orders/poll', tenantPath(tenant)));
    setTimeout(reload, 1500);
  });
  const counts: Record<string, number> = data?.counts ?? {};
  const total = Object.values(counts).reduce((a, b) => a + b, 0);
  return (
    <>
      <PageTitle title="Orders" subtitle="Every Cel.ro order becomes exactly one lexoffice document. Quarantined orders wait for a fix, then a replay.">
        <Button variant="default" onClick={() => void poll.run()} loading={poll.busy} data-testid="orders-poll">
          Read new orders from Cel.ro
        </Button>
      </PageTitle>
      <Group mb="md" align="flex-end">
        <SegmentedControl
          value={state}
          onChange={(v) => setParams(v === 'all' ? {} : { state: v })}
          data={FILTERS.map((f) => ({ value: f, label: `${f.replace('_', ' ')} (${f === 'all' ? total : (counts[f] ?? 0)})` }))}
          data-testid="orders-filter"
        />
        <TextInput placeholder="Search order, customer, document number" value={search} onChange={(e) => setSearch(e.currentTarget.value)} w={320} data-testid="orders-search" />
      </Group>
      <ErrorNote error={error ?? poll.error} />
      {data && data.orders.length === 0 && <Text c="dimmed">No orders{state !== 'all' ? ` in state ${state}` : ''}.</Text>}
      {data && data.orders.length > 0 && (
        <Table striped highlightOnHover data-testid="orders-table">
          <Head cols={['Order', 'Placed', 'Customer', 'Total', 'State', 'lexoffice', 'Why it waits']} />
          <Table.Tbody>
            {data.orders.map((o) => (
              <Table.Tr key={o.orderId} data-testid={`order-row-${o.orderId}`} data-state={o.state}>
                <Table.Td>
                  <Anchor component={Link} to={`/t/${encodeURIComponent(tenant)}/orders/${o.orderId}`} data-testid={`order-link-${o.orderId}`}>
                    {o.orderId}
                  </Anchor>
                </Table.Td>
                <Table.Td>
                  <When at={o.placedAt ?? o.receivedAt} />
                </Table.Td>
                <Table.Td>{o.customer.name ?? o.customer.email ?? '—'}</Table.Td>
                <Table.Td>{o.total ? `${o.total} ${o.currency ?? ''}` : '—'}</Table.Td>
                <Table.Td>
                  <StateBadge state={o.state} />
                </Table.Td>
                <Table.Td>{o.document ? `${o.document.type} ${o.document.number ?? ''}` : '—'}</Table.Td>
                <Table.Td>
                  <Text size="xs">{o.reason ?? o.actionItem ?? ''}</Text>
                </Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      )}
    </>
  );
}
