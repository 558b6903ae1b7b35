/** The API function's entry point: its own bundle when deployed (scripts/build/bundle-functions.ts). */
import * as functions from '@google-cloud/functions-framework';
import { createApiFunction } from '../http/api-function.js';
import { runtime } from '../composition.js';

functions.http('api', createApiFunction(runtime));
