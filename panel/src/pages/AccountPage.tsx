import { Alert, Button, Group, Paper, PasswordInput, Stack, Text } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { useState } from 'react';
import { call, client } from '../api/client.ts';
import { useAction } from '../api/hooks.ts';
import { useAuth } from '../auth.tsx';
import { ErrorNote, PageTitle } from '../components/common.tsx';

/** The user's own account: change the password, log out on every device. */
export function AccountPage() {
  const { user, logout, refresh } = useAuth();
  const [current, setCurrent] = useState('');
  const [next, setNext] = useState('');
  const change = useAction(async () => {
    await call(client.POST('/api/auth/password', { body: { currentPassword: current, newPassword: next } }));
    await refresh();
    setCurrent('');
    setNext('');
    notifications.show({ color: 'green', message: 'Password changed.' });
  });
  return (
    <>
      <PageTitle title="Your account" subtitle={`${user?.email ?? ''} · ${user?.role ?? ''}`} />
      {user?.mustChangePassword && (
        <Alert color="yellow" mb="md" maw={420} data-testid="must-change-password">
          Your password was set by an operator or printed at start-up: choose your own to continue.
        </Alert>
      )}
      <Paper withBorder p="md" maw={420}>
        <Stack>
          <Text fw={600}>Change password</Text>
          <PasswordInput label="Current password" value={current} onChange={(e) => setCurrent(e.currentTarget.value)} data-testid="password-current" />
          <PasswordInput label="New password" description="At least 12 characters." value={next} onChange={(e) => setNext(e.currentTarget.value)} data-testid="password-new" />
          <ErrorNote error={change.error} />
          <Group>
            <Button onClick={() => void change.run()} loading={change.busy} disabled={!current || !next} data-testid="password-change">
              Change password
            </Button>
            <Button variant="light" color="red" onClick={() => void logout(true)} data-testid="logout-everywhere">
              Log out everywhere
            </Button>
          </Group>
        </Stack>
      </Paper>
    </>
  );
}
