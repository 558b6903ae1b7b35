/**
 * Asset ids are Firestore document ids. An id Firestore cannot hold (empty, a `/`, `.` or `..`,
 * a reserved `__x__` name, over 1,500 bytes) names no asset: callers answer "not found" rather than
 * letting the database refuse the path.
 */
export function isStorableDocumentId(id: string): boolean {
  return id.length > 0 && Buffer.byteLength(id, 'utf8') <= 1500 && !id.includes('/') && id !== '.' && id !== '..' && !/^__.*__$/.test(id);
}
