import type { Request, Response } from '@google-cloud/functions-framework';
import type { Principal } from '../domain/ports/token-verifier.js';
import type { Logger } from '../platform/logger.js';
import type { ContentCoding } from './response-encoding.js';

export type ApiRequest = Request;
export type ApiResponse = Response;

/** What a route handler gets: the request, its path parameters, the caller and a request logger. */
export interface RouteContext {
  request: ApiRequest;
  params: Record<string, string>;
  principal: Principal | undefined;
  logger: Logger;
}

/** A handler's answer; the API writes it in the success envelope `{ success: true, data }`. */
export interface RouteResult {
  status?: number;
  headers?: Record<string, string>;
  data?: unknown;
  /** Replaces the envelope entirely (the OpenAPI document is not wrapped). */
  raw?: unknown;
  /** 304 and friends: no body. */
  empty?: boolean;
  /** A non-JSON body (the status page's HTML) with its content type. */
  text?: { contentType: string; body: string };
  /** The whole JSON body, serialized ahead (a shared listing page). */
  serialized?: SerializedBody;
}

/** JSON bytes serialized once for many requests, with each coding kept once it is made. */
export interface SerializedBody {
  bytes: Buffer;
  encoded(coding: ContentCoding): Promise<Buffer>;
}
