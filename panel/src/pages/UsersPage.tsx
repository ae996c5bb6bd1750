import { Button, Card, Group, PasswordInput, Select, Table, Text, TextInput, Title } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { useState } from 'react';
import { useParams } from 'react-router';
import { call, client, tenantPath } from '../api/client.ts';
import { useAction, useQuery } from '../api/hooks.ts';
import type { Role } from '../api/types.ts';
import { useAuth } from '../auth.tsx';
import { ErrorNote, Head, PageTitle, When } from '../components/common.tsx';

/** The people who can see this shop; an operator adds users (merchants of this shop, or operators). */
export function UsersPage() {
  const tenant = useParams().tenant!;
  const { user } = useAuth();
  const { data, error, reload } = useQuery(tenant, () => call(client.GET('/api/tenants/{id}/users', tenantPath(tenant))));
  const [email, setEmail] = useState('');
  const [role, setRole] = useState<Role>('merchant');
  const [password, setPassword] = useState('');
  const add = useAction(async () => {
    await call(client.POST('/api/users', { body: { email, role, password, tenants: role === 'merchant' ? [tenant] : [] } }));
    notifications.show({ color: 'green', message: `${email} can log in now.` });
    setEmail('');
    setPassword('');
    reload();
  });
  return (
    <>
      <PageTitle title="Users" subtitle="Who can see and change this shop." />
      <ErrorNote error={error} />
      {data && (
        <Table striped mb="md" data-testid="users-table">
          <Head cols={['E-mail', 'Role', 'Created', 'Last login']} />
          <Table.Tbody>
            {data.users.map((u) => (
              <Table.Tr key={String(u.id)}>
                <Table.Td>{u.email}</Table.Td>
                <Table.Td>{u.role}</Table.Td>
                <Table.Td>
                  <When at={u.createdAt} />
                </Table.Td>
                <Table.Td>
                  <When at={u.lastLoginAt} />
                </Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      )}
      {user?.role === 'operator' ? (
        <Card withBorder maw={720}>
          <Title order={5} mb="xs">
            Add a user
          </Title>
          <Group align="flex-end">
            <TextInput label="E-mail" value={email} onChange={(e) => setEmail(e.currentTarget.value)} data-testid="user-email-input" />
            <Select label="Role" data={['merchant', 'operator']} value={role} onChange={(v) => setRole((v as Role) ?? 'merchant')} w={130} />
            <PasswordInput label="First password" value={password} onChange={(e) => setPassword(e.currentTarget.value)} data-testid="user-password-input" />
            <Button onClick={() => void add.run()} loading={add.busy} disabled={!email || !password} data-testid="user-add">
              Add
            </Button>
          </Group>
          <Text size="xs" c="dimmed" mt="xs">
            A merchant sees this shop only; an operator sees every shop and manages users.
          </Text>
          <ErrorNote error={add.error} />
        </Card>
      ) : (
        <Text size="sm" c="dimmed">
          Ask your operator to add users.
        </Text>
      )}
    </>
  );
}
