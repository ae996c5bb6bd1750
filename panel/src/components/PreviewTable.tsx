import { Alert, Badge, Group, Stack, Table, Text } from '@mantine/core';
import type { PreviewReport } from '../api/types.ts';
import { Head } from './common.tsx';

const show = (v: unknown) => (v === undefined ? '—' : typeof v === 'string' ? v : JSON.stringify(v));

/** What a candidate rule set would change on the whole catalog: summary, then every changed or failing item. */
export function PreviewTable({ report }: { report: PreviewReport }) {
  const s = report.summary;
  const rows = report.rows.filter((r) => r.status !== 'unchanged');
  return (
    <Stack data-testid="preview">
      <Group gap="xs" data-testid="preview-summary">
        <Badge variant="light">{s.items} items</Badge>
        <Badge color="blue" variant="light" data-testid="preview-changed" data-count={s.changed}>
          {s.changed} changed
        </Badge>
        <Badge color="gray" variant="light">
          {s.unchanged} unchanged
        </Badge>
        {s.new > 0 && <Badge color="teal" variant="light">{s.new} new</Badge>}
        {s.failed > 0 && (
          <Badge color="red" variant="light">
            {s.failed} fail{s.newlyFailing ? ` (${s.newlyFailing} newly)` : ''}
          </Badge>
        )}
        {s.priceChangesOverGuard > 0 && (
          <Badge color="orange" variant="filled">
            {s.priceChangesOverGuard} price changes over {s.guardPercent} %
          </Badge>
        )}
      </Group>
      {s.priceChangesOverGuard > 0 && (
        <Alert color="orange" title="Cel.ro's price guard">
          Cel.ro refuses a price change of more than {s.guardPercent} % unless it is confirmed. These offers will be held after activation until you approve them on the
          Products page.
        </Alert>
      )}
      {Object.keys(s.changesByField).length > 0 && (
        <Text size="sm" c="dimmed">
          Fields that change: {Object.entries(s.changesByField).map(([f, n]) => `${f} (${n})`).join(', ')}
        </Text>
      )}
      {rows.length > 0 && (
        <Table striped data-testid="preview-table">
          <Head cols={['SKU', 'Status', 'Price', 'Changes']} />
          <Table.Tbody>
            {rows.slice(0, 200).map((r) => (
              <Table.Tr key={r.key} data-testid="preview-row" data-sku={r.key} data-status={r.status}>
                <Table.Td>{r.key}</Table.Td>
                <Table.Td>{r.status}</Table.Td>
                <Table.Td>
                  {r.price ? (
                    <Group gap={4}>
                      <Text size="sm">
                        {r.price.before} → {r.price.after}
                      </Text>
                      {r.price.percent !== null && (
                        <Badge size="sm" color={r.price.overGuard ? 'orange' : 'gray'} variant="light">
                          {Number(r.price.percent) > 0 ? '+' : ''}
                          {r.price.percent} %
                        </Badge>
                      )}
                    </Group>
                  ) : (
                    '—'
                  )}
                </Table.Td>
                <Table.Td>
                  {r.error ? (
                    <Text size="xs" c="red">
                      {r.error}
                    </Text>
                  ) : (
                    <Text size="xs">
                      {r.changes
                        .slice(0, 6)
                        .map((c) => `${c.field}: ${show(c.before)} → ${show(c.after)}`)
                        .join('; ')}
                    </Text>
                  )}
                </Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      )}
      {rows.length > 200 && <Text size="sm" c="dimmed">…and {rows.length - 200} more.</Text>}
    </Stack>
  );
}
