/** The lexoffice (Lexware Office) web app: deep links open a record there (app.lexoffice.de answers 301 to it). */
export const LEXOFFICE_APP_URL = 'https://app.lexware.de';

const RESOURCE = { invoice: 'invoices', orderconfirmation: 'order-confirmations', creditnote: 'credit-notes', contact: 'contacts' } as const;

/** `{app}/permalink/{resource}/view/{id}` for a document or contact Vortex created; null for an unknown kind or no id. */
export function lexofficeDeepLink(kind: string | null, id: string | null): string | null {
  const resource = kind ? RESOURCE[kind as keyof typeof RESOURCE] : undefined;
  return resource && id ? `${LEXOFFICE_APP_URL}/permalink/${resource}/view/${encodeURIComponent(id)}` : null;
}
