/** Create payloads as the clients send them. */
export function starPayload(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    layer: 'S',
    category: 'Pop',
    subcategory: 'Base',
    source: 'ReViz',
    description: 'Asset reference Star asset',
    tags: ['general'],
    trainingData: '{"prompts":[],"images":[],"videos":[]}',
    rights: '{"source":"Original","rights_split":"100%"}',
    ...overrides,
  };
}

export function formOf(fields: Record<string, unknown>, file?: { name: string; type: string; bytes: Uint8Array; field?: string }): FormData {
  const form = new FormData();
  for (const [name, value] of Object.entries(fields)) {
    if (Array.isArray(value)) for (const item of value) form.append(`${name}[]`, String(item));
    else form.append(name, typeof value === 'string' ? value : JSON.stringify(value));
  }
  if (file) form.append(file.field ?? 'file', new Blob([new Uint8Array(file.bytes)], { type: file.type }), file.name);
  return form;
}
