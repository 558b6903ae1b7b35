/**
 * Request bodies are read by the function that owns the request, after it has decided it wants
 * the body, never by functions-framework ahead of it. The framework puts express's body parsers in
 * front of every function (JSON, text, urlencoded, and a raw parser for any other type, each up to
 * 1 GiB), so without this every anonymous request was buffered whole before the function ran: eight
 * parallel 29 MiB bodies grew an instance by 650 MB. The parsers skip a request that announces no
 * body (type-is's hasBody: no Content-Length, no Transfer-Encoding), so those two headers are put
 * aside before the framework's middleware runs and given back when the function starts; the
 * request stream stays unread until the function reads it, with its own limit, or never (Node then
 * discards what arrives once the answer is sent).
 *
 * The framework offers no option for this, and its express application is built inside its server
 * (getServer) before any request, so the hook is express's application `handle`, patched once per
 * process before the framework creates its application (module load of the entry point).
 */
import express from 'express';
import type { IncomingMessage, ServerResponse } from 'node:http';

const BODY_HEADERS = ['content-length', 'transfer-encoding'] as const;
const SET_ASIDE = Symbol('body headers set aside');

type WithSetAside = IncomingMessage & { [SET_ASIDE]?: Partial<Record<(typeof BODY_HEADERS)[number], string>> };

type Handle = (this: unknown, request: IncomingMessage, response: ServerResponse, callback?: (error?: unknown) => void) => void;

let installed = false;

/** Keeps functions-framework's parsers off every request body of this process (idempotent). */
export function deferRequestBodies(): void {
  if (installed) return;
  installed = true;
  const application = express.application as unknown as { handle: Handle };
  const original = application.handle;
  application.handle = function handle(request, response, callback) {
    const headers = request.headers;
    const aside: Partial<Record<(typeof BODY_HEADERS)[number], string>> = {};
    let any = false;
    for (const name of BODY_HEADERS) {
      const value = headers[name];
      if (value === undefined) continue;
      aside[name] = value;
      delete headers[name];
      any = true;
    }
    if (any) (request as WithSetAside)[SET_ASIDE] = aside;
    original.call(this, request, response, callback);
  };
}

/** Gives a request its body headers back (what the client sent); the function calls it first. */
export function restoreBodyHeaders(request: IncomingMessage): void {
  const held = request as WithSetAside;
  const aside = held[SET_ASIDE];
  if (!aside) return;
  delete held[SET_ASIDE];
  for (const name of BODY_HEADERS) {
    const value = aside[name];
    if (value !== undefined) request.headers[name] = value;
  }
}

/** Whether the request carries a body (announced by Content-Length above 0 or Transfer-Encoding). */
export function hasRequestBody(request: IncomingMessage): boolean {
  if (request.headers['transfer-encoding'] !== undefined) return true;
  const declared = Number(request.headers['content-length'] ?? 0);
  return Number.isFinite(declared) && declared > 0;
}
