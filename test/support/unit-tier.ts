/**
 * The unit tier's only root hook file (`.mocharc.unit.json`): no emulator starts, and a unit test
 * that reaches for a database fails at once with a message saying so, instead of waiting on a
 * database that is not there. Loaded before any spec file.
 *
 * The cloud SDKs may be loaded (production modules import them beside pure code, and loading does
 * no I/O), but every method of their clients throws, constructors included: a test that makes a
 * Pub/Sub or Cloud Storage client is an emulator-tier test. A Firestore client may be made to build
 * values with it (document references, as stored documents hold them): its constructor and doc() and
 * collection() run, and everything that reads or writes still throws. The emulator harness and
 * functions-framework cannot even be imported.
 */
import { Firestore } from '@google-cloud/firestore';
import { PubSub } from '@google-cloud/pubsub';
import { Storage } from '@google-cloud/storage';
import { registerHooks } from 'node:module';

const MOVE_IT =
  'A test that needs Firestore, Pub/Sub, Cloud Storage or functions-framework belongs to the emulator tier (a file named *.test.ts, not *.unit.test.ts).';

export class UnitTierError extends Error {
  constructor(what: string) {
    super(`The unit tier runs without emulators: ${what}. ${MOVE_IT}`);
    this.name = 'UnitTierError';
  }
}

/** Every method of a client class throws but the `kept` ones: construction calls some of them, so without those it throws too. */
function disable(client: { name: string; prototype: object }, kept: readonly string[] = []): void {
  for (let prototype = client.prototype; prototype !== Object.prototype; prototype = Object.getPrototypeOf(prototype) as object) {
    for (const name of Object.getOwnPropertyNames(prototype)) {
      const descriptor = Object.getOwnPropertyDescriptor(prototype, name);
      if (name === 'constructor' || kept.includes(name) || typeof descriptor?.value !== 'function') continue;
      Object.defineProperty(prototype, name, {
        ...descriptor,
        value: () => {
          throw new UnitTierError(`${client.name}.${name}() was called`);
        },
      });
    }
  }
}

/** What the Firestore client's constructor calls, and the reference builders: none of them does I/O. */
disable(Firestore, ['validateAndApplySettings', 'newTraceUtilInstance', 'doc', 'collection']);
disable(PubSub);
disable(Storage);

/** Modules that cannot be loaded at all here: the emulator harness, and what serves functions over HTTP. */
const REFUSED_PACKAGES = ['firebase-admin', '@google-cloud/functions-framework'];
const REFUSED_FILES = ['/scripts/lib/emulators.js', '/test/support/root-hooks.js', '/test/support/firestore-direct.js', '/test/support/api-server.js'];

registerHooks({
  resolve(specifier, context, nextResolve) {
    if (REFUSED_PACKAGES.some((name) => specifier === name || specifier.startsWith(`${name}/`))) {
      throw new UnitTierError(`${specifier} was imported by ${context.parentURL ?? 'a spec'}`);
    }
    const resolved = nextResolve(specifier, context);
    if (REFUSED_FILES.some((suffix) => resolved.url.endsWith(suffix)))
      throw new UnitTierError(`${resolved.url} was imported by ${context.parentURL ?? 'a spec'}`);
    return resolved;
  },
});

// Nothing in this process may find an emulator by accident, nor production through default credentials.
for (const variable of [
  'FIRESTORE_EMULATOR_HOST',
  'PUBSUB_EMULATOR_HOST',
  'FIREBASE_AUTH_EMULATOR_HOST',
  'STORAGE_EMULATOR_HOST',
  'GOOGLE_APPLICATION_CREDENTIALS',
]) {
  delete process.env[variable];
}

export const mochaHooks = {};
