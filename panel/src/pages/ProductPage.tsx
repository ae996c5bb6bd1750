import { Alert, Anchor, Button, Card, Group, SimpleGrid, Stack, Table, Text, Title } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { Link, useParams } from 'react-router';
import { api, enc } from '../api/client.ts';
import { useAction, useApi } from '../api/hooks.ts';
import type { Offer, StockRow } from '../api/types.ts';
import { ErrorNote, Head, Json, PageTitle, Section, StateBadge, When } from '../components/common.tsx';

interface ProductDetail {
  readonly product?: Record<string, unknown> | null;
  readonly offer?: Offer | null;
  readonly lineage?: unknown;
  readonly stock?: StockRow | null;
}

const show = (v: unknown) => (v === undefined || v === null ? '—' : typeof v === 'object' ? JSON.stringify(v) : String(v));

/** One SKU: the lexoffice article, the offer Vortex maps from it (and what was pushed), approval, lineage, stock. */
export function ProductPage() {
  const { tenant, sku } = useParams() as { tenant: string; sku: string };
  const { data, error, reload } = useApi<ProductDetail>(`/tenants/${enc(tenant)}/offers/${enc(sku)}`);
  const approve = useAction(async () => {
    await api.post(`/tenants/${enc(tenant)}/offers/${enc(sku)}/approve-price`);
    notifications.show({ color: 'green', message: `The new price of ${sku} will be sent to Cel.ro with the next run (requested now).` });
    reload();
  });
  const offer = data?.offer;
  const fields = [...new Set([...Object.keys(offer?.desired ?? {}), ...Object.keys(offer?.pushed ?? {})])];
  return (
    <>
      <PageTitle title={sku} subtitle={<Anchor component={Link} to={`/t/${enc(tenant)}/products`}>← all products</Anchor>}>
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
            <Card withBorder>
              <Title order={5}>Cel.ro</Title>
              <Group gap="xs">
                <StateBadge state={offer?.approval ?? (offer?.listed ? 'listed' : 'not listed')} />
                {offer && !offer.active && <StateBadge state="inactive" />}
              </Group>
              {offer?.approval_reason && <Text size="sm">{offer.approval_reason}</Text>}
              <Text size="sm" c="dimmed">
                last push <When at={offer?.pushed_at} />
              </Text>
            </Card>
            <Card withBorder>
              <Title order={5}>Stock</Title>
              {data.stock ? (
                <Text size="sm">
                  on hand {data.stock.onHand} · reserved {data.stock.reserved} · published {data.stock.published}
                </Text>
              ) : (
                <Text size="sm" c="dimmed">
                  no stock recorded
                </Text>
              )}
            </Card>
            <Card withBorder>
              <Title order={5}>Rule versions</Title>
              <Text size="sm">
                wanted by version id {show(offer?.rule_version_id)}, pushed with {show(offer?.pushed_rule_version_id)}
              </Text>
            </Card>
          </SimpleGrid>
          <Section title="Offer fields: wanted and pushed">
            <Table data-testid="offer-fields">
              <Head cols={['Field', 'Wanted', 'Pushed']} />
              <Table.Tbody>
                {fields.map((f) => (
                  <Table.Tr key={f}>
                    <Table.Td>{f}</Table.Td>
                    <Table.Td>{show(offer?.desired?.[f])}</Table.Td>
                    <Table.Td c={show(offer?.desired?.[f]) !== show(offer?.pushed?.[f]) ? 'orange' : undefined}>{show(offer?.pushed?.[f])}</Table.Td>
                  </Table.Tr>
                ))}
              </Table.Tbody>
            </Table>
          </Section>
          <SimpleGrid cols={{ base: 1, md: 2 }}>
            <Section title="lexoffice article">
              {data.product ? <Json value={data.product} /> : <Text c="dimmed">not read from lexoffice</Text>}
            </Section>
            <Section title="Lineage (which rule produced each value)">
              {data.lineage ? <Json value={data.lineage} /> : <Text c="dimmed">—</Text>}
            </Section>
          </SimpleGrid>
        </Stack>
      )}
    </>
  );
}
