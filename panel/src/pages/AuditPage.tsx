import { Code, Table, Text } from '@mantine/core';
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
          <Head cols={['When', 'Who', 'What', 'Subject', 'Details (before / after)']} />
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
                  {e.details ? (
                    <Code block style={{ maxHeight: 120, overflow: 'auto', whiteSpace: 'pre-wrap', fontSize: 11 }}>
                      {JSON.stringify(e.details, null, 1)}
                    </Code>
                  ) : (
                    '—'
                  )}
                </Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      )}
    </>
  );
}
