import { Anchor, Button, FileInput, Group, NumberInput, Paper, Stack, Stepper, Text, TextInput } from '@mantine/core';
import { useEffect, useState } from 'react';
import { Link, useNavigate, useParams } from 'react-router';
import { call, client, rawBody, tenantPath } from '../api/client.ts';
import { useAction, useQuery } from '../api/hooks.ts';
import { rulesApi } from '../api/rules.ts';
import type { StockImportResult } from '../api/types.ts';
import { ConnectionForm } from '../components/ConnectionForm.tsx';
import { ErrorNote, PageTitle } from '../components/common.tsx';
import { SyncProgress } from '../components/SyncProgress.tsx';

/**
 * Connect a shop, step by step: create it, connect lexoffice, connect Cel.ro, complete the catalog rules
 * with what Cel.ro needs and lexoffice does not have (brand, category, images), import stock, first sync.
 * Every step says what was checked; steps can be revisited from the shop's "Connections & setup".
 */
export function OnboardingPage() {
  const params = useParams();
  const navigate = useNavigate();
  const tenant = params.tenant;
  const [step, setStep] = useState(tenant ? 1 : 0);
  const { data: t, reload } = useQuery(tenant ?? null, () => call(client.GET('/api/tenants/{id}', tenantPath(tenant!))));
  const connected = (s: string) => Boolean(t?.connections?.some((c) => c.system === s));

  return (
    <>
      <PageTitle title={tenant ? `Set up ${t?.name ?? tenant}` : 'Connect a new shop'} subtitle="Each step checks what it can and says what failed." />
      <Stepper active={step} onStepClick={tenant ? setStep : undefined} allowNextStepsSelect={Boolean(tenant)} size="sm">
        <Stepper.Step label="Shop" description="name and id">
          <CreateTenant onCreated={(id) => navigate(`/t/${encodeURIComponent(id)}/onboarding`)} />
        </Stepper.Step>
        <Stepper.Step label="lexoffice" description="API key">
          {tenant && <ConnectionForm key="lexoffice" tenant={tenant} system="lexoffice" connected={connected('lexoffice')} onSaved={() => reload()} />}
        </Stepper.Step>
        <Stepper.Step label="Cel.ro" description="seller account">
          {tenant && <ConnectionForm key="celro" tenant={tenant} system="celro" connected={connected('celro')} onSaved={() => reload()} />}
        </Stepper.Step>
        <Stepper.Step label="Rules" description="brand, category">
          {tenant && <RulesStep tenant={tenant} />}
        </Stepper.Step>
        <Stepper.Step label="Stock" description="file import">
          {tenant && <StockStep tenant={tenant} />}
        </Stepper.Step>
        <Stepper.Step label="First sync" description="catalog and stock">
          {tenant && <FirstSync tenant={tenant} />}
        </Stepper.Step>
      </Stepper>
      {tenant && (
        <Group mt="xl">
          <Button variant="default" disabled={step <= 1} onClick={() => setStep(step - 1)} data-testid="onb-back">
            Back
          </Button>
          {step < 5 ? (
            <Button onClick={() => setStep(step + 1)} data-testid="onb-next">
              Next step
            </Button>
          ) : (
            <Button component={Link} to={`/t/${encodeURIComponent(tenant)}`} data-testid="onb-dashboard">
              Go to the dashboard
            </Button>
          )}
        </Group>
      )}
    </>
  );
}

