import { Alert, Badge, Card, Code, Group, List, Stack, Table, Text, Title, Tooltip } from '@mantine/core';
import type { ReactNode } from 'react';
import type { ApiError } from '../api/client.ts';

/** A page's title with actions on the right. */
export function PageTitle({ title, children, subtitle }: { title: string; subtitle?: ReactNode; children?: ReactNode }) {
  return (
    <Group justify="space-between" mb="md" align="flex-end">
      <Stack gap={2}>
        <Title order={2}>{title}</Title>
        {subtitle && (
          <Text c="dimmed" size="sm">
            {subtitle}
          </Text>
        )}
      </Stack>
      <Group gap="xs">{children}</Group>
    </Group>
  );
}

/** An API error in plain words, with each field or path the server named. */
export function ErrorNote({ error, title = 'That did not work' }: { error: ApiError | undefined | null; title?: string }) {
  if (!error) return null;
  return (
    <Alert color="red" title={title} data-testid="error">
      <Text size="sm">{error.message}</Text>
      {error.issues.length > 0 && (
        <List size="sm" mt="xs">
          {error.issues.map((i, n) => (
            <List.Item key={n}>
              <Code>{i.path}</Code> {i.message}
            </List.Item>
          ))}
        </List>
      )}
    </Alert>
  );
}

const COLORS: Record<string, string> = {
  succeeded: 'green',
  acknowledged: 'green',
  approved: 'green',
  fresh: 'green',
  done: 'green',
  attached: 'green',
  paid: 'green',
  delivered: 'green',
  ok: 'green',
  active: 'green',
  running: 'blue',
  queued: 'blue',
  received: 'blue',
  mapped: 'blue',
  pending: 'yellow',
  waiting: 'yellow',
  partial: 'yellow',
  stalled: 'yellow',
  held: 'yellow',
  retrying: 'yellow',
  needs_review: 'orange',
  quarantined: 'orange',
  failed: 'red',
  rejected: 'red',
  error: 'red',
  disconnected: 'red',
  cancelled: 'gray',
  unconfigured: 'gray',
  abandoned: 'red',
  interrupted: 'orange',
};

export function StateBadge({ state, ...rest }: { state: string | null | undefined; 'data-testid'?: string }) {
  const s = state ?? '—';
  return (
    <Badge color={COLORS[s] ?? 'gray'} variant="light" miw="max-content" {...rest}>
      {s.replace(/_/g, ' ')}
    </Badge>
  );
}

/** A timestamp as local date and time, with the exact ISO value on hover. */
export function When({ at }: { at: string | Date | null | undefined }) {
  if (!at) return <Text span c="dimmed">—</Text>;
  const d = new Date(at);
  return (
    <Tooltip label={d.toISOString()}>
      <Text span size="sm">
        {d.toLocaleString()}
      </Text>
    </Tooltip>
  );
}

/** Counts of a run, e.g. {"catalog": {"pushed": 3}} → "catalog: pushed 3". */
export function formatCounts(counts: unknown): string {
  if (!counts || typeof counts !== 'object') return '—';
  const parts: string[] = [];
  for (const [k, v] of Object.entries(counts as Record<string, unknown>)) {
    if (v && typeof v === 'object') {
      const inner = Object.entries(v as Record<string, unknown>)
        .filter(([, n]) => n !== 0)
        .map(([a, n]) => `${a} ${String(n)}`)
        .join(', ');
      parts.push(`${k}: ${inner || '0'}`);
    } else parts.push(`${k} ${String(v)}`);
  }
  return parts.join(' · ') || '—';
}

export function Json({ value, maxHeight = 300 }: { value: unknown; maxHeight?: number }) {
  return (
    <Code block style={{ maxHeight, overflow: 'auto', whiteSpace: 'pre-wrap' }}>
      {JSON.stringify(value, null, 2)}
    </Code>
  );
}

/** A table's header row from its column titles. */
export function Head({ cols }: { cols: readonly string[] }) {
  return (
    <Table.Thead>
      <Table.Tr>
        {cols.map((c, i) => (
          <Table.Th key={i}>{c}</Table.Th>
        ))}
      </Table.Tr>
    </Table.Thead>
  );
}

/** A bordered card with a heading. */
export function Section({ title, children, order = 5, ...rest }: { title: ReactNode; children: ReactNode; order?: 4 | 5; 'data-testid'?: string }) {
  return (
    <Card withBorder {...rest}>
      <Title order={order} mb="xs">
        {title}
      </Title>
      {children}
    </Card>
  );
}
