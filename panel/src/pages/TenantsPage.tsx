import { Anchor, Button, Card, Group, SimpleGrid, Stack, Text } from '@mantine/core';
import { Link } from 'react-router';
import { call, client } from '../api/client.ts';
import { useQuery } from '../api/hooks.ts';
import { ErrorNote, PageTitle, StateBadge } from '../components/common.tsx';
import { useAuth } from '../auth.tsx';

/** The shops this user may see (an operator: all of them), and a way to add one. */
export function TenantsPage() {
  const { user } = useAuth();
  const { data, error } = useQuery('tenants', () => call(client.GET('/api/tenants')));
  return (
    <>
      <PageTitle title="Shops" subtitle={user?.role === 'operator' ? 'Every merchant served by this Vortex.' : 'The shops you are a member of.'}>
        <Button component={Link} to="/onboarding" data-testid="new-tenant">
          Connect a new shop
        </Button>
      </PageTitle>
      <ErrorNote error={error} />
      {data && data.tenants.length === 0 && <Text c="dimmed">No shop yet. Connect your first one: it takes a few minutes.</Text>}
      <SimpleGrid cols={{ base: 1, sm: 2, lg: 3 }}>
        {data?.tenants.map((t) => (
          <Card key={t.id} withBorder data-testid={`tenant-${t.id}`}>
            <Stack gap="xs">
              <Group justify="space-between">
                <Anchor component={Link} to={`/t/${t.id}`} fw={600} data-testid={`open-tenant-${t.id}`}>
                  {t.name}
                </Anchor>
                <StateBadge state={t.status} />
              </Group>
              <Text size="sm" c="dimmed">
                {t.id}
              </Text>
            </Stack>
          </Card>
        ))}
      </SimpleGrid>
    </>
  );
}
