import { Anchor, Button, Group, NumberInput, Select, SimpleGrid, Stack, Table, Text, TextInput } from '@mantine/core';
import { useDebouncedValue } from '@mantine/hooks';
import { notifications } from '@mantine/notifications';
import { useState } from 'react';
import { useParams } from 'react-router';
import { call, client, tenantPath } from '../api/client.ts';
import { useAction, useQuery } from '../api/hooks.ts';
import type { StockImportResult, StockPolicy, StockRow } from '../api/types.ts';
import { ErrorNote, Head, PageTitle, Section, When } from '../components/common.tsx';
import { importStockFile, StockImport } from './OnboardingPage.tsx';

const PAGE = 200;

/** Stock per SKU (on hand, reserved, published), the oversell buffer, the ledger of one SKU; set, adjust, import. */
export function StockPage() {
  const tenant = useParams().tenant!;
  const [search, setSearch] = useState('');
  const [q] = useDebouncedValue(search, 300);
  const [after, setAfter] = useState<string[]>([]);
  const query = { limit: PAGE, ...(q ? { q } : {}), ...(after.length ? { after: after[after.length - 1] } : {}) };
  const list = useQuery(`${tenant}?${JSON.stringify(query)}`, () => call(client.GET('/api/tenants/{id}/stock', { params: { path: { id: tenant }, query } })));
  const policy = useQuery(tenant, () => call(client.GET('/api/tenants/{id}/stock-policy', tenantPath(tenant))));
  const [selected, setSelected] = useState<string | null>(null);
  const [file, setFile] = useState<File | null>(null);
  const [result, setResult] = useState<StockImportResult | null>(null);
  const reload = () => {
    list.reload();
    policy.reload();
  };
  const upload = useAction(async () => {
    if (!file) return;
    setResult(await importStockFile(tenant, file));
    reload();
  });
  const items = list.data?.items ?? [];
  return (
    <>
      <PageTitle title="Stock" subtitle="lexoffice keeps no stock: Vortex does. Published = on hand − reserved − buffer, 0 at or below the floor, at most the cap." />
      <ErrorNote error={list.error ?? policy.error} />
      <SimpleGrid cols={{ base: 1, lg: 2 }} mb="md">
        {policy.data && <PolicyCard key={JSON.stringify(policy.data.effective)} tenant={tenant} sku={null} current={policy.data.effective} onSaved={reload} />}
        <StockImport file={file} setFile={setFile} upload={() => void upload.run()} busy={upload.busy} error={upload.error} result={result} />
      </SimpleGrid>
      {selected && <SkuCard key={selected} tenant={tenant} sku={selected} row={items.find((i) => i.sku === selected)} onChanged={reload} />}
      <Section title="Per SKU" order={4}>
        <TextInput
          placeholder="Search SKU"
          value={search}
          onChange={(e) => {
            setSearch(e.currentTarget.value);
            setAfter([]);
          }}
          w={260}
          mb="sm"
          data-testid="stock-filter"
        />
        <Table striped highlightOnHover data-testid="stock-table">
          <Head cols={['SKU', 'On hand', 'Reserved', 'Published', 'Buffer / floor / cap', 'Changed']} />
          <Table.Tbody>
            {items.map((i) => (
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
        <Group mt="sm">
          {after.length > 0 && (
            <Button variant="default" onClick={() => setAfter(after.slice(0, -1))}>
              Previous page
            </Button>
          )}
          {list.data?.next && (
            <Button variant="default" onClick={() => setAfter([...after, list.data!.next!])}>
              Next page
            </Button>
          )}
        </Group>
      </Section>
    </>
  );
}

function PolicyCard({ tenant, sku, current, onSaved }: { tenant: string; sku: string | null; current?: StockPolicy | undefined; onSaved: () => void }) {
  const [kind, setKind] = useState<string | null>(current?.bufferKind ?? 'absolute');
  const [value, setValue] = useState(current?.bufferValue ?? '0');
  const [floor, setFloor] = useState<number | string>(current?.floor ?? 0);
  const [cap, setCap] = useState<number | string>(current?.cap ?? '');
  const save = useAction(async () => {
    const body = { bufferKind: (kind ?? 'absolute') as StockPolicy['bufferKind'], bufferValue: value, floor: Number(floor), cap: cap === '' ? null : Number(cap) };
    if (sku) await call(client.PUT('/api/tenants/{id}/stock-policy/{sku}', { params: { path: { id: tenant, sku } }, body }));
    else await call(client.PUT('/api/tenants/{id}/stock-policy', { ...tenantPath(tenant), body }));
    notifications.show({ color: 'green', message: `Buffer policy ${sku ? `of ${sku}` : 'of the shop'} saved.` });
    onSaved();
  });
  return (
    <Section title={`Oversell buffer ${sku ? `for ${sku}` : 'for the whole shop'}`}>
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
    </Section>
  );
}

function SkuCard({ tenant, sku, row, onChanged }: { tenant: string; sku: string; row: StockRow | undefined; onChanged: () => void }) {
  const path = { params: { path: { id: tenant, sku } } };
  const ledger = useQuery(`${tenant}/${sku}`, () => call(client.GET('/api/tenants/{id}/stock/{sku}/ledger', path)));
  const [onHand, setOnHand] = useState<number | string>(row?.onHand ?? 0);
  const [delta, setDelta] = useState<number | string>(0);
  const [reason, setReason] = useState('');
  const done = () => {
    onChanged();
    ledger.reload();
  };
  const set = useAction(async () => {
    await call(client.PUT('/api/tenants/{id}/stock/{sku}', { ...path, body: { onHand: Number(onHand), reason: reason || 'set in the panel' } }));
    done();
  });
  const adjust = useAction(async () => {
    await call(client.POST('/api/tenants/{id}/stock/{sku}/adjust', { ...path, body: { delta: Number(delta), reason: reason || 'adjusted in the panel' } }));
    done();
  });
  return (
    <Section title={`${sku}: on hand ${row?.onHand ?? '—'}, reserved ${row?.reserved ?? '—'}, published ${row?.published ?? '—'}`} order={4} data-testid="stock-sku">
      <Stack>
        <Group align="flex-end">
          <NumberInput label="On hand" value={onHand} onChange={setOnHand} min={0} w={120} data-testid="stock-onhand-input" />
          <Button variant="light" onClick={() => void set.run()} loading={set.busy} data-testid="stock-set">
            Set
          </Button>
          <NumberInput label="Change by ±" value={delta} onChange={setDelta} w={120} data-testid="stock-delta-input" />
          <Button variant="light" onClick={() => void adjust.run()} loading={adjust.busy} data-testid="stock-adjust">
            Adjust
          </Button>
          <TextInput label="Reason" value={reason} onChange={(e) => setReason(e.currentTarget.value)} w={260} data-testid="stock-reason-input" />
        </Group>
        <ErrorNote error={set.error ?? adjust.error ?? ledger.error} />
        <PolicyCard tenant={tenant} sku={sku} current={row?.policy} onSaved={onChanged} />
        <Text fw={600}>Ledger</Text>
        <Table data-testid="stock-ledger">
          <Head cols={['When', 'Kind', 'Requested', 'On hand after', 'Reserved after', 'Why', 'Who']} />
          <Table.Tbody>
            {(ledger.data?.entries ?? []).map((e) => (
              <Table.Tr key={e.id} data-testid="ledger-row" data-kind={e.kind} data-onhand={e.onHandAfter}>
                <Table.Td>
                  <When at={e.at} />
                </Table.Td>
                <Table.Td>{e.kind}</Table.Td>
                <Table.Td>{e.requested}</Table.Td>
                <Table.Td>{e.onHandAfter}</Table.Td>
                <Table.Td>{e.reservedAfter}</Table.Td>
                <Table.Td>{e.reason}</Table.Td>
                <Table.Td>
                  {e.author} ({e.source})
                </Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      </Stack>
    </Section>
  );
}
