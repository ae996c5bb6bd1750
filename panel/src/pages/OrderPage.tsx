import { Alert, Anchor, Button, Card, Group, SimpleGrid, Stack, Table, Text, Timeline, Title } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { Link, useParams } from 'react-router';
import { call, client } from '../api/client.ts';
import { useAction, useQuery } from '../api/hooks.ts';

/** A shipment as the order detail lists it (free-form in the API description). */
interface Shipment {
  courier: string;
  courierName: string | null;
  awbNumber: string | null;
  trackingState: string | null;
  celStatus: string | null;
  lastError: string | null;
}
import { ErrorNote, Json, PageTitle, Section, StateBadge, When } from '../components/common.tsx';

/** A history entry's details as "key: value · …" (long values cut). */
function describe(detail: unknown): string {
  if (typeof detail !== 'object' || detail === null) return String(detail);
  return Object.entries(detail as Record<string, unknown>)
    .filter(([, v]) => v !== null && v !== undefined && !(Array.isArray(v) && v.length === 0))
    .map(([k, v]) => `${k}: ${(typeof v === 'string' ? v : JSON.stringify(v)).slice(0, 160)}`)
    .join(' · ');
}

/** One order: state history, lexoffice document, invoice, shipments (AWB), payment; replay when quarantined. */
export function OrderPage() {
  const { tenant, orderId } = useParams() as { tenant: string; orderId: string };
  const path = { params: { path: { id: tenant, orderId } } };
  const { data: o, error, reload } = useQuery(`${tenant}/${orderId}`, () => call(client.GET('/api/tenants/{id}/orders/{orderId}', path)), { refreshMs: 3000 });
  const replay = useAction(async () => {
    await call(client.POST('/api/tenants/{id}/orders/{orderId}/replay', path));
    notifications.show({ color: 'green', message: `Order ${orderId} is being imported again.` });
    reload();
  });
  const canReplay = o && (o.state === 'quarantined' || o.state === 'needs_review');
  return (
    <>
      <PageTitle title={`Order ${orderId}`} subtitle={<Anchor component={Link} to={`/t/${encodeURIComponent(tenant)}/orders`}>← all orders</Anchor>}>
        {canReplay && (
          <Button color="orange" onClick={() => void replay.run()} loading={replay.busy} data-testid="order-replay">
            Replay
          </Button>
        )}
      </PageTitle>
      <ErrorNote error={error ?? replay.error} />
      {o && (
        <Stack>
          <Group>
            <StateBadge state={o.state} data-testid="order-state" />
            <Text>
              {o.total} {o.currency} · {o.customer.name ?? ''} {o.customer.email ? `<${o.customer.email}>` : ''}
            </Text>
          </Group>
          {o.reason && (
            <Alert color={o.state === 'quarantined' ? 'orange' : 'gray'} title={o.reasonCode ?? 'Note'} data-testid="order-reason">
              {o.reason}
              {o.state === 'quarantined' && o.reasonCode === 'unknown_sku' && (
                <Text size="sm" mt="xs">
                  Map the Cel.ro model to a lexoffice article in the{' '}
                  <Anchor component={Link} to={`/t/${encodeURIComponent(tenant)}/mapping?direction=order`}>
                    order rules (sku-to-article)
                  </Anchor>
                  , then replay.
                </Text>
              )}
            </Alert>
          )}
          <SimpleGrid cols={{ base: 1, md: 3 }}>
            <Card withBorder data-testid="order-document">
              <Title order={5}>lexoffice document</Title>
              {o.document ? (
                <Text size="sm">
                  {o.document.type} {o.document.number ?? '(no number yet)'} · {o.document.status}
                  <br />
                  {o.document.link && (
                    <Anchor href={o.document.link} target="_blank" rel="noreferrer">
                      open in lexoffice
                    </Anchor>
                  )}
                </Text>
              ) : (
                <Text size="sm" c="dimmed">
                  not created yet
                </Text>
              )}
            </Card>
            <Card withBorder>
              <Title order={5}>Invoice on Cel.ro</Title>
              <Group gap="xs">
                <StateBadge state={o.invoice.state} />
                <Text size="sm">{[o.invoice.series, o.invoice.number].filter(Boolean).join(' ')}</Text>
              </Group>
              {o.invoice.reason && <Text size="sm">{o.invoice.reason}</Text>}
            </Card>
            <Card withBorder>
              <Title order={5}>Payment</Title>
              {o.payment ? (
                <Group gap="xs">
                  <StateBadge state={String(o.payment.status ?? 'unknown')} />
                  <Text size="sm">
                    {String(o.payment.method ?? '')} {o.payment.source ? `(${String(o.payment.source)})` : ''}
                  </Text>
                </Group>
              ) : (
                <Text size="sm" c="dimmed">—</Text>
              )}
            </Card>
          </SimpleGrid>
          <Section title="Shipments (AWB)">
            {o.shipments.length === 0 ? (
              <Text size="sm" c="dimmed">
                No AWB yet.
              </Text>
            ) : (
              <Table>
                <Table.Tbody>
                  {(o.shipments as unknown as Shipment[]).map((s, i) => (
                    <Table.Tr key={i}>
                      <Table.Td>{s.courierName ?? s.courier}</Table.Td>
                      <Table.Td>{s.awbNumber}</Table.Td>
                      <Table.Td>
                        <StateBadge state={s.trackingState} />
                      </Table.Td>
                      <Table.Td>{s.celStatus}</Table.Td>
                      <Table.Td>{s.lastError}</Table.Td>
                    </Table.Tr>
                  ))}
                </Table.Tbody>
              </Table>
            )}
          </Section>
          <SimpleGrid cols={{ base: 1, md: 2 }}>
            <Section title="State history">
              <Timeline bulletSize={14} lineWidth={2} data-testid="order-history">
                {o.history.map((h, i) => (
                  <Timeline.Item key={i} title={h.to_state ? h.to_state.replace(/_/g, ' ') : h.kind}>
                    <Text size="xs" c="dimmed">
                      <When at={h.at} />
                    </Text>
                    {h.detail !== undefined && h.detail !== null && (
                      <Text size="xs" style={{ wordBreak: 'break-word' }}>
                        {describe(h.detail)}
                      </Text>
                    )}
                  </Timeline.Item>
                ))}
              </Timeline>
            </Section>
            <Section title="API calls made for it">
              <Table>
                <Table.Tbody>
                  {o.apiCalls.map((c, i) => (
                    <Table.Tr key={i}>
                      <Table.Td>
                        <Text size="xs">{String(c.call ?? '')}</Text>
                      </Table.Td>
                      <Table.Td>
                        <Text size="xs">{String(c.outcome ?? c.status ?? '')}</Text>
                      </Table.Td>
                      <Table.Td>
                        <When at={c.at as string} />
                      </Table.Td>
                    </Table.Tr>
                  ))}
                </Table.Tbody>
              </Table>
            </Section>
          </SimpleGrid>
          <Section title="Cel.ro order as received">
            <Json value={o.raw} />
          </Section>
        </Stack>
      )}
    </>
  );
}
