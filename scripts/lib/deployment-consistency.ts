/**
 * Checks that the names the code uses (entry points, topics, buckets, environment variables,
 * metric names) agree with cloudbuild.yaml and infra/, and that every deployment file parses.
 * Works on any directory holding a copy of those files, so a test can mutate a copy and watch the
 * drift being reported.
 */
import { parse as parseHcl } from '@cdktf/hcl2json';
import { execFileSync } from 'node:child_process';
import { accessSync, constants, existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { parse as parseYaml } from 'yaml';
import { METRIC_NAMES } from '../../functions/domain/ports/metrics.js';
import { CONFIG_VARIABLES } from '../../functions/platform/config-environment.js';
import { DEFAULT_TOPICS, FUNCTION_ENTRY_POINTS } from '../../functions/platform/resource-names.js';
import { BUNDLES_DIRECTORY } from '../build/function-bundles.js';

interface BuildStep {
  id?: string;
  name?: string;
  entrypoint?: string;
  args?: string[];
  env?: string[];
  waitFor?: string[];
}

interface CloudBuild {
  substitutions?: Record<string, string>;
  steps?: BuildStep[];
}

type Hcl = Record<string, Record<string, Record<string, Array<Record<string, unknown>>>>>;

export interface ConsistencyInput {
  /** Directory holding cloudbuild.yaml, infra/ and scripts/ (the project root or a copy). */
  root: string;
  /** Entry points the function module registers (functions-framework's registry). */
  registeredFunctions: readonly string[];
}

function flagValues(args: readonly string[], flag: string): string[] {
  return args.filter((arg) => arg.startsWith(`${flag}=`)).map((arg) => arg.slice(flag.length + 1));
}

/** What cloudbuild.yaml relies on infra/ for, checked against it there. */
interface BuildNeeds {
  /** Secret Manager secrets its deploys read. */
  secrets: string[];
  /** The Cloud Scheduler job whose token audience the audience check compares (SWEEP_JOB). */
  sweepJob: string | undefined;
}

/**
 * Each function deploys its own bundle (scripts/build/function-bundles.ts), which a step running
 * `npm run bundle` writes before the deploy: not the project directory, whose dist/ is unbundled.
 */
function checkBundles(steps: readonly BuildStep[], problems: string[]): void {
  const bundleStep = steps.findIndex((step) => step.entrypoint === 'npm' && step.args?.[0] === 'run' && step.args[1] === 'bundle');
  if (bundleStep < 0) problems.push('cloudbuild.yaml has no step that runs npm run bundle');
  steps.forEach((step, index) => {
    const args = step.args ?? [];
    if (step.entrypoint !== 'gcloud' || args[0] !== 'functions' || args[1] !== 'deploy') return;
    const name = args[2] ?? '';
    const bundle = `${BUNDLES_DIRECTORY}/${name}`;
    const source = flagValues(args, '--source')[0];
    if (source !== bundle) problems.push(`deploy ${name}: --source is ${source ?? 'missing'}, not its bundle ${bundle}`);
    if (bundleStep >= 0 && !prerequisitesOf(steps, index).has(bundleStep)) problems.push(`deploy ${name} does not wait for the bundle step`);
  });
}

/** Every step a step waits for, directly or through others (no waitFor: every step before it). */
function prerequisitesOf(steps: readonly BuildStep[], index: number, seen = new Set<number>()): Set<number> {
  const waits = steps[index]!.waitFor;
  const direct =
    waits === undefined
      ? steps.slice(0, index).map((_, before) => before)
      : waits.filter((id) => id !== '-').map((id) => steps.findIndex((step) => step.id === id));
  for (const before of direct) {
    if (before < 0 || seen.has(before)) continue;
    seen.add(before);
    prerequisitesOf(steps, before, seen);
  }
  return seen;
}

/**
 * The API accepts Google identity tokens for AUTH_AUDIENCE, and the daily sweep's Cloud Scheduler
 * token names the API's URL: the default must be the dev API's URL, the deploy must pass it on, and
 * the step that compares it with the deployed function and the sweep job must run before the deploy.
 */
function checkAudience(
  steps: readonly BuildStep[],
  substitutions: Record<string, string>,
  dev: Record<string, string>,
  problems: string[],
): string | undefined {
  const deployIndex = steps.findIndex((step) => step.entrypoint === 'gcloud' && step.args?.[0] === 'functions' && step.args[2] === FUNCTION_ENTRY_POINTS.api);
  if (deployIndex < 0) return undefined;
  const deploy = steps[deployIndex]!;
  const variables = flagValues(deploy.args ?? [], '--set-env-vars').flatMap((list) => list.split(','));
  if (!variables.includes('AUTH_AUDIENCE=${_AUTH_AUDIENCE}')) problems.push('deploy api: AUTH_AUDIENCE is not set to ${_AUTH_AUDIENCE}');
  const url = `https://${substitutions['_REGION']}-${dev['project_id']}.cloudfunctions.net/${FUNCTION_ENTRY_POINTS.api}`;
  const audience = substitutions['_AUTH_AUDIENCE'];
  if (dev['project_id'] !== undefined && audience !== url) {
    problems.push(`_AUTH_AUDIENCE default ${audience} is not the API's URL ${url}, the audience of the daily sweep's token (infra/scheduler.tf)`);
  }
  if (dev['api_url'] && dev['api_url'] !== audience)
    problems.push(`_AUTH_AUDIENCE default ${audience} differs from infra/environments/dev.tfvars api_url = ${dev['api_url']}`);
  const checkIndex = steps.findIndex((step) => step.entrypoint === 'bash' && step.args?.[0] === 'scripts/deploy-functions.sh' && step.args[1] === 'audience');
  if (checkIndex < 0) {
    problems.push('no step runs scripts/deploy-functions.sh audience api, the check of _AUTH_AUDIENCE');
    return undefined;
  }
  const check = steps[checkIndex]!;
  if (check.args?.[2] !== FUNCTION_ENTRY_POINTS.api) problems.push(`${check.id}: checks the audience of ${check.args?.[2]}, not ${FUNCTION_ENTRY_POINTS.api}`);
  if (!(check.env ?? []).includes('AUTH_AUDIENCE=${_AUTH_AUDIENCE}')) problems.push(`${check.id}: does not check AUTH_AUDIENCE=\${_AUTH_AUDIENCE}`);
  if (!prerequisitesOf(steps, deployIndex).has(checkIndex))
    problems.push(`${deploy.id}: deploy-api does not wait for the step that checks _AUTH_AUDIENCE (${check.id})`);
  return (check.env ?? []).find((entry) => entry.startsWith('SWEEP_JOB='))?.slice('SWEEP_JOB='.length);
}

/** Checks cloudbuild.yaml; returns what its deploys need from infra, for the infra check. */
function checkCloudBuild(input: ConsistencyInput, problems: string[]): BuildNeeds {
  const file = path.join(input.root, 'cloudbuild.yaml');
  let build: CloudBuild;
  try {
    build = parseYaml(readFileSync(file, 'utf8')) as CloudBuild;
  } catch (error) {
    problems.push(`cloudbuild.yaml does not parse: ${(error as Error).message}`);
    return { secrets: [], sweepJob: undefined };
  }
  const steps = build.steps ?? [];
  const substitutions = build.substitutions ?? {};
  const ids = new Set(steps.map((step) => step.id));
  const deployed = new Map<string, string[]>();
  const secrets: string[] = [];
  for (const [index, step] of steps.entries()) {
    const label = step.id ?? `step ${index}`;
    if (!step.name) problems.push(`${label}: no image (name)`);
    for (const dependency of step.waitFor ?? []) {
      if (dependency !== '-' && !ids.has(dependency)) problems.push(`${label}: waits for unknown step ${dependency}`);
    }
    const args = step.args ?? [];
    const script = step.entrypoint === 'bash' ? args[0] : undefined;
    if (script) {
      const scriptPath = path.join(input.root, script);
      try {
        accessSync(scriptPath, constants.X_OK);
      } catch {
        problems.push(`${label}: entry point ${script} does not exist or is not executable`);
      }
    }
    if (step.entrypoint === 'gcloud' && args[0] === 'functions' && args[1] === 'deploy') deployed.set(args[2] ?? '', args);
  }
  const expected = Object.values(FUNCTION_ENTRY_POINTS);
  for (const name of expected) if (!deployed.has(name)) problems.push(`cloudbuild.yaml does not deploy ${name}`);
  for (const [name, args] of deployed) {
    const entryPoint = flagValues(args, '--entry-point')[0];
    if (!expected.includes(entryPoint as (typeof expected)[number]))
      problems.push(`deploy ${name}: entry point ${entryPoint} is not one of ${expected.join(', ')}`);
    if (entryPoint && !input.registeredFunctions.includes(entryPoint))
      problems.push(`deploy ${name}: entry point ${entryPoint} is not registered by functions/index.ts`);
    if (!args.includes('--gen2')) problems.push(`deploy ${name}: not 2nd gen (--gen2 missing)`);
    if (!flagValues(args, '--runtime').includes('nodejs22')) problems.push(`deploy ${name}: runtime is not nodejs22`);
    for (const flag of ['--service-account', '--memory', '--timeout', '--max-instances']) {
      if (flagValues(args, flag).length === 0) problems.push(`deploy ${name}: ${flag} missing`);
    }
    const variables = flagValues(args, '--set-env-vars').flatMap((list) => list.split(',').map((pair) => pair.split('=')[0]!));
    if (!variables.includes('DEPLOY_ENV')) problems.push(`deploy ${name}: DEPLOY_ENV not set`);
    // --set-secrets=VARIABLE=secret:version,...: the variable must be one the code reads, the secret one infra creates.
    const secretPairs = flagValues(args, '--set-secrets').flatMap((list) => list.split(',').map((pair) => pair.split('=')));
    for (const [variable, reference] of secretPairs) {
      variables.push(variable!);
      secrets.push((reference ?? '').split(':')[0]!);
    }
    for (const variable of variables) {
      if (!CONFIG_VARIABLES.includes(variable)) problems.push(`deploy ${name}: ${variable} is not a configuration variable the code reads`);
    }
  }
  checkBundles(steps, problems);
  const processAlbumArt = deployed.get(FUNCTION_ENTRY_POINTS.processAlbumArt) ?? [];
  if (processAlbumArt.length > 0 && !flagValues(processAlbumArt, '--trigger-topic').includes('${_ALBUM_ART_TOPIC}')) {
    problems.push('processAlbumArt is not triggered by ${_ALBUM_ART_TOPIC}');
  }
  if (processAlbumArt.length > 0 && !processAlbumArt.includes('--retry')) problems.push('processAlbumArt has no --retry');
  // The processor marks a job failed on its last delivery; it must count as many as the subscription allows.
  const attempts = flagValues(processAlbumArt, '--set-env-vars').some((list) => list.split(',').includes('ALBUM_ART_MAX_ATTEMPTS=${_MAX_DELIVERY_ATTEMPTS}'));
  if (processAlbumArt.length > 0 && !attempts)
    problems.push('processAlbumArt does not set ALBUM_ART_MAX_ATTEMPTS=${_MAX_DELIVERY_ATTEMPTS} (its attempts must match the dead-letter policy)');
  const variants = deployed.get(FUNCTION_ENTRY_POINTS.generateVariants) ?? [];
  const filters = flagValues(variants, '--trigger-event-filters');
  if (variants.length > 0 && (!filters.includes('type=google.cloud.storage.object.v1.finalized') || !filters.includes('bucket=${_ALBUM_ART_BUCKET}'))) {
    problems.push('generateVariants is not triggered by object finalize events of ${_ALBUM_ART_BUCKET}');
  }
  const text = readFileSync(file, 'utf8');
  for (const match of text.matchAll(/\$\{(_[A-Z0-9_]+)\}/g)) {
    if (!(match[1]! in substitutions)) problems.push(`cloudbuild.yaml uses \${${match[1]}} without a default in substitutions`);
  }
  if (substitutions['_ALBUM_ART_TOPIC'] !== DEFAULT_TOPICS.albumArtJobs)
    problems.push(`_ALBUM_ART_TOPIC default ${substitutions['_ALBUM_ART_TOPIC']} differs from the code's ${DEFAULT_TOPICS.albumArtJobs}`);
  if (substitutions['_ALBUM_ART_DEAD_LETTER_TOPIC'] !== DEFAULT_TOPICS.albumArtDeadLetter) {
    problems.push(
      `_ALBUM_ART_DEAD_LETTER_TOPIC default ${substitutions['_ALBUM_ART_DEAD_LETTER_TOPIC']} differs from the code's ${DEFAULT_TOPICS.albumArtDeadLetter}`,
    );
  }
  const dev = readTfvars(path.join(input.root, 'infra/environments/dev.tfvars'));
  for (const [substitution, variable] of [
    ['_ASSETS_BUCKET', 'assets_bucket_name'],
    ['_ALBUM_ART_BUCKET', 'album_art_bucket_name'],
  ] as const) {
    if (dev[variable] !== undefined && substitutions[substitution] !== dev[variable]) {
      problems.push(`${substitution} default ${substitutions[substitution]} differs from infra/environments/dev.tfvars ${variable} = ${dev[variable]}`);
    }
  }
  return { secrets, sweepJob: checkAudience(steps, substitutions, dev, problems) };
}

function readTfvars(file: string): Record<string, string> {
  if (!existsSync(file)) return {};
  const values: Record<string, string> = {};
  for (const match of readFileSync(file, 'utf8').matchAll(/^\s*(\w+)\s*=\s*"?([^"\n]*)"?\s*$/gm)) values[match[1]!] = match[2]!;
  return values;
}

async function parseInfra(root: string, problems: string[]): Promise<Hcl[]> {
  const directory = path.join(root, 'infra');
  const parsed: Hcl[] = [];
  for (const name of readdirSync(directory)
    .filter((file) => file.endsWith('.tf'))
    .sort()) {
    try {
      parsed.push((await parseHcl(name, readFileSync(path.join(directory, name), 'utf8'))) as Hcl);
    } catch (error) {
      problems.push(`infra/${name} does not parse: ${String(error).split('\n')[0]}`);
    }
  }
  return parsed;
}

function blocks(files: Hcl[], kind: string, type: string): Array<[string, Record<string, unknown>]> {
  return files.flatMap((file) => Object.entries(file[kind]?.[type] ?? {}).map(([name, list]) => [name, list[0] ?? {}] as [string, Record<string, unknown>]));
}

/** The daily sweep calls the API with an OIDC token whose audience must be the API URL the deploy accepts. */
function checkSweep(files: Hcl[], sweepJob: string | undefined, problems: string[]): void {
  const [, job] = blocks(files, 'resource', 'google_cloud_scheduler_job').find(([name]) => name === 'purge_deleted_assets') ?? [];
  if (!job) {
    problems.push('infra/scheduler.tf declares no google_cloud_scheduler_job purge_deleted_assets (the daily sweep)');
    return;
  }
  const target = (job['http_target'] as Array<Record<string, unknown>> | undefined)?.[0];
  const token = (target?.['oidc_token'] as Array<Record<string, unknown>> | undefined)?.[0];
  if (token?.['audience'] !== '${var.api_url}') problems.push(`the daily sweep's OIDC audience is ${String(token?.['audience'])}, not \${var.api_url}`);
  if (!String(target?.['uri']).startsWith('${var.api_url}/')) problems.push(`the daily sweep calls ${String(target?.['uri'])}, not a path of \${var.api_url}`);
  if (sweepJob !== undefined && sweepJob !== job['name']) {
    problems.push(`cloudbuild.yaml checks the sweep job ${sweepJob}, but infra/scheduler.tf names it ${String(job['name'])}`);
  }
}

async function checkInfra(input: ConsistencyInput, needs: BuildNeeds, problems: string[]): Promise<void> {
  const files = await parseInfra(input.root, problems);
  const secretIds = blocks(files, 'resource', 'google_secret_manager_secret').map(([, body]) => body['secret_id']);
  for (const secret of needs.secrets) if (!secretIds.includes(secret)) problems.push(`cloudbuild.yaml reads secret ${secret}, which infra does not create`);
  checkSweep(files, needs.sweepJob, problems);
  const variables = Object.fromEntries(files.flatMap((file) => Object.entries(file['variable'] ?? {}).map(([name, list]) => [name, list[0] ?? {}])));
  const defaultOf = (name: string) => (variables[name] as { default?: unknown } | undefined)?.default;
  if (defaultOf('album_art_topic_name') !== DEFAULT_TOPICS.albumArtJobs)
    problems.push(`infra variable album_art_topic_name defaults to ${String(defaultOf('album_art_topic_name'))}, the code to ${DEFAULT_TOPICS.albumArtJobs}`);
  if (defaultOf('album_art_dead_letter_topic_name') !== DEFAULT_TOPICS.albumArtDeadLetter) {
    problems.push(
      `infra variable album_art_dead_letter_topic_name defaults to ${String(defaultOf('album_art_dead_letter_topic_name'))}, the code to ${DEFAULT_TOPICS.albumArtDeadLetter}`,
    );
  }
  const topicNames = blocks(files, 'resource', 'google_pubsub_topic').map(([, body]) => body['name']);
  for (const variable of ['${var.album_art_topic_name}', '${var.album_art_dead_letter_topic_name}']) {
    if (!topicNames.includes(variable)) problems.push(`infra declares no topic named ${variable}`);
  }
  if (!blocks(files, 'resource', 'google_pubsub_subscription').some(([, body]) => String(body['topic']).includes('album_art_dead_letter'))) {
    problems.push('the dead-letter topic has no subscription (its messages would be lost)');
  }
  const metricNames = blocks(files, 'resource', 'google_logging_metric').map(([, body]) => String(body['name']));
  for (const metric of METRIC_NAMES) if (!metricNames.includes(metric)) problems.push(`infra has no log-based metric ${metric}`);
  for (const metric of metricNames)
    if (!(METRIC_NAMES as readonly string[]).includes(metric)) problems.push(`infra defines log-based metric ${metric} that the code never records`);
  const sources = readdirSync(path.join(input.root, 'infra'))
    .filter((file) => file.endsWith('.tf'))
    .map((file) => readFileSync(path.join(input.root, 'infra', file), 'utf8'));
  for (const source of sources) {
    for (const match of source.matchAll(/(?:logging\.googleapis\.com\/user|\$\{local\.user_metric\})\/(\w+)/g)) {
      if (!(METRIC_NAMES as readonly string[]).includes(match[1]!)) problems.push(`infra refers to metric ${match[1]} that the code never records`);
    }
    for (const match of source.matchAll(/metric\s*=\s*"(\w+)"/g)) {
      if (!(METRIC_NAMES as readonly string[]).includes(match[1]!)) problems.push(`infra dashboard charts metric ${match[1]} that the code never records`);
    }
    for (const match of source.matchAll(/file\("\$\{path\.module\}\/([^"]+)"\)/g)) {
      if (!existsSync(path.join(input.root, 'infra', match[1]!))) problems.push(`infra reads ${match[1]}, which does not exist`);
    }
  }
  for (const environment of ['dev', 'staging', 'production']) {
    const values = readTfvars(path.join(input.root, `infra/environments/${environment}.tfvars`));
    if (values['environment'] !== environment) problems.push(`infra/environments/${environment}.tfvars sets environment = ${values['environment']}`);
    for (const [variable, expected] of [
      ['album_art_topic_name', DEFAULT_TOPICS.albumArtJobs],
      ['album_art_dead_letter_topic_name', DEFAULT_TOPICS.albumArtDeadLetter],
    ] as const) {
      if (values[variable] !== undefined && values[variable] !== expected)
        problems.push(`infra/environments/${environment}.tfvars ${variable} = ${values[variable]}, the code uses ${expected}`);
    }
  }
}

/** Every drift or parse problem found, as sentences; empty when all agree. */
export async function checkDeploymentConsistency(input: ConsistencyInput): Promise<string[]> {
  const problems: string[] = [];
  await checkInfra(input, checkCloudBuild(input, problems), problems);
  return problems;
}

/** `terraform fmt -check` over infra/; returns the files it would reformat (throws if terraform is missing). */
export function terraformFormatProblems(root: string): string[] {
  try {
    execFileSync('terraform', ['fmt', '-check', '-recursive', path.join(root, 'infra')], { stdio: ['ignore', 'pipe', 'pipe'] });
    return [];
  } catch (error) {
    const failure = error as { code?: string; status?: number; stdout?: Buffer };
    if (failure.code === 'ENOENT') throw new Error('terraform is not on the PATH (Terraform 1.11 is expected on these machines)', { cause: error });
    return String(failure.stdout ?? '')
      .split('\n')
      .filter(Boolean);
  }
}
