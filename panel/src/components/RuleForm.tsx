import { ActionIcon, Button, Group, NumberInput, Select, Stack, Table, Text, TextInput, Title } from '@mantine/core';
import { useState } from 'react';
import type { Issue } from '../api/client.ts';
import type { Direction } from '../api/types.ts';
import { Head } from './common.tsx';

/** The rule document as the form edits it (the JSON editor holds the whole of it). */
type Op = { op: string; [k: string]: unknown };
interface Doc {
  fields?: Record<string, { pipeline?: Op[]; [k: string]: unknown }>;
  lookups?: Record<string, { entries?: Record<string, unknown>; default?: unknown; missing?: string; [k: string]: unknown }>;
  [k: string]: unknown;
}

const ROUNDING = ['half-up', 'half-even', 'half-down', 'up', 'down', 'ceil', 'floor'];

/** Issues whose JSON path starts with one of these prefixes (shown under the form field they belong to). */
function issuesAt(issues: readonly Issue[], ...prefixes: string[]): string | undefined {
  const hit = issues.filter((i) => prefixes.some((p) => i.path === p || i.path.startsWith(`${p}.`) || i.path.startsWith(`${p}[`)));
  return hit.length ? hit.map((i) => `${i.path.replace(/^\$\.?/, '')}: ${i.message}`).join('; ') : undefined;
}

/** The common rules as a form: the price (markup, rounding), brand and category defaults; the order's SKU → article table. */
export function RuleForm({ direction, doc, onChange, issues }: { direction: Direction; doc: Doc; onChange: (d: Doc) => void; issues: readonly Issue[] }) {
  const edit = (fn: (d: Doc) => void) => {
    const d = structuredClone(doc);
    fn(d);
    onChange(d);
  };
  return direction === 'catalog' ? <CatalogForm doc={doc} edit={edit} issues={issues} /> : <OrderForm doc={doc} edit={edit} issues={issues} />;
}

function CatalogForm({ doc, edit, issues }: { doc: Doc; edit: (fn: (d: Doc) => void) => void; issues: readonly Issue[] }) {
  const pipeline = doc.fields?.pretf?.pipeline ?? [];
  const markup = pipeline.find((o) => o.op === 'markup');
  const roundIdx = pipeline.map((o) => o.op).lastIndexOf('round');
  const round = roundIdx >= 0 ? pipeline[roundIdx] : undefined;
  const priceIssues = issuesAt(issues, '$.fields.pretf');
  const setPipeline = (fn: (p: Op[]) => void) =>
    edit((d) => {
      d.fields ??= {};
      d.fields.pretf ??= { from: 'product.netPrice.amount', pipeline: [] };
      d.fields.pretf.pipeline ??= [];
      fn(d.fields.pretf.pipeline);
    });
  const setMarkup = (v: string) =>
    setPipeline((p) => {
      const i = p.findIndex((o) => o.op === 'markup');
      if (!v.trim()) {
        if (i >= 0) p.splice(i, 1);
        return;
      }
      if (i >= 0) p[i] = { op: 'markup', percent: v.trim() };
      else {
        // On the gross price, before it is rounded once at the end.
        const r = p.map((o) => o.op).lastIndexOf('round');
        p.splice(r >= 0 ? r : p.length, 0, { op: 'markup', percent: v.trim() });
      }
    });
  const setRound = (k: string, v: unknown) =>
    setPipeline((p) => {
      const r = p.map((o) => o.op).lastIndexOf('round');
      const op: Op = r >= 0 ? { ...p[r]! } : { op: 'round' };
      if (v === undefined || v === '' || v === null) delete op[k];
      else op[k] = v;
      if (r >= 0) p[r] = op;
      else p.push(op);
    });
  const setDefault = (table: string, v: unknown) =>
    edit((d) => {
      d.lookups ??= {};
      d.lookups[table] = { entries: {}, ...d.lookups[table], missing: 'default', default: v };
    });

  return (
    <Stack>
      <Title order={5}>Price (pretf, gross RON)</Title>
      <Text size="sm" c="dimmed">
        The price pipeline: {pipeline.map((o) => o.op).join(' → ') || '(empty)'}
      </Text>
      <Group align="flex-start">
        <TextInput
          label="Markup %"
          description="Added on the gross price before rounding, e.g. 5 or 2.5"
          value={typeof markup?.percent === 'string' ? markup.percent : ''}
          onChange={(e) => setMarkup(e.currentTarget.value)}
          error={priceIssues}
          w={260}
          data-testid="rule-markup"
        />
        <NumberInput label="Decimals" value={typeof round?.decimals === 'number' ? round.decimals : 2} onChange={(v) => setRound('decimals', v === '' ? undefined : Number(v))} min={0} max={8} w={110} data-testid="rule-round-decimals" />
        <Select label="Rounding" data={ROUNDING} value={typeof round?.mode === 'string' ? round.mode : 'half-up'} onChange={(v) => setRound('mode', v ?? undefined)} w={150} data-testid="rule-round-mode" />
        <TextInput label="Price ending" description='e.g. "0.99"; empty = none' value={typeof round?.ending === 'string' ? round.ending : ''} onChange={(e) => setRound('ending', e.currentTarget.value || undefined)} w={150} data-testid="rule-round-ending" />
      </Group>
      <Title order={5}>What Cel.ro needs and lexoffice does not have</Title>
      <Group align="flex-start">
        <TextInput
          label="Brand (default for every SKU)"
          value={typeof doc.lookups?.brands?.default === 'string' ? doc.lookups.brands.default : ''}
          onChange={(e) => setDefault('brands', e.currentTarget.value || null)}
          error={issuesAt(issues, '$.lookups.brands')}
          data-testid="rule-brand"
        />
        <NumberInput
          label="Cel.ro category (default)"
          value={typeof doc.lookups?.categories?.default === 'number' ? doc.lookups.categories.default : ''}
          onChange={(v) => setDefault('categories', v === '' ? null : Number(v))}
          allowDecimal={false}
          error={issuesAt(issues, '$.lookups.categories')}
          data-testid="rule-category"
        />
      </Group>
    </Stack>
  );
}

