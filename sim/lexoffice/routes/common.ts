import type { FastifyReply, FastifyRequest } from 'fastify';
import { SimHttpError, bare, regular } from '../errors.ts';
import type { SimState } from '../state.ts';

// What every route group of the lexoffice simulator shares: its context, body and path helpers.

/** Behaviour switches for the points the research marks [UNCERTAIN] (see docs/lexoffice.md). */
export interface Behaviour {
  /** Stale `version` on a contact PUT: 406 IssueList on `version` (measured live) or 409. */
  readonly contactVersionConflict: 406 | 409;
  /** voucherlist `voucherNumber` filter: exact (default) or substring. */
  readonly voucherNumberMatch: 'exact' | 'substring';
  /** voucherlist `sort`: only voucherDate (measured live) or the documented four properties. */
  readonly voucherlistSort: 'live' | 'doc';
  /** Smallest `size` /v1/articles accepts (one source claims < 25 is refused); 1 = no such limit. */
  readonly articlesMinSize: number;
  /** Callback URLs must be https (the real service checks the certificate with HEAD; 406 otherwise). */
  readonly requireHttpsCallbacks: boolean;
  /** Status of a successful create (the docs say 201; one SDK saw 200). */
  readonly createStatus: 200 | 201;
}

export interface ApiCtx {
  state(): SimState;
  emit(eventType: string, resourceId: string): void;
  baseUrl(): string;
  now(): Date;
  keyOf(req: FastifyRequest): string;
  readonly behaviour: Behaviour;
}


export type Q = Record<string, string | undefined>;
export type Obj = Record<string, unknown>;
export const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);

/** JSON body of a POST/PUT: 415 without `Content-Type: application/json`, 400 on malformed JSON. */
export function jsonBody(req: FastifyRequest): unknown {
  const ct = req.headers['content-type'];
  if (!ct || !ct.toLowerCase().startsWith('application/json')) throw bare(415, 'Unsupported Media Type');
  const raw = Buffer.isBuffer(req.body) ? req.body.toString('utf8') : '';
  try {
    return JSON.parse(raw) as unknown;
  } catch {
    throw regular(400, req.url.split('?')[0] ?? '', 'JSON parse error: malformed request body');
  }
}

export function path(req: FastifyRequest): string {
  return req.url.split('?')[0] ?? req.url;
}

export function actionResult(ctx: ApiCtx, resource: string, id: string, created: string, updated: string, version: number): Obj {
  return { id, resourceUri: `${ctx.baseUrl()}/v1/${resource}/${id}`, createdDate: created, updatedDate: updated, version };
}

export function sendCreated(ctx: ApiCtx, reply: FastifyReply, body: Obj): Obj {
  reply.code(ctx.behaviour.createStatus).header('location', String(body.resourceUri));
  return body;
}

export function notFound(req: FastifyRequest): SimHttpError {
  return regular(404, path(req), 'Resource not found');
}

export function singleFilter(q: Q, name: string, req: FastifyRequest): string | undefined {
  const v = q[name] as unknown;
  if (Array.isArray(v)) throw regular(400, path(req), `filter '${name}' must not appear twice`);
  return v as string | undefined;
}
