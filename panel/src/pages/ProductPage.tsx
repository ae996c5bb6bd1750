import { Alert, Anchor, Button, Group, SimpleGrid, Stack, Table, Text } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { Link, useParams } from 'react-router';
import { call, client } from '../api/client.ts';
import { useAction, useQuery } from '../api/hooks.ts';
import type { OfferDetail } from '../api/types.ts';
import { ErrorNote, Head, Json, PageTitle, Section, StateBadge, When } from '../components/common.tsx';

const show = (v: unknown) => (v === undefined || v === null ? '—' : typeof v === 'object' ? JSON.stringify(v) : String(v));
const versionLabel = (v: OfferDetail['lineage']['desired']) => (v ? `version ${v.version}${v.active ? ' (active)' : ''}: ${v.name}` : '—');

/** One SKU: the lexoffice article, the offer mapped from it field by field with the rule version behind each value, approval, stock. */
export function ProductPage() {
  const { tenant, sku } = useParams() as { tenant: string; sku: string };
  const path = { params: { path: { id: tenant, sku } } };
  const { data, error, reload } = useQuery(`${tenant}/${sku}`, () => call(client.GET('/api/tenants/{id}/offers/{sku}', path)));
  const approve = useAction(async () => {
    await call(client.POST('/api/tenants/{id}/offers/{sku}/approve-price', path));
    notifications.show({ color: 'green', message: `The new price of ${sku} goes to Cel.ro with the next run (requested now).` });
    reload();
  });
  const offer = data?.offer;
  /** A rule version id as its number ("version 3"), from the versions the lineage names. */
  const versionOf = (id: number | null) => {
    if (id === null) return '—';
    const v = [data?.lineage.desired, data?.lineage.pushed].find((x) => x?.id === id);
    return v ? `version ${v.version}` : `id ${id}`;
  };
  return (
    <>
      <PageTitle title={data?.product?.name ? `${sku} · ${data.product.name}` : sku} subtitle={<Anchor component={Link} to={`/t/${encodeURIComponent(tenant)}/products`}>← all products</Anchor>}>
        {offer?.held_reason && (
          <Button color="orange" onClick={() => void approve.run()} loading={approve.busy} disabled={offer.override_next} data-testid="approve-price">
            {offer.override_next ? 'Approved: sending' : 'Approve the held price'}
          </Button>
        )}
      </PageTitle>
      <ErrorNote error={error ?? approve.error} />
      {offer?.held_reason && (
        <Alert color="orange" title="Price held" mb="md">
          {offer.held_reason} (since <When at={offer.held_at} />)
        </Alert>
      )}
      {offer?.last_error && (
        <Alert color="red" title="Last error" mb="md">
          {offer.last_error}
        </Alert>
      )}
      {data && (
        <Stack>
          <SimpleGrid cols={{ base: 1, md: 3 }}>
            <Section title="Cel.ro">
              <Group gap="xs">
                <StateBadge state={offer?.approval ?? 'not listed'} />
                {offer && !offer.active && <StateBadge state="inactive" />}
              </Group>
              {offer?.approval_reason && <Text size="sm">{offer.approval_reason}</Text>}
              <Text size="sm" c="dimmed">
                last push <When at={offer?.pushed_at} />
              </Text>
            </Section>
            <Section title="Stock">
              {data.stock ? (
                <Text size="sm">
                  on hand {data.stock.onHand} · reserved {data.stock.reserved} · published {data.stock.published}
                </Text>
              ) : (
                <Text size="sm" c="dimmed">
                  no stock recorded
                </Text>
              )}
            </Section>
            <Section title="Rule versions (lineage)">
              <Text size="sm">wanted: {versionLabel(data.lineage.desired)}</Text>
              <Text size="sm">on Cel.ro: {versionLabel(data.lineage.pushed)}</Text>
            </Section>
          </SimpleGrid>
          <Section title="Offer fields: wanted, on Cel.ro, and the rule version behind each">
            <Table data-testid="offer-fields">
              <Head cols={['Field', 'Wanted', 'Pushed', 'Rule version', 'In sync']} />
              <Table.Tbody>
                {data.lineage.fields.map((f) => (
                  <Table.Tr key={f.field}>
                    <Table.Td>{f.field}</Table.Td>
                    <Table.Td>{show(f.desired)}</Table.Td>
                    <Table.Td>{show(f.pushed)}</Table.Td>
                    <Table.Td>
                      {versionOf(f.desiredBy)}
                      {f.pushedBy !== f.desiredBy ? ` (on Cel.ro: ${versionOf(f.pushedBy)})` : ''}
                    </Table.Td>
                    <Table.Td>{f.inSync ? '✓' : <Text c="orange">differs</Text>}</Table.Td>
                  </Table.Tr>
                ))}
              </Table.Tbody>
            </Table>
          </Section>
          <Section title="lexoffice article">
            {data.product ? (
              <>
                <Text size="sm" mb="xs">
                  {data.product.archived ? 'archived · ' : ''}read <When at={data.product.updatedAt} />
                </Text>
                <Json value={data.product.article} />
              </>
            ) : (
              <Text c="dimmed">not read from lexoffice</Text>
            )}
          </Section>
        </Stack>
      )}
    </>
  );
}