function OrderForm({ doc, edit, issues }: { doc: Doc; edit: (fn: (d: Doc) => void) => void; issues: readonly Issue[] }) {
  const entries = Object.entries(doc.lookups?.['sku-to-article']?.entries ?? {});
  const [model, setModel] = useState('');
  const [article, setArticle] = useState('');
  const setEntries = (fn: (e: Record<string, unknown>) => void) =>
    edit((d) => {
      d.lookups ??= {};
      d.lookups['sku-to-article'] ??= { entries: {}, missing: 'keep' };
      d.lookups['sku-to-article'].entries ??= {};
      fn(d.lookups['sku-to-article'].entries);
    });
  const tableIssues = issuesAt(issues, '$.lookups["sku-to-article"]', '$.lookups.sku-to-article');
  return (
    <Stack>
      <Title order={5}>Cel.ro model → lexoffice article number</Title>
      <Text size="sm" c="dimmed">
        For products whose Cel.ro model differs from the lexoffice article number. An order with a model lexoffice does not know waits in quarantine until it is mapped here.
      </Text>
      {entries.length > 0 && (
        <Table maw={640} data-testid="sku-map-table">
          <Head cols={['Cel.ro model', 'lexoffice article number', '']} />
          <Table.Tbody>
            {entries.map(([k, v]) => (
              <Table.Tr key={k}>
                <Table.Td>{k}</Table.Td>
                <Table.Td>{v === null ? '(custom line, no article)' : String(v)}</Table.Td>
                <Table.Td>
                  <ActionIcon variant="subtle" color="red" aria-label={`remove ${k}`} onClick={() => setEntries((e) => delete e[k])}>
                    ✕
                  </ActionIcon>
                </Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      )}
      <Group align="flex-end">
        <TextInput label="Cel.ro model" value={model} onChange={(e) => setModel(e.currentTarget.value)} data-testid="sku-map-model" />
        <TextInput label="lexoffice article number" value={article} onChange={(e) => setArticle(e.currentTarget.value)} data-testid="sku-map-article" />
        <Button
          variant="light"
          disabled={!model.trim()}
          onClick={() => {
            setEntries((e) => {
              e[model.trim()] = article.trim() || null;
            });
            setModel('');
            setArticle('');
          }}
          data-testid="sku-map-add"
        >
          Add
        </Button>
      </Group>
      {tableIssues && (
        <Text c="red" size="sm">
          {tableIssues}
        </Text>
      )}
    </Stack>
  );
}
