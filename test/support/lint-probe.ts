/**
 * ESLint with the project's configuration, for source that is not on disk (probes linted as if they
 * were at a given path). The type-checked rules' project service gives such files the default
 * project; typescript-eslint keeps one project service per process, so every suite uses these same
 * patterns.
 */
import { ESLint } from 'eslint';
import { PROJECT_ROOT } from './test-environment.js';

const PROBE_PATHS = ['lint-probes/*.ts', 'functions/*/edge-probe.ts', 'functions/*/*/edge-probe.ts'];

export function probeEslint(): ESLint {
  return new ESLint({ cwd: PROJECT_ROOT, overrideConfig: { languageOptions: { parserOptions: { projectService: { allowDefaultProject: PROBE_PATHS } } } } });
}
