/**
 * Waivers (--waivers F): an accepted risk, written down with who owns it and until when.
 *   waivers:
 *     - ruleId: api-flow-control
 *       match: { file: "gateway/*.yaml", pointer: "/paths/~1health", host: "sandbox.example.com" }   # optional
 *       reason: "…"   owner: "…"   expires: 2027-03-31          # all three required
 * An expired waiver is loaded (so the report can say it expired) but never applied.
 */
import type { Rule } from '../../model/rulebook.js';
import type { Waiver } from '../../engine/evaluate.js';
import { InputError, InputErrors } from '../../errors.js';
import { readYamlSource } from '../../yaml-source.js';

export async function loadWaivers(file: string, rules: Rule[], today: string): Promise<Waiver[]> {
  const src = await readYamlSource(file, 'waiver file');
  const problems: InputError[] = [];
  const at = (path: (string | number)[], hint: string) => {
    const pos = src.position(path);
    problems.push(new InputError(file, pos.line, hint, pos.column));
  };
  const root = src.value as { waivers?: unknown } | null;
  const list = root && typeof root === 'object' && !Array.isArray(root) ? root.waivers : undefined;
  if (!Array.isArray(list)) throw new InputError(file, 1, 'a waiver file must be a mapping with a `waivers:` list');
  const ids = new Set(rules.map((r) => r.id));
  const waivers: Waiver[] = [];
  list.forEach((raw, i) => {
    if (!raw || typeof raw !== 'object' || Array.isArray(raw)) return at(['waivers', i], `waivers[${i}] must be a mapping`);
    const w = raw as Record<string, unknown>;
    const str = (k: string) => (w[k] instanceof Date ? (w[k] as Date).toISOString().slice(0, 10) : typeof w[k] === 'string' || typeof w[k] === 'number' ? String(w[k]).trim() : undefined);
    for (const k of Object.keys(w)) if (!['ruleId', 'match', 'reason', 'owner', 'expires'].includes(k)) at(['waivers', i, k], `waivers[${i}]: unknown key "${k}"`);
    const ruleId = str('ruleId');
    let ok = true;
    for (const k of ['ruleId', 'reason', 'owner', 'expires']) if (!str(k)) (ok = false), at(['waivers', i], `waivers[${i}] needs "${k}"`);
    if (ruleId && !ids.has(ruleId)) (ok = false), at(['waivers', i, 'ruleId'], `waivers[${i}]: unknown rule id "${ruleId}"`);
    const expires = str('expires');
    if (expires && !/^\d{4}-\d{2}-\d{2}$/.test(expires)) (ok = false), at(['waivers', i, 'expires'], `waivers[${i}]: expires "${expires}" is not a YYYY-MM-DD date`);
    const match = w.match as Record<string, unknown> | undefined;
    if (match !== undefined && (typeof match !== 'object' || match === null || Object.keys(match).some((k) => !['file', 'pointer', 'host'].includes(k)))) {
      ok = false;
      at(['waivers', i, 'match'], `waivers[${i}].match may only have file, pointer and host`);
    }
    if (!ok) return;
    const pos = src.position(['waivers', i]);
    waivers.push({
      ruleId: ruleId!,
      reason: str('reason')!,
      owner: str('owner')!,
      expires: expires!,
      match: match as Waiver['match'],
      expired: expires! < today,
      location: { file, line: pos.line, column: pos.column },
    });
  });
  if (problems.length > 0) throw problems.length === 1 ? problems[0]! : new InputErrors(problems);
  return waivers;
}
