import { Button, Group, List, PasswordInput, Stack, Text, TextInput, ThemeIcon } from '@mantine/core';
import { useState } from 'react';
import { call, client } from '../api/client.ts';
import { useAction } from '../api/hooks.ts';
import type { ConnectionTest } from '../api/types.ts';
import { ErrorNote } from './common.tsx';

interface Field {
  readonly key: string;
  readonly label: string;
  readonly secret?: boolean;
  readonly description?: string;
}

const SYSTEMS: Record<'lexoffice' | 'celro', { title: string; defaultUrl: string; fields: readonly Field[] }> = {
  lexoffice: {
    title: 'lexoffice',
    defaultUrl: 'https://api.lexware.io',
    fields: [{ key: 'apiKey', label: 'API key', secret: true, description: 'lexoffice → Settings → Public API: create a key and paste it here.' }],
  },
  celro: {
    title: 'Cel.ro',
    defaultUrl: 'https://api-mp.cel.ro/market_api/',
    fields: [
      { key: 'username', label: 'Username', description: 'Your Cel.ro seller account.' },
      { key: 'password', label: 'Password', secret: true },
    ],
  },
};

/** Store a connection's credentials (encrypted, never shown again) and test it; each check in plain words. */
export function ConnectionForm({ tenant, system, connected, onSaved }: { tenant: string; system: 'lexoffice' | 'celro'; connected?: boolean; onSaved?: (test: ConnectionTest | null) => void }) {
  const spec = SYSTEMS[system];
  const [baseUrl, setBaseUrl] = useState(spec.defaultUrl);
  const [values, setValues] = useState<Record<string, string>>({});
  const [test, setTest] = useState<ConnectionTest | null>(null);
  const path = { params: { path: { id: tenant, system } } };

  const runTest = async (): Promise<ConnectionTest> => {
    const t = await call(client.POST('/api/tenants/{id}/connections/{system}/test', path));
    setTest(t);
    return t;
  };
  const save = useAction(async () => {
    setTest(null);
    await call(client.PUT('/api/tenants/{id}/connections/{system}', { ...path, body: { credentials: values, baseUrl: baseUrl.trim() || null } }));
    const t = await runTest();
    onSaved?.(t);
  });
  const retest = useAction(runTest);
  const complete = spec.fields.every((f) => (values[f.key] ?? '').length > 0);

  return (
    <Stack maw={560}>
      <TextInput label={`${spec.title} API address`} value={baseUrl} onChange={(e) => setBaseUrl(e.currentTarget.value)} data-testid={`conn-${system}-url`} />
      {spec.fields.map((f) =>
        f.secret ? (
          <PasswordInput key={f.key} label={f.label} description={f.description} value={values[f.key] ?? ''} onChange={(e) => setValues({ ...values, [f.key]: e.currentTarget.value })} data-testid={`conn-${system}-${f.key}`} autoComplete="off" />
        ) : (
          <TextInput key={f.key} label={f.label} description={f.description} value={values[f.key] ?? ''} onChange={(e) => setValues({ ...values, [f.key]: e.currentTarget.value })} data-testid={`conn-${system}-${f.key}`} autoComplete="off" />
        ),
      )}
      {connected && <Text size="sm" c="dimmed">Connected already: enter the credentials again only to change them (they are stored encrypted and never shown).</Text>}
      <Group>
        <Button onClick={() => void save.run()} loading={save.busy} disabled={!complete} data-testid={`conn-${system}-save`}>
          Save and test
        </Button>
        {connected && (
          <Button variant="default" onClick={() => void retest.run()} loading={retest.busy} data-testid={`conn-${system}-test`}>
            Test again
          </Button>
        )}
      </Group>
      <ErrorNote error={save.error ?? retest.error} />
      {test && (
        <Stack gap={4} data-testid={`conn-${system}-checks`} data-ok={test.ok ? 'true' : 'false'}>
          <Text fw={600} c={test.ok ? 'green' : 'red'}>
            {test.ok ? 'Connection works.' : 'Something is not right yet:'}
          </Text>
          <List spacing={4} size="sm">
            {test.checks.map((c) => (
              <List.Item key={c.name} icon={<ThemeIcon size={18} radius="xl" color={c.ok ? 'green' : 'red'}>{c.ok ? '✓' : '✗'}</ThemeIcon>}>
                <b>{c.name}</b>: {c.skipped ? `skipped: ${c.message}` : c.message}
              </List.Item>
            ))}
          </List>
        </Stack>
      )}
    </Stack>
  );
}
