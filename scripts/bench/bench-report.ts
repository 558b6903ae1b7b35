/**
 * Benchmark figures and the report: every benchmark writes `bench/results/<name>.json`, and the
 * report `bench/REPORT.md` puts each figure beside its goal with the ratio.
 */
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const BENCH_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../../bench');

export interface Goal {
  /** The figure must be at most (`<=`) or at least (`>=`) this. */
  comparison: '<=' | '>=';
  target: number;
}

export interface Figure {
  name: string;
  value: number;
  unit: string;
  goal?: Goal;
  note?: string;
}

export interface BenchResult {
  benchmark: string;
  /** What the benchmark measures, in a few words: the report's heading beside its name. */
  topic: string;
  description: string;
  measuredAt: string;
  machine: { cpus: number; cpuModel: string; memoryGiB: number; node: string };
  figures: Figure[];
}

/** The node flags of an npm script (those between `node` and the script in its last command, after the build): what operators run. */
export function npmScriptNodeFlags(script: string): string[] {
  const scripts = (JSON.parse(readFileSync(path.join(BENCH_ROOT, '..', 'package.json'), 'utf8')) as { scripts: Record<string, string> }).scripts;
  const command = scripts[script]!.split('&&').at(-1)!.trim().split(/\s+/);
  return command.slice(command.indexOf('node') + 1).filter((token) => token.startsWith('--'));
}

export function percentile(sortedValues: number[], fraction: number): number {
  if (sortedValues.length === 0) return Number.NaN;
  const index = Math.min(sortedValues.length - 1, Math.max(0, Math.ceil(fraction * sortedValues.length) - 1));
  return sortedValues[index]!;
}

export function median(values: number[]): number {
  return percentile([...values].sort((a, b) => a - b), 0.5);
}

export function writeResult(benchmark: string, topic: string, description: string, figures: Figure[]): BenchResult {
  const result: BenchResult = {
    benchmark,
    topic,
    description,
    measuredAt: new Date().toISOString(),
    machine: { cpus: os.cpus().length, cpuModel: os.cpus()[0]?.model ?? 'unknown', memoryGiB: Math.round(os.totalmem() / 2 ** 30), node: process.version },
    figures,
  };
  mkdirSync(path.join(BENCH_ROOT, 'results'), { recursive: true });
  writeFileSync(path.join(BENCH_ROOT, 'results', `${benchmark}.json`), `${JSON.stringify(result, null, 2)}\n`);
  return result;
}

function goalStatus(figure: Figure): { goal: string; ratio: string; met: string } {
  if (!figure.goal) return { goal: '', ratio: '', met: '' };
  const { comparison, target } = figure.goal;
  const met = comparison === '<=' ? figure.value <= target : figure.value >= target;
  // A goal of zero (no errors) has no meaningful ratio.
  const ratio = target === 0 ? '-' : (figure.value / target).toFixed(2);
  return { goal: `${comparison} ${target}`, ratio, met: met ? 'yes' : '**no**' };
}

function formatValue(value: number): string {
  return Math.abs(value) >= 100 ? value.toFixed(0) : Math.abs(value) >= 10 ? value.toFixed(1) : value.toFixed(3);
}

/** Rewrites bench/REPORT.md from every result file present. */
export function writeReport(): string {
  const directory = path.join(BENCH_ROOT, 'results');
  const results = readdirSync(directory)
    .filter((name) => name.endsWith('.json'))
    .map((name) => JSON.parse(readFileSync(path.join(directory, name), 'utf8')) as BenchResult)
    .sort((a, b) => a.benchmark.localeCompare(b.benchmark));
  const lines = ['# Benchmark report', '', 'Written by `npm run bench`; each figure beside its goal. Ratio = figure / goal target.', ''];
  for (const result of results) {
    lines.push(`## ${result.benchmark} (${result.topic})`, '', result.description, '');
    lines.push(`Measured ${result.measuredAt} on ${result.machine.cpus} × ${result.machine.cpuModel}, ${result.machine.memoryGiB} GiB, Node ${result.machine.node}.`, '');
    lines.push('| figure | value | unit | goal | ratio to goal | met |', '|---|---|---|---|---|---|');
    for (const figure of result.figures) {
      const status = goalStatus(figure);
      lines.push(`| ${figure.name}${figure.note ? ` (${figure.note})` : ''} | ${formatValue(figure.value)} | ${figure.unit} | ${status.goal} | ${status.ratio} | ${status.met} |`);
    }
    lines.push('');
  }
  const report = lines.join('\n');
  writeFileSync(path.join(BENCH_ROOT, 'REPORT.md'), report);
  return report;
}
