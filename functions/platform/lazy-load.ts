/**
 * Loads something once, on first use, and shares the result. A failed load is forgotten, so the next
 * call loads again: a transient failure (a module's native binding, a client that could not start)
 * must not fail every later event of the instance.
 */
export function lazyLoad<T>(load: () => Promise<T>): () => Promise<T> {
  let loading: Promise<T> | undefined;
  return () => {
    loading ??= load().catch((error: unknown) => {
      loading = undefined;
      throw error;
    });
    return loading;
  };
}
