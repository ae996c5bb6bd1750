import { Button, Center, Paper, PasswordInput, Stack, Text, TextInput, Title } from '@mantine/core';
import { useState, type FormEvent } from 'react';
import { ApiError } from '../api/client.ts';
import { useAuth } from '../auth.tsx';

export function LoginPage() {
  const { login } = useAuth();
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setBusy(true);
    setError(null);
    try {
      await login(email, password);
    } catch (err) {
      const a = err instanceof ApiError ? err : null;
      setError(a?.status === 401 ? 'Wrong e-mail or password.' : a?.status === 429 ? `Too many attempts. ${a.message}` : (a?.message ?? String(err)));
    } finally {
      setBusy(false);
    }
  };

  return (
    <Center h="100vh" bg="gray.0">
      <Paper withBorder shadow="sm" p="xl" w={380}>
        <form onSubmit={(e) => void submit(e)}>
          <Stack>
            <Title order={2}>Vortex</Title>
            <Text c="dimmed" size="sm">
              lexoffice ↔ Cel.ro. Log in to watch and fix your shop&apos;s sync.
            </Text>
            <TextInput label="E-mail" type="email" autoComplete="username" required value={email} onChange={(e) => setEmail(e.currentTarget.value)} data-testid="login-email" />
            <PasswordInput label="Password" autoComplete="current-password" required value={password} onChange={(e) => setPassword(e.currentTarget.value)} data-testid="login-password" />
            {error && (
              <Text c="red" size="sm" data-testid="login-error">
                {error}
              </Text>
            )}
            <Button type="submit" loading={busy} data-testid="login-submit">
              Log in
            </Button>
          </Stack>
        </form>
      </Paper>
    </Center>
  );
}
