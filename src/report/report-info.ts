/**
 * Report metadata (`--report-info FILE`, or `reportInfo:` in the config file, either a path or the mapping inline):
 * report number, client, assessed party, organisation, assessors, reviewer, approver, period, scope, method,
 * limitations, time zone. Validated against the `reportInfo` definition of schemas/result.schema.json — the same
 * definition that describes it inside the JSON result — with every problem reported as file:line.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { AssessmentResult, ReportInfo } from '../model/result.js';
import { InputError, InputErrors } from '../errors.js';
import { readYamlSource, type YamlSource } from '../yaml-source.js';
import { ajvErrorPath, describeAjvError, type ValidateFunction } from '../ajv.js';
import { schemaValidator, type SchemaValidatorSpec } from './standalone-validator.js';
import { SCHEMAS_DIR } from '../paths.js';

const DATE = /^\d{4}-\d{2}-\d{2}$/;

function isRealDate(s: string): boolean {
  const d = new Date(`${s}T00:00:00Z`);
  return DATE.test(s) && !Number.isNaN(d.getTime()) && d.toISOString().slice(0, 10) === s;
}

function isTimeZone(zone: string): boolean {
  try {
    new Intl.DateTimeFormat('en', { timeZone: zone });
    return true;
  } catch {
    return false;
  }
}

/** The `reportInfo` definition's validator, precompiled by the build (standalone-validator.ts). */
export const REPORT_INFO_VALIDATOR: SchemaValidatorSpec = {
  file: fileURLToPath(new URL('./report-info-validator.cjs', import.meta.url)),
  schemaTexts: () => [readFileSync(join(SCHEMAS_DIR, 'result.schema.json'), 'utf8')],
  compile: (ajv, [resultSchema]) => {
    ajv.addSchema(resultSchema as object);
    return ajv.compile({ $ref: 'https://jrt0185.dev/schemas/result.schema.json#/definitions/reportInfo' });
  },
};

let validator: ValidateFunction | undefined;
function validate(value: unknown) {
  validator ??= schemaValidator(REPORT_INFO_VALIDATOR);
  return { ok: validator(value) as boolean, errors: validator.errors ?? [] };
}

/**
 * Checks a report-info mapping found at `prefix` inside `src` (the top of a --report-info file, or `reportInfo` in
 * a config file) and returns it typed. Every problem is an InputError at its line.
 */
export function reportInfoFrom(src: YamlSource, value: unknown, prefix: (string | number)[] = []): ReportInfo {
  const problems: InputError[] = [];
  const at = (path: (string | number)[], hint: string) => {
    const pos = src.position([...prefix, ...path]);
    problems.push(new InputError(src.file, pos.line, hint, pos.column));
  };
  if (value === null || value === undefined || typeof value !== 'object' || Array.isArray(value)) {
    at([], 'report information must be a mapping (reportNumber, client, assessedParty, organisation, assessors, reviewer, approver, period, scope, method, limitations)');
    throw problems[0]!;
  }
  const { ok, errors } = validate(value);
  if (!ok) {
    for (const e of errors) {
      const path = ajvErrorPath(e);
      at(path, `report information: ${describeAjvError(e)}`);
    }
  }
  const info = value as ReportInfo;
  if (ok) {
    if (info.period) {
      for (const key of ['from', 'to'] as const) if (!isRealDate(info.period[key])) at(['period', key], `period.${key} "${info.period[key]}" is not a real date`);
      if (isRealDate(info.period.from) && isRealDate(info.period.to) && info.period.from > info.period.to) at(['period'], `period runs backwards: from ${info.period.from} is after to ${info.period.to}`);
    }
    if (info.timeZone !== undefined && !isTimeZone(info.timeZone)) at(['timeZone'], `timeZone "${info.timeZone}" is not a known IANA time zone (e.g. Asia/Shanghai)`);
  }
  if (problems.length > 0) throw problems.length === 1 ? problems[0]! : new InputErrors(problems);
  // A fresh object: only the schema's keys, nothing aliased to the parsed document.
  return structuredClone(info);
}

/** `--report-info FILE`. */
export async function loadReportInfo(file: string): Promise<ReportInfo> {
  const src = await readYamlSource(file, 'report information file');
  return reportInfoFrom(src, src.value);
}

/**
 * The `reportInfo` value of a config file: a path (already made relative to the working directory by the config
 * loader) is read as a --report-info file; a mapping is checked in place, with lines in the config file.
 */
export async function reportInfoFromConfig(configFile: string, value: unknown): Promise<ReportInfo> {
  if (typeof value === 'string') return loadReportInfo(value);
  const src = await readYamlSource(configFile, 'configuration file');
  return reportInfoFrom(src, value, ['reportInfo']);
}

/** The result with its report metadata, placed beside the run's date so the JSON reads cover-first. */
export function withReportInfo(result: AssessmentResult, info: ReportInfo | undefined): AssessmentResult {
  if (!info) return result;
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(result)) {
    if (key === 'report') continue;
    out[key] = value;
    if (key === 'generatedAt') out.report = info;
  }
  if (!('report' in out)) out.report = info;
  return out as unknown as AssessmentResult;
}