function CreateTenant({ onCreated }: { onCreated: (id: string) => void }) {
  const [name, setName] = useState('');
  const [id, setId] = useState('');
  const [idTouched, setIdTouched] = useState(false);
  const slug = (s: string) =>
    s
      .toLowerCase()
      .normalize('NFKD')
      .replace(/[^a-z0-9]+/g, '-')
      .replace(/^-+|-+$/g, '')
      .slice(0, 63);
  const create = useAction(async () => {
    await call(client.POST('/api/tenants', { body: { id, name } }));
    onCreated(id);
  });
  return (
    <Paper withBorder p="md" maw={560} mt="md">
      <Stack>
        <TextInput
          label="Shop name"
          description="As your team calls it, e.g. the company name."
          value={name}
          onChange={(e) => {
            setName(e.currentTarget.value);
            if (!idTouched) setId(slug(e.currentTarget.value));
          }}
          data-testid="onb-tenant-name"
        />
        <TextInput
          label="Short id"
          description="Lower-case letters, digits and dashes; used in links and the CLI."
          value={id}
          onChange={(e) => {
            setIdTouched(true);
            setId(e.currentTarget.value);
          }}
          data-testid="onb-tenant-id"
        />
        <Text size="sm" c="dimmed">
          The shop starts with Vortex&apos;s default DE → RO rules active (net EUR → RON at the BNR rate, RO VAT added, rounded once).
        </Text>
        <ErrorNote error={create.error} />
        <Group>
          <Button onClick={() => void create.run()} loading={create.busy} disabled={!name || !id} data-testid="onb-create">
            Create shop
          </Button>
        </Group>
      </Stack>
    </Paper>
  );
}

interface CatalogDoc {
  lookups: Record<string, { entries?: Record<string, unknown>; default?: unknown; missing?: string; description?: string }>;
  fields: Record<string, unknown>;
  [k: string]: unknown;
}

/** Cel.ro needs a brand, a category and an image for every new product; lexoffice has none of them. */
function RulesStep({ tenant }: { tenant: string }) {
  const rules = rulesApi(tenant);
  const [brand, setBrand] = useState('');
  const [category, setCategory] = useState<number | string>('');
  const [image, setImage] = useState('');
  const [saved, setSaved] = useState<string | null>(null);
  const [active, setActive] = useState<string | null>(null);

  useEffect(() => {
    void rules
      .active('catalog')
      .then((v) => {
        if (!v) return;
        setActive(`version ${v.version}: ${v.name}`);
        const doc = v.document as CatalogDoc;
        if (typeof doc.lookups?.brands?.default === 'string') setBrand(doc.lookups.brands.default);
        if (typeof doc.lookups?.categories?.default === 'number') setCategory(doc.lookups.categories.default);
        const img = (doc.fields?.products_image as { pipeline?: Array<{ template?: string }> } | undefined)?.pipeline?.[0]?.template;
        if (img) setImage(img);
      })
      .catch(() => setActive(null));
  }, [tenant]);

  const save = useAction(async () => {
    const current = await rules.active('catalog');
    if (!current) throw new Error('no active catalog rule set');
    const doc = structuredClone(current.document) as CatalogDoc;
    doc.lookups.brands = { ...doc.lookups.brands, missing: 'default', default: brand || null };
    doc.lookups.categories = { ...doc.lookups.categories, missing: 'default', default: category === '' ? null : Number(category) };
    if (image) doc.fields.products_image = { description: 'Product photo URL built from the SKU.', from: 'product.sku', pipeline: [{ op: 'template', template: image }] };
    else delete doc.fields.products_image;
    const v = await rules.createAndActivate('catalog', doc as unknown as Record<string, unknown>, 'onboarding: brand, category and images', 'set up at onboarding');
    setSaved(`Version ${v.version} is active.`);
    setActive(`version ${v.version}: ${v.name}`);
  });

  return (
    <Paper withBorder p="md" maw={640} mt="md">
      <Stack>
        <Text size="sm">
          The default rules are active from the start{active ? ` (${active})` : ''}. Cel.ro accepts a new product only with a brand, a category and a picture, which lexoffice
          does not keep: give defaults here, and fine-tune per product later in the{' '}
          <Anchor component={Link} to={`/t/${encodeURIComponent(tenant)}/mapping`}>
            mapping editor
          </Anchor>
          .
        </Text>
        <TextInput label="Brand for all products" value={brand} onChange={(e) => setBrand(e.currentTarget.value)} data-testid="onb-rules-brand" />
        <NumberInput label="Cel.ro category id" description="From Cel.ro's category list (e.g. 1234 = desk lamps)." value={category} onChange={setCategory} allowDecimal={false} data-testid="onb-rules-category" />
        <TextInput label="Picture URL" description="{value} is replaced by the SKU, e.g. https://shop.example/img/{value}.jpg" value={image} onChange={(e) => setImage(e.currentTarget.value)} data-testid="onb-rules-image" />
        <ErrorNote error={save.error} />
        <Group>
          <Button onClick={() => void save.run()} loading={save.busy} data-testid="onb-rules-save">
            Save and activate
          </Button>
          {saved && (
            <Text c="green" size="sm" data-testid="onb-rules-saved">
              {saved}
            </Text>
          )}
        </Group>
      </Stack>
    </Paper>
  );
}

