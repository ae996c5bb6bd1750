export { LexofficeClient, type LexofficeClientOptions, type ContactInput, type ContactChanges, type CreditNoteInput, type RejectedArticle, type ArticlePage, parseArticle, type SalesVoucherInput, type LineItemInput, type VoucherlistFilter, type ArticleFilter, type ContactFilter, lexofficeDateTime, escapeLike, htmlEncode } from './client.ts';
export { LexofficeHttp, DEFAULT_BASE_URL, type BinaryResponse } from './http.ts';
export { LexofficeValidationError, LexofficeVersionConflictError, LexofficeConflictError, parseErrorBody, classifyHttpError, type LexofficeErrorBody } from './errors.ts';
export { verifyWebhookSignature, parseWebhook, loadWebhookKey, SIGNATURE_HEADER } from './webhooks.ts';
export type * from './schemas.ts';
export { lexofficeDeepLink, LEXOFFICE_APP_URL } from './links.ts';
