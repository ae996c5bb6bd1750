import { Alert, Badge, Button, Card, Group, List, SegmentedControl, Stack, Table, Tabs, Text, Textarea, TextInput, Title } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { useCallback, useEffect, useState } from 'react';
import { useParams, useSearchParams } from 'react-router';
import { ApiError, type Issue } from '../api/client.ts';
import { useAction } from '../api/hooks.ts';
import { rulesApi } from '../api/rules.ts';
import type { Activation, Direction, PreviewReport, RuleVersion } from '../api/types.ts';
import { ErrorNote, Head, PageTitle, StateBadge, When } from '../components/common.tsx';
import { PreviewTable } from '../components/PreviewTable.tsx';
import { RuleForm } from '../components/RuleForm.tsx';
import { SyncProgress } from '../components/SyncProgress.tsx';

/**
 * The mapping editor: edit the active rule set (a form for the common rules, the JSON for everything),
 * save it as a draft (refusals shown on the field and by JSON path), preview its effect on the whole
 * catalog, activate it with a reason; history and rollback. Nothing changes until "Activate".
 */
export function MappingPage() {
  const tenant = useParams().tenant!;
  const rules = rulesApi(tenant);
  const [params, setParams] = useSearchParams();
  const direction = (params.get('direction') === 'order' ? 'order' : 'catalog') as Direction;
  const [versions, setVersions] = useState<RuleVersion[]>([]);
  const [active, setActive] = useState<RuleVersion | undefined>();
  const [text, setText] = useState('');
  const [draft, setDraft] = useState<RuleVersion | null>(null);
  const [draftText, setDraftText] = useState<string | null>(null);
  const [issues, setIssues] = useState<readonly Issue[]>([]);
  const [report, setReport] = useState<PreviewReport | null>(null);
  const [reason, setReason] = useState('');
  const [history, setHistory] = useState<Activation[]>([]);
  const [syncRequestId, setSyncRequestId] = useState<number | null>(null);
  const [loadError, setLoadError] = useState<ApiError | undefined>();

  const load = useCallback(async () => {
    try {
      const list = await rules.list(direction);
      setVersions(list);
      const a = list.find((v) => v.active);
      setActive(a);
      if (a) setText(JSON.stringify((await rules.get(a.id)).document, null, 2));
      setHistory(await rules.history(direction).catch(() => []));
      setLoadError(undefined);
    } catch (e) {
      setLoadError(e instanceof ApiError ? e : new ApiError(0, 'client', String(e)));
    }
    setDraft(null);
    setDraftText(null);
    setIssues([]);
    setReport(null);
  }, [tenant, direction]);
  useEffect(() => {
    void load();
  }, [load]);

  let doc: Record<string, unknown> | null = null;
  let parseError: string | null = null;
  try {
    doc = text ? (JSON.parse(text) as Record<string, unknown>) : null;
  } catch (e) {
    parseError = (e as Error).message;
  }

  /** The edited document as a validated draft (reused while the text is unchanged). */
  const ensureDraft = async (): Promise<RuleVersion | null> => {
    if (parseError || !doc) return null;
    if (draft && draftText === text) return draft;
    setIssues([]);
    try {
      // The text itself: a decimal written as a number (1.05) is read exactly by the server.
      const v = await rules.create(direction, text, 'edited in the panel');
      await rules.validate(v.id);
      setDraft(v);
      setDraftText(text);
      return v;
    } catch (e) {
      if (e instanceof ApiError && e.issues.length) setIssues(e.issues);
      throw e;
    }
  };
  const save = useAction(async () => {
    const v = await ensureDraft();
    if (v) notifications.show({ color: 'green', message: `Saved as draft version ${v.version}.` });
  });
  const preview = useAction(async () => {
    setReport(null);
    const v = await ensureDraft();
    if (v) setReport(await rules.preview(v.id));
  });
  const activate = useAction(async () => {
    const v = await ensureDraft();
    if (!v) return;
    const a = await rules.activate(v.id, reason);
    setSyncRequestId(a.syncRequestId);
    notifications.show({ color: 'green', message: `Version ${v.version} is active.${a.syncRequestId ? ' A catalog sync brings it to Cel.ro.' : ''}` });
    setReason('');
    await load();
  });
  const rollback = useAction(async (to?: number) => {
    const a = await rules.rollback(direction, reason || 'rolled back in the panel', to);
    setSyncRequestId(a.syncRequestId);
    notifications.show({ color: 'green', message: 'Rolled back.' });
    setReason('');
    await load();
  });

  const busy = save.busy || preview.busy || activate.busy;
  const actionError = save.error ?? preview.error ?? activate.error ?? rollback.error;

  return (
    <>
      <PageTitle title="Mapping rules" subtitle="How lexoffice articles become Cel.ro offers (catalog) and Cel.ro order lines become lexoffice line items (order).">
        <SegmentedControl value={direction} onChange={(v) => setParams({ direction: v })} data={[{ value: 'catalog', label: 'Catalog' }, { value: 'order', label: 'Orders' }]} data-testid="rules-direction" />
      </PageTitle>
      <ErrorNote error={loadError} />
      <Group mb="sm">
        <Text size="sm">Active:</Text>
        {active ? (
          <Badge variant="light" data-testid="rules-active" data-version={active.version}>
            version {active.version} · {active.name}
          </Badge>
        ) : (
          <Text c="dimmed">none</Text>
        )}
        {draft && <Badge color="yellow" variant="light" data-testid="rules-draft">draft version {draft.version}{draftText !== text ? ' (edited since)' : ''}</Badge>}
      </Group>

      <Card withBorder mb="md">
        <Tabs defaultValue="form" keepMounted={false}>
          <Tabs.List mb="md">
            <Tabs.Tab value="form" data-testid="rules-tab-form">
              Common rules
            </Tabs.Tab>
            <Tabs.Tab value="json" data-testid="rules-tab-json">
              Whole rule set (JSON)
            </Tabs.Tab>
          </Tabs.List>
          <Tabs.Panel value="form">
            {doc ? <RuleForm direction={direction} doc={doc} onChange={(d) => setText(JSON.stringify(d, null, 2))} issues={issues} /> : <Text c="red">{parseError ?? 'no rule set'}</Text>}
          </Tabs.Panel>
          <Tabs.Panel value="json">
            <Textarea
              value={text}
              onChange={(e) => setText(e.currentTarget.value)}
              autosize
              minRows={12}
              maxRows={30}
              styles={{ input: { fontFamily: 'monospace', fontSize: 12 } }}
              error={parseError ? `Not valid JSON: ${parseError}` : undefined}
              data-testid="rules-json"
            />
          </Tabs.Panel>
        </Tabs>
        {issues.length > 0 && (
          <Alert color="red" title="The rule set was refused" mt="md" data-testid="rules-issues">
            <List size="sm">
              {issues.map((i, n) => (
                <List.Item key={n}>
                  <code>{i.path}</code>: {i.message}
                </List.Item>
              ))}
            </List>
          </Alert>
        )}
        <Group mt="md">
          <Button variant="default" onClick={() => void save.run()} loading={save.busy} disabled={busy || Boolean(parseError)} data-testid="rules-save">
            Save draft
          </Button>
          <Button onClick={() => void preview.run()} loading={preview.busy} disabled={busy || Boolean(parseError)} data-testid="rules-preview">
            Preview on the catalog
          </Button>
        </Group>
        {actionError && !(actionError.issues.length && issues.length) && <ErrorNote error={actionError} />}
      </Card>

      {report && (
        <Card withBorder mb="md">
          <Title order={4} mb="sm">
            Preview: what activating this would change
          </Title>
          <PreviewTable report={report} />
        </Card>
      )}

      <Card withBorder mb="md">
        <Title order={4} mb="sm">
          Activate
        </Title>
        <Group align="flex-end">
          <TextInput label="Reason (kept in the history and the audit log)" value={reason} onChange={(e) => setReason(e.currentTarget.value)} w={420} data-testid="rules-reason" />
          <Button color="green" onClick={() => void activate.run()} loading={activate.busy} disabled={busy || !reason.trim() || Boolean(parseError)} data-testid="rules-activate">
            Activate
          </Button>
        </Group>
        {syncRequestId !== null && (
          <Stack mt="md">
            <SyncProgress key={syncRequestId} tenant={tenant} requestId={syncRequestId} />
          </Stack>
        )}
      </Card>

      <Card withBorder>
        <Title order={4} mb="sm">
          History
        </Title>
        <Stack>
          <Table data-testid="rules-versions">
            <Head cols={['Version', 'Name', 'Status', 'Created', 'Note', '']} />
            <Table.Tbody>
              {versions.map((v) => (
                <Table.Tr key={v.id}>
                  <Table.Td>{v.version}</Table.Td>
                  <Table.Td>{v.name}</Table.Td>
                  <Table.Td>{v.active ? <StateBadge state="active" /> : <StateBadge state={v.status} />}</Table.Td>
                  <Table.Td>
                    <When at={v.createdAt} /> · {v.createdBy}
                  </Table.Td>
                  <Table.Td>{v.note}</Table.Td>
                  <Table.Td>
                    {!v.active && v.status === 'validated' && (
                      <Button size="xs" variant="subtle" onClick={() => void rollback.run(v.id)} loading={rollback.busy}>
                        Roll back to this
                      </Button>
                    )}
                  </Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
          {history.length > 0 && (
            <>
              <Text fw={600} size="sm">
                Activations
              </Text>
              <Table>
                <Table.Tbody>
                  {history.map((h) => (
                    <Table.Tr key={h.id}>
                      <Table.Td>{h.kind}</Table.Td>
                      <Table.Td>version {versions.find((v) => v.id === h.versionId)?.version ?? `id ${h.versionId}`}</Table.Td>
                      <Table.Td>{h.actor}</Table.Td>
                      <Table.Td>{h.reason}</Table.Td>
                      <Table.Td>
                        <When at={h.at} />
                      </Table.Td>
                    </Table.Tr>
                  ))}
                </Table.Tbody>
              </Table>
            </>
          )}
          <Group>
            <Button variant="default" onClick={() => void rollback.run(undefined)} loading={rollback.busy} disabled={history.length < 2} data-testid="rules-rollback">
              Roll back to the previous version
            </Button>
          </Group>
        </Stack>
      </Card>
    </>
  );
}
