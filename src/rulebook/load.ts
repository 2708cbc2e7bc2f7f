/**
 * Loads the rulebook: rules/*.yaml (and user overlays), validated against rules/rulebook.schema.json,
 * every `fn` against the check registry and every `with` against that check's params schema.
 * All problems are collected and reported at once, each as `file:line` plus a path.
 */
import { createHash } from 'node:crypto';
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Rule, Rulebook, Severity } from '../model/rulebook.js';
import { InputError, InputErrors } from '../errors.js';
import { readYamlSource, type YamlSource } from '../yaml-source.js';
import { ajvErrorPath, createAjv, describeAjvError, type ValidateFunction } from '../ajv.js';
import type { CheckRegistry } from '../checks/registry.js';
import { defaultRegistry } from '../checks/index.js';
import { RULES_DIR } from '../paths.js';
import { compareClauses } from '../model/clauses.js';
import { readCompiledRulebook } from './compiled.js';

export interface LoadRulebookOptions {
  /** Base rule files; default: every `*.yaml` in the shipped rules/ folder, in name order. */
  files?: string[];
  /** User overlays (`overlay: true`, or plain rule files that add rules), applied in order. */
  overlays?: string[];
  registry?: CheckRegistry;
}

interface RuleFileContent {
  overlay?: boolean;
  rules?: Omit<Rule, 'source' | 'checks'> & { checks?: Rule['checks'] }[];
  disable?: string[];
  weights?: Record<string, number>;
  severities?: Record<string, Severity>;
}

let schemaValidator: ValidateFunction | undefined;

async function rulebookSchemaValidator(): Promise<ValidateFunction> {
  if (!schemaValidator) {
    const schema = JSON.parse(await readFile(join(RULES_DIR, 'rulebook.schema.json'), 'utf8'));
    schemaValidator = createAjv().compile(schema);
  }
  return schemaValidator;
}

export async function defaultRuleFiles(): Promise<string[]> {
  const names = (await readdir(RULES_DIR)).filter((n) => n.endsWith('.yaml')).sort();
  return names.map((n) => join(RULES_DIR, n));
}

export async function loadRulebook(opts: LoadRulebookOptions = {}): Promise<Rulebook> {
  const registry = opts.registry ?? defaultRegistry;
  // The shipped rulebook precompiled by the build, when fresh (compiled.ts); overlays and named files load YAML.
  const compiled = !opts.files && !opts.overlays?.length ? await readCompiledRulebook(registry) : undefined;
  if (compiled) return compiled;
  const baseFiles = opts.files ?? (await defaultRuleFiles());
  const overlayFiles = opts.overlays ?? [];
  const validate = await rulebookSchemaValidator();
  const problems: InputError[] = [];
  const digest = createHash('sha256');
  const rules = new Map<string, Rule>();
  const paramValidators = new Map<string, ValidateFunction>();
  const ajv = createAjv();

  const sources: { src: YamlSource; overlay: boolean }[] = [];
  for (const [file, overlay] of [...baseFiles.map((f) => [f, false] as const), ...overlayFiles.map((f) => [f, true] as const)]) {
    try {
      const src = await readYamlSource(file, overlay ? 'rulebook overlay' : 'rule file');
      digest.update(`${file.split(/[\\/]/).pop()}\n${src.text.replace(/\r\n/g, '\n')}\n`);
      sources.push({ src, overlay });
    } catch (e) {
      if (e instanceof InputError) problems.push(e);
      else throw e;
    }
  }

  for (const { src, overlay } of sources) {
    const at = (path: (string | number)[], hint: string) => {
      const pos = src.position(path);
      problems.push(new InputError(src.file, pos.line, hint, pos.column));
    };
    if (typeof src.value !== 'object' || src.value === null || Array.isArray(src.value)) {
      at([], 'a rule file must be a mapping with a `rules:` list');
      continue;
    }
    if (!validate(src.value)) {
      for (const e of validate.errors ?? []) at(ajvErrorPath(e), describeAjvError(e));
      continue;
    }
    const content = src.value as RuleFileContent;
    if (!overlay && (content.overlay || content.disable || content.weights || content.severities)) {
      at([], 'only an overlay (--rulebook) may disable or re-weight rules');
      continue;
    }
    const lines = ruleLines(src.text, content.rules?.length ?? 0);
    (content.rules ?? []).forEach((raw, i) => {
      const pos = lines?.[i] ?? src.position(['rules', i]);
      const rule: Rule = { ...raw, checks: raw.checks ?? [], source: { file: src.file, line: pos.line, column: pos.column } } as Rule;
      const previous = rules.get(rule.id);
      if (previous) {
        at(['rules', i, 'id'], `rule id "${rule.id}" is already defined at ${previous.source.file}:${previous.source.line}`);
        return;
      }
      rule.checks.forEach((check, j) => {
        const def = registry.get(check.fn);
        if (!def) {
          at(['rules', i, 'checks', j, 'fn'], `rules[${i}].checks[${j}].fn: no check named "${check.fn}" (see \`jrt0185 rules --checks\`)`);
          return;
        }
        // An absent `with` is `{}`, which every params schema accepts (the rulebook meta-test holds each check to
        // it), so only a given `with` is validated — and a check's schema is compiled only when one is.
        if (check.with === undefined) return;
        let validateParams = paramValidators.get(def.name);
        if (!validateParams) {
          validateParams = ajv.compile(def.params);
          paramValidators.set(def.name, validateParams);
        }
        if (!validateParams(check.with)) {
          for (const e of validateParams.errors ?? []) {
            at(['rules', i, 'checks', j, 'with', ...ajvErrorPath(e)], `rules[${i}].checks[${j}].with (${def.name}) ${describeAjvError(e)}`);
          }
        }
      });
      if (rule.checks.length > 0 && !rule.assessment.includes('automatic') && !rule.assessment.includes('probe')) {
        at(['rules', i, 'assessment'], `rules[${i}] has checks but its assessment lists neither automatic nor probe`);
      }
      rules.set(rule.id, rule);
    });
    for (const [i, id] of (content.disable ?? []).entries()) {
      if (!rules.delete(id)) at(['disable', i], `disable: no rule "${id}" to disable`);
    }
    for (const [id, weight] of Object.entries(content.weights ?? {})) {
      const rule = rules.get(id);
      if (rule) rule.weight = weight;
      else at(['weights', id], `weights: no rule "${id}"`);
    }
    for (const [id, severity] of Object.entries(content.severities ?? {})) {
      const rule = rules.get(id);
      if (rule) rule.severity = severity;
      else at(['severities', id], `severities: no rule "${id}"`);
    }
  }

  if (problems.length > 0) throw problems.length === 1 ? problems[0]! : new InputErrors(problems);
  return {
    rules: [...rules.values()].sort(compareRules),
    digest: digest.digest('hex'),
    files: sources.map((s) => s.src.file),
  };
}

/**
 * Line and column of each rule's `- id:` item, found by a scan of the text, so loading the shipped rulebook never
 * needs a full YAML position map; undefined when the file is written otherwise (the caller then asks the map).
 */
function ruleLines(text: string, count: number): { line: number; column: number }[] | undefined {
  const found: { line: number; column: number }[] = [];
  text.split('\n').forEach((l, i) => {
    const m = /^(\s*)- id:\s/.exec(l);
    if (m) found.push({ line: i + 1, column: m[1]!.length + 1 });
  });
  return found.length === count ? found : undefined;
}

/** By clause; within a clause the load order (file order, then line) stands — Array.prototype.sort is stable. */
function compareRules(a: Rule, b: Rule): number {
  return compareClauses(a.clause, b.clause);
}
