import { Table, Text } from '@mantine/core';
import type { DashboardRun } from '../api/types.ts';
import { Head, StateBadge, When, formatCounts } from './common.tsx';

/** The last sync runs: when, why, what, how it ended and its counts. */
export function RunsTable({ runs }: { runs: readonly DashboardRun[] }) {
  if (runs.length === 0) return <Text c="dimmed">No sync has run yet.</Text>;
  return (
    <Table striped highlightOnHover data-testid="runs-table">
      <Head cols={['Run', 'Started', 'Trigger', 'What', 'Status', 'Counts']} />
      <Table.Tbody>
        {runs.map((r) => (
          <Table.Tr key={r.id} data-testid="run-row" data-status={r.status}>
            <Table.Td>#{r.id}</Table.Td>
            <Table.Td>
              <When at={r.startedAt} />
            </Table.Td>
            <Table.Td>{(r.triggers ?? []).join(', ')}</Table.Td>
            <Table.Td>{(r.what ?? []).join(', ')}</Table.Td>
            <Table.Td>
              <StateBadge state={r.status} />
            </Table.Td>
            <Table.Td>
              <Text size="xs">{formatCounts(r.counts)}</Text>
              {r.failures > 0 && (
                <Text size="xs" c="orange">
                  {r.failures} item{r.failures === 1 ? '' : 's'} failed
                </Text>
              )}
              {r.error && (
                <Text size="xs" c="red">
                  {r.error}
                </Text>
              )}
            </Table.Td>
          </Table.Tr>
        ))}
      </Table.Tbody>
    </Table>
  );
}
