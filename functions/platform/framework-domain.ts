/**
 * functions-framework runs each HTTP call inside a `node:domain` (its per-request catch of uncaught
 * errors). A domain re-enters itself, through async hooks, around every callback and promise the call
 * creates, and each entry and exit re-registers the process's exception capture: on a 1000-item
 * listing, whose documents the Firestore client streams through several callbacks each, that cost
 * about as much as the read itself (docs/frontend.md, the browse page). The API settles every call
 * itself: each error is mapped to its answer in one place, and a rejection of the handler still
 * reaches the framework's error handler through the promise it returns. So a call leaves the domain
 * when it starts, and what it creates afterwards carries none; an exception nothing catches then
 * reaches the framework's process handler, which answers 500 and ends the instance.
 */
interface FrameworkDomain {
  exit(): void;
}

export function leaveFrameworkDomain(): void {
  (process as NodeJS.Process & { domain?: FrameworkDomain | null }).domain?.exit();
}
