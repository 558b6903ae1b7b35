/**
 * History recorded as the test process's configuration says (the emulator tier's environment), for
 * the Firestore adapters a suite builds itself rather than through the functions' runtime.
 */
import { HistoryRecorder } from '../../functions/adapters/firestore/firestore-history.js';
import { loadConfig } from '../../functions/platform/config.js';

export function testHistoryRecorder(): HistoryRecorder {
  return new HistoryRecorder(loadConfig().dataSafety);
}
