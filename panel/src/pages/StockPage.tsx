import { Anchor, Button, Card, Group, NumberInput, Select, SimpleGrid, Stack, Table, Text, TextInput, Title } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { useState } from 'react';
import { useParams } from 'react-router';
import { api, enc } from '../api/client.ts';
import { useAction, useApi } from '../api/hooks.ts';
import type { StockPolicy, StockRow } from '../api/types.ts';
import { ErrorNote, Head, PageTitle, When } from '../components/common.tsx';
import { StockImport } from './OnboardingPage.tsx';

/** Stock per SKU (on hand, reserved, published), the oversell buffer, the ledger of one SKU; set, adjust, import. */
export function StockPage() {
  const tenant = useParams().tenant!;
  const base = `/tenants/${enc(tenant)}`;
  const { data, error, reload } = useApi<{ items: StockRow[] }>(`${base}/stock`);
  const [filter, setFilter] = useState('');
  const [selected, setSelected] = useState<string | null>(null);
  const [file, setFile] = useState<File | null>(null);
  const [result, setResult] = useState<{ read: number; changed: number } | null>(null);
  const upload = useAction(async () => {
    if (!file) return;
    const json = file.name.toLowerCase().endsWith('.json');
    setResult(await api.post<{ read: number; changed: number }>(`${base}/stock/import`, undefined, { raw: { body: await file.text(), contentType: json ? 'application/json' : 'text/csv' } }));
    reload();
  });
  const items = (data?.items ?? []).filter((i) => !filter || i.sku.toLowerCase().includes(filter.toLowerCase()));
  return (
    <>
      <PageTitle title="Stock" subtitle="lexoffice keeps no stock: Vortex does. Published = on hand − reserved − buffer, 0 at or below the floor, at most the cap." />
      <ErrorNote error={error} />
      <SimpleGrid cols={{ base: 1, lg: 2 }} mb="md">
        <PolicyCard tenant={tenant} sku={null} current={data?.items[0]?.policy} onSaved={reload} />
        <StockImport file={file} setFile={setFile} upload={() => void upload.run()} busy={upload.busy} error={upload.error} result={result} />
      </SimpleGrid>
      {selected && <SkuCard tenant={tenant} sku={selected} row={data?.items.find((i) => i.sku === selected)} onChanged={reload} />}
      <Card withBorder>
        <Group mb="sm">
          <Title order={4}>Per SKU</Title>
          <TextInput placeholder="Filter SKU" value={filter} onChange={(e) => setFilter(e.currentTarget.value)} data-testid="stock-filter" />
        </Group>
        <Table striped highlightOnHover data-testid="stock-table">
          <Head cols={['SKU', 'On hand', 'Reserved', 'Published', 'Buffer / floor / cap', 'Changed']} />
          <Table.Tbody>
            {items.slice(0, 500).map((i) => (
              <Table.Tr key={i.sku} data-testid="stock-row" data-sku={i.sku}>
                <Table.Td>
                  <Anchor component="button" onClick={() => setSelected(i.sku)}>
                    {i.sku}
                  </Anchor>
                </Table.Td>
                <Table.Td>{i.onHand}</Table.Td>
                <Table.Td>{i.reserved}</Table.Td>
                <Table.Td>{i.published}</Table.Td>
                <Table.Td>
                  {i.policy.bufferValue}
                  {i.policy.bufferKind === 'percent' ? ' %' : ''} / {i.policy.floor} / {i.policy.cap ?? '—'}
                </Table.Td>
                <Table.Td>
                  <When at={i.updatedAt} />
                </Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
        {items.length > 500 && <Text c="dimmed">…{items.length - 500} more: filter by SKU.</Text>}
      </Card>
    </>
  );
}

function PolicyCard({ tenant, sku, current, onSaved }: { tenant: string; sku: string | null; current?: StockPolicy | undefined; onSaved: () => void }) {
  const [kind, setKind] = useState<string | null>(current?.bufferKind ?? 'absolute');
  const [value, setValue] = useState(current?.bufferValue ?? '0');
  const [floor, setFloor] = useState<number | string>(current?.floor ?? 0);
  const [cap, setCap] = useState<number | string>(current?.cap ?? '');
  const save = useAction(async () => {
    await api.put(`/tenants/${enc(tenant)}/stock-policy${sku ? `/${enc(sku)}` : ''}`, { bufferKind: kind, bufferValue: value, floor: Number(floor), cap: cap === '' ? null : Number(cap) });
    notifications.show({ color: 'green', message: `Buffer policy ${sku ? `of ${sku}` : 'of the shop'} saved.` });
    onSaved();
  });
  return (
    <Card withBorder>
      <Title order={5} mb="xs">
        Oversell buffer {sku ? `for ${sku}` : 'for the whole shop'}
      </Title>
      <Group align="flex-end">
        <Select label="Buffer" data={[{ value: 'absolute', label: 'units' }, { value: 'percent', label: 'percent' }]} value={kind} onChange={setKind} w={120} />
        <TextInput label="Value" value={value} onChange={(e) => setValue(e.currentTarget.value)} w={90} data-testid={`policy-value${sku ? '-sku' : ''}`} />
        <NumberInput label="Floor" value={floor} onChange={setFloor} min={0} w={90} />
        <NumberInput label="Cap" value={cap} onChange={setCap} min={0} w={90} placeholder="none" />
        <Button onClick={() => void save.run()} loading={save.busy} data-testid={`policy-save${sku ? '-sku' : ''}`}>
          Save
        </Button>
      </Group>
      <ErrorNote error={save.error} />
    </Card>
  );
}

function SkuCard({ tenant, sku, row, onChanged }: { tenant: string; sku: string; row: StockRow | undefined; onChanged: () => void }) {
  const base = `/tenants/${enc(tenant)}/stock/${enc(sku)}`;
  const ledger = useApi<{ entries: Array<Record<string, unknown>> }>(`${base}/ledger`);
  const [onHand, setOnHand] = useState<number | string>(row?.onHand ?? 0);
  const [delta, setDelta] = useState<number | string>(0);
  const [reason, setReason] = useState('');
  const done = () => {
    onChanged();
    ledger.reload();
  };
  const set = useAction(async () => {
    await api.put(base, { onHand: Number(onHand), reason: reason || 'set in the panel' });
    done();
  });
  const adjust = useAction(async () => {
    await api.post(`${base}/adjust`, { delta: Number(delta), reason: reason || 'adjusted in the panel' });
    done();
  });
  return (
    <Card withBorder mb="md" data-testid="stock-sku">
      <Title order={4} mb="xs">
        {sku}: on hand {row?.onHand ?? '—'}, reserved {row?.reserved ?? '—'}, published {row?.published ?? '—'}
      </Title>
      <Stack>
        <Group align="flex-end">
          <NumberInput label="On hand" value={onHand} onChange={setOnHand} min={0} w={120} />
          <Button variant="light" onClick={() => void set.run()} loading={set.busy}>
            Set
          </Button>
          <NumberInput label="Change by ±" value={delta} onChange={setDelta} w={120} />
          <Button variant="light" onClick={() => void adjust.run()} loading={adjust.busy}>
            Adjust
          </Button>
          <TextInput label="Reason" value={reason} onChange={(e) => setReason(e.currentTarget.value)} w={260} />
        </Group>
        <ErrorNote error={set.error ?? adjust.error} />
        <PolicyCard tenant={tenant} sku={sku} current={row?.policy} onSaved={onChanged} />
        <Title order={5}>Ledger</Title>
        {ledger.error ? (
          <ErrorNote error={ledger.error} />
        ) : (
          <Table data-testid="stock-ledger">
            <Head cols={['When', 'Kind', 'Requested', 'On hand after', 'Reserved after', 'Why', 'Who']} />
            <Table.Tbody>
              {(ledger.data?.entries ?? []).map((e, i) => (
                <Table.Tr key={i}>
                  <Table.Td>
                    <When at={e.at as string} />
                  </Table.Td>
                  <Table.Td>{String(e.kind ?? '')}</Table.Td>
                  <Table.Td>{String(e.requested ?? '')}</Table.Td>
                  <Table.Td>{String(e.on_hand_after ?? e.onHandAfter ?? '')}</Table.Td>
                  <Table.Td>{String(e.reserved_after ?? e.reservedAfter ?? '')}</Table.Td>
                  <Table.Td>{String(e.reason ?? '')}</Table.Td>
                  <Table.Td>{String(e.author ?? '')} {e.source ? `(${String(e.source)})` : ''}</Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        )}
      </Stack>
    </Card>
  );
}
