import { Anchor, Button, Group, SegmentedControl, Table, Text, TextInput } from '@mantine/core';
import { useDebouncedValue } from '@mantine/hooks';
import { useState } from 'react';
import { Link, useNavigate, useParams, useSearchParams } from 'react-router';
import { call, client } from '../api/client.ts';
import { useQuery } from '../api/hooks.ts';
import { ErrorNote, Head, PageTitle, StateBadge, When } from '../components/common.tsx';

const STATES = ['all', 'held', 'rejected', 'pending', 'error'] as const;
const PAGE = 200;

/** Every SKU as Vortex publishes it: price and quantity wanted vs pushed, Cel.ro approval, holds, errors. */
export function ProductsPage() {
  const tenant = useParams().tenant!;
  const navigate = useNavigate();
  const [params, setParams] = useSearchParams();
  const state = params.get('state') ?? 'all';
  const after = params.get('after') ?? '';
  const [search, setSearch] = useState(params.get('q') ?? '');
  const [q] = useDebouncedValue(search.trim(), 300);
  const query = { state: state as (typeof STATES)[number], after, limit: PAGE, ...(q ? { q } : {}) };
  const { data, error } = useQuery(`${tenant}?${JSON.stringify(query)}`, () => call(client.GET('/api/tenants/{id}/offers', { params: { path: { id: tenant }, query } })));
  const offers = data?.offers ?? [];
  const last = data?.offers.at(-1)?.sku;
  return (
    <>
      <PageTitle title="Products" subtitle="What Vortex wants on Cel.ro and what it pushed, with Cel.ro's approval and any price held by its guard." />
      <Group mb="md" align="flex-end">
        <SegmentedControl value={state} onChange={(v) => setParams(v === 'all' ? {} : { state: v })} data={STATES.map((s) => ({ value: s, label: s }))} data-testid="products-filter" />
        <TextInput placeholder="Filter by SKU or name" value={search} onChange={(e) => setSearch(e.currentTarget.value)} w={260} data-testid="products-search" />
        <TextInput
          placeholder="Open SKU…"
          w={180}
          onKeyDown={(e) => {
            if (e.key === 'Enter' && e.currentTarget.value.trim()) navigate(`/t/${encodeURIComponent(tenant)}/products/${encodeURIComponent(e.currentTarget.value.trim())}`);
          }}
          data-testid="products-open"
        />
      </Group>
      <ErrorNote error={error} />
      {data && offers.length === 0 && <Text c="dimmed">No products here.</Text>}
      {offers.length > 0 && (
        <Table striped highlightOnHover data-testid="products-table">
          <Head cols={['SKU', 'Name', 'Price wanted', 'Price pushed', 'Qty', 'Cel.ro', 'Last push', 'Note']} />
          <Table.Tbody>
            {offers.map((o) => (
              <Table.Tr key={o.sku} data-testid="product-row" data-sku={o.sku}>
                <Table.Td>
                  <Anchor component={Link} to={`/t/${encodeURIComponent(tenant)}/products/${encodeURIComponent(o.sku)}`}>
                    {o.sku}
                  </Anchor>
                </Table.Td>
                <Table.Td>
                  <Text size="sm" lineClamp={1}>
                    {String(o.desired?.products_name ?? '')}
                  </Text>
                </Table.Td>
                <Table.Td>{String(o.desired?.pretf ?? '—')}</Table.Td>
                <Table.Td>{String(o.pushed?.pretf ?? '—')}</Table.Td>
                <Table.Td>
                  {o.pushed_qty ?? '—'}/{o.published_qty ?? '—'}
                </Table.Td>
                <Table.Td>
                  <StateBadge state={o.held_reason ? 'held' : (o.approval ?? (o.listed ? 'listed' : 'not listed'))} />
                </Table.Td>
                <Table.Td>
                  <When at={o.pushed_at} />
                </Table.Td>
                <Table.Td>
                  <Text size="xs" c={o.last_error ? 'red' : undefined} lineClamp={2}>
                    {o.last_error ?? o.held_reason ?? o.approval_reason ?? ''}
                  </Text>
                </Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      )}
      <Group mt="md">
        {after && (
          <Button variant="default" onClick={() => setParams(state === 'all' ? {} : { state })}>
            First page
          </Button>
        )}
        {data && data.offers.length === PAGE && last && (
          <Button variant="default" onClick={() => setParams({ ...(state === 'all' ? {} : { state }), after: last })}>
            Next page
          </Button>
        )}
      </Group>
    </>
  );
}
