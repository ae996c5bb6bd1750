import { Code, Group, Stack, Table, Text } from '@mantine/core';
import { useParams } from 'react-router';
import { call, client } from '../api/client.ts';
import { useQuery } from '../api/hooks.ts';
import { ErrorNote, Head, PageTitle, When } from '../components/common.tsx';

/** Who changed what: connections, rules, stock, replays, approvals — with the details (before/after) recorded. */
export function AuditPage() {
  const tenant = useParams().tenant!;
  const { data, error } = useQuery(tenant, () => call(client.GET('/api/tenants/{id}/audit', { params: { path: { id: tenant }, query: { limit: 500 } } })), { refreshMs: 10000 });
  return (
    <>
      <PageTitle title="Audit log" subtitle="Every change made to this shop, by whom, newest first. Credentials are never recorded." />
      <ErrorNote error={error} />
      {data && data.entries.length === 0 && <Text c="dimmed">Nothing recorded yet.</Text>}
      {data && data.entries.length > 0 && (
        <Table striped data-testid="audit-table">
          <Head cols={['When', 'Who', 'What', 'Subject', 'Before → after']} />
          <Table.Tbody>
            {data.entries.map((e, i) => (
              <Table.Tr key={i} data-testid="audit-row">
                <Table.Td>
                  <When at={e.at} />
                </Table.Td>
                <Table.Td>{e.actor}</Table.Td>
                <Table.Td>{e.action}</Table.Td>
                <Table.Td>{e.subject}</Table.Td>
                <Table.Td>
                  <Details details={e.details} />
                </Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      )}
    </>
  );
}

const small = { maxHeight: 120, overflow: 'auto', whiteSpace: 'pre-wrap', fontSize: 11 } as const;

/** An entry's details: "before → after" side by side when it records both, else the details as JSON. */
function Details({ details }: { details: Record<string, unknown> }) {
  const { before, after, ...rest } = details;
  const other = Object.keys(rest).length > 0 ? rest : null;
  if (before === undefined && after === undefined) {
    return other ? (
      <Code block style={small}>
        {JSON.stringify(other, null, 1)}
      </Code>
    ) : (
      <Text c="dimmed">—</Text>
    );
  }
  return (
    <Stack gap={4}>
      <Group align="flex-start" gap="xs" wrap="nowrap">
        <Code block style={{ ...small, flex: 1 }} data-testid="audit-before">
          {before === null || before === undefined ? '(none)' : JSON.stringify(before, null, 1)}
        </Code>
        <Text size="sm">→</Text>
        <Code block style={{ ...small, flex: 1 }} data-testid="audit-after">
          {after === null || after === undefined ? '(none)' : JSON.stringify(after, null, 1)}
        </Code>
      </Group>
      {other && (
        <Text size="xs" c="dimmed">
          {Object.entries(other)
            .map(([k, v]) => `${k}: ${typeof v === 'string' ? v : JSON.stringify(v)}`)
            .join(' · ')}
        </Text>
      )}
    </Stack>
  );
}
