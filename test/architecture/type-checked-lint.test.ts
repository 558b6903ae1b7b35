/**
 * typescript-eslint's type-checked rules are on in the project's eslint.config.js: a promise left
 * floating, a promise where a plain value is expected and a switch that misses a union member are
 * lint errors. The probe is linted as a file of its own (not on disk: test/support/lint-probe.ts),
 * with the project's configuration.
 */
import { expect } from 'chai';
import path from 'node:path';
import { probeEslint } from '../support/lint-probe.js';
import { PROJECT_ROOT } from '../support/test-environment.js';

async function typeCheckedFindings(source: string): Promise<string[]> {
  const eslint = probeEslint();
  const [result] = await eslint.lintText(source, { filePath: path.join(PROJECT_ROOT, 'lint-probes/probe.ts') });
  expect(result!.messages.filter((message) => message.fatal)).to.deep.equal([]);
  return result!.messages.map((message) => `${message.ruleId} line ${message.line}`);
}

describe('type-checked lint rules (typescript-eslint)', function () {
  this.timeout(120_000);

  it('refuses floating and misused promises and a switch that misses a case', async () => {
    const findings = await typeCheckedFindings(
      [
        'async function work(): Promise<number> {',
        '  return 1;',
        '}',
        'export function run(items: number[]): void {',
        '  work();',
        '  items.forEach(async () => {',
        '    await work();',
        '  });',
        '  if (work()) items.push(1);',
        '}',
        "export function label(kind: 'a' | 'b'): string {",
        '  switch (kind) {',
        "    case 'a':",
        "      return 'A';",
        '  }',
        "  return '';",
        '}',
        '',
      ].join('\n'),
    );
    expect(findings).to.deep.equal([
      '@typescript-eslint/no-floating-promises line 5',
      '@typescript-eslint/no-misused-promises line 6',
      '@typescript-eslint/no-misused-promises line 9',
      '@typescript-eslint/switch-exhaustiveness-check line 12',
    ]);
  });

  it('accepts an awaited promise, a deliberate void and a switch with a default for the rest', async () => {
    const findings = await typeCheckedFindings(
      [
        'async function work(): Promise<number> {',
        '  return 1;',
        '}',
        'export async function run(): Promise<number> {',
        '  // Fire-and-forget on purpose: nothing waits for it.',
        '  void work();',
        '  return await work();',
        '}',
        "export function label(kind: 'a' | 'b'): string {",
        '  switch (kind) {',
        "    case 'a':",
        "      return 'A';",
        '    default:',
        "      return 'other';",
        '  }',
        '}',
        '',
      ].join('\n'),
    );
    expect(findings).to.deep.equal([]);
  });
});