/** Upload a CSV (sku,quantity) or JSON ([{sku, quantity}]) file: all rows or none, bad lines named. */
function StockStep({ tenant }: { tenant: string }) {
  const [file, setFile] = useState<File | null>(null);
  const [result, setResult] = useState<StockImportResult | null>(null);
  const upload = useAction(async () => {
    if (file) setResult(await importStockFile(tenant, file));
  });
  return <StockImport file={file} setFile={setFile} upload={() => void upload.run()} busy={upload.busy} error={upload.error} result={result} />;
}

/** POST a CSV or JSON stock file as it is (the server parses it, all rows or none). */
export async function importStockFile(tenant: string, file: File): Promise<StockImportResult> {
  const json = file.name.toLowerCase().endsWith('.json');
  return call(client.POST('/api/tenants/{id}/stock/import', { ...tenantPath(tenant), ...rawBody(await file.text(), json ? 'application/json' : 'text/csv') }));
}

export function StockImport(p: { file: File | null; setFile: (f: File | null) => void; upload: () => void; busy: boolean; error: Parameters<typeof ErrorNote>[0]['error']; result: StockImportResult | null }) {
  return (
    <Paper withBorder p="md" maw={560} mt="md">
      <Stack>
        <Text size="sm">
          lexoffice keeps no stock: Vortex keeps it. Upload a CSV with a header naming <b>sku</b> and <b>quantity</b> (comma or semicolon), or a JSON list of{' '}
          <code>{'{"sku", "quantity"}'}</code>. If any row is wrong, nothing is imported and each bad line is named.
        </Text>
        <FileInput label="Stock file" placeholder="stock.csv" accept=".csv,.json,text/csv,application/json" value={p.file} onChange={p.setFile} clearable data-testid="stock-file" />
        <ErrorNote error={p.error} title="The file was not imported" />
        <Group>
          <Button onClick={p.upload} loading={p.busy} disabled={!p.file} data-testid="stock-import">
            Import
          </Button>
          {p.result && (
            <Text c="green" size="sm" data-testid="stock-import-result">
              {p.result.read} rows read, {p.result.changed} changed.
            </Text>
          )}
        </Group>
      </Stack>
    </Paper>
  );
}

function FirstSync({ tenant }: { tenant: string }) {
  const [requestId, setRequestId] = useState<number | null>(null);
  const [done, setDone] = useState(false);
  const start = useAction(async () => {
    setDone(false);
    const r = await call(client.POST('/api/tenants/{id}/sync', { ...tenantPath(tenant), body: { what: 'all' } }));
    setRequestId(r.requestId);
  });
  return (
    <Paper withBorder p="md" maw={640} mt="md">
      <Stack>
        <Text size="sm">Read the catalog from lexoffice, map it with the active rules and publish offers and stock to Cel.ro. The counts update live.</Text>
        <Group>
          <Button onClick={() => void start.run()} loading={start.busy} data-testid="onb-sync-start">
            {requestId ? 'Sync again' : 'Start the first sync'}
          </Button>
          {done && (
            <Text c="green" size="sm" data-testid="onb-sync-done">
              Done. New products wait for Cel.ro&apos;s approval; the dashboard shows how they stand.
            </Text>
          )}
        </Group>
        <ErrorNote error={start.error} />
        {requestId !== null && <SyncProgress key={requestId} tenant={tenant} requestId={requestId} onDone={() => setDone(true)} />}
      </Stack>
    </Paper>
  );
}
