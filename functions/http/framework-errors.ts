/**
 * functions-framework has no error handler of its own: anything that fails in its middleware, before
 * the function runs, would be answered by Express's final handler in HTML (with a stack trace
 * outside production). Its body parsers were the usual source (a malformed JSON body, an unknown
 * charset); they no longer read any body (platform/request-bodies.ts), but the envelope stays for
 * whatever else fails there. This gives Express's application a final handler that answers in the
 * API's error envelope instead. It changes only requests that never reached the function.
 */
import express from 'express';
import { PayloadTooLargeError, UnsupportedMediaTypeError, ValidationError, type AppError } from '../domain/errors.js';
import type { Logger } from '../platform/logger.js';
import { errorReply } from './error-response.js';
import type { ApiRequest, ApiResponse } from './http-types.js';

interface BodyParserError {
  type?: string;
  status?: number;
  limit?: number;
}

type Handle = (this: unknown, request: ApiRequest, response: ApiResponse, callback?: (error?: unknown) => void) => void;

function toAppError(error: BodyParserError, maxBytes: number): AppError | unknown {
  switch (error.type) {
    case 'entity.parse.failed':
      return ValidationError.single('(body)', 'is not valid JSON');
    case 'entity.too.large':
      return new PayloadTooLargeError(maxBytes);
    case 'encoding.unsupported':
    case 'charset.unsupported':
      return new UnsupportedMediaTypeError('a body in an unsupported encoding or charset', ['UTF-8 JSON', 'multipart/form-data']);
    default:
      if (typeof error.status === 'number' && error.status >= 400 && error.status < 500) {
        return ValidationError.single('(body)', `could not be read (${error.type ?? 'bad request'})`);
      }
      return error;
  }
}

/**
 * Express's application prototype is patched once per process. A deployed instance installs it
 * once; a test process that builds several APIs in turn answers with the settings of the latest.
 */
let settings: { logger: Logger; maxBytes: number } | undefined;

export function installFrameworkErrorEnvelope(logger: Logger, maxBytes: number): void {
  const alreadyInstalled = settings !== undefined;
  settings = { logger, maxBytes };
  if (alreadyInstalled) return;
  const application = express.application as unknown as { handle: Handle };
  const original = application.handle;
  application.handle = function handle(request, response, callback) {
    const finish = (error?: unknown): void => {
      if (response.headersSent) {
        response.end();
        return;
      }
      const current = settings!;
      const reply = errorReply(toAppError((error ?? {}) as BodyParserError, current.maxBytes), current.logger);
      response.set(reply.headers).status(reply.status).json(reply.body);
    };
    original.call(this, request, response, callback ?? finish);
  };
}
