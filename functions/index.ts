/**
 * All three functions in one process, as the tests and `node dist/functions/index.js` load them.
 * Each entry point only wires (functions/entry-points/); deployed, each is a bundle of its own
 * (docs/deployment.md). The API never loads sharp: the pipeline functions load their image code on
 * their first event.
 */
import './entry-points/api.js';
import './entry-points/process-album-art.js';
import './entry-points/generate-variants.js';
