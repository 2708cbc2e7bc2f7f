/**
 * Every file of the shared corpus of real gateway configurations and Kubernetes manifests against its labelled
 * expectation (corpus.expectations.ts): the format it is read as, its routes, listeners and credentials, and the
 * problems that hide evidence; or the labelled reason it is refused. The summary the issue asks for is asserted:
 * 0 valid files refused, 0 read as the wrong format, 0 silent zero-route reads (a read with no route and no
 * listener always carries a problem that hides evidence).
 */
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { InputError } from '../../errors.js';
import { defaultRegistry } from '../../checks/index.js';
import { emptyBundle, type GatewayConfigEvidence } from '../../model/evidence.js';
import { CORPUS_EXPECTATIONS } from './corpus.expectations.js';
import { collectGateway, GATEWAY_FORMATS } from './index.js';

const ROOT = new URL('../../../../shared/corpus/', import.meta.url).pathname;
const present = existsSync(join(ROOT, 'gateway')) && existsSync(join(ROOT, 'k8s'));

describe.skipIf(!present)(`gateway and Kubernetes corpus${present ? '' : ' (skipped: ../shared/corpus is absent)'}`, () => {
  const dirs = ['k8s', 'gateway/kong', 'gateway/apisix', 'gateway/nginx', 'gateway/other'];
  const files = present ? dirs.flatMap((d) => readdirSync(join(ROOT, d)).sort().map((f) => `${d}/${f}`)) : [];
  const collected = new Map<string, GatewayConfigEvidence>();
  const expected = new Map(CORPUS_EXPECTATIONS);

  it('every file is labelled, and read or refused exactly as labelled', async () => {
    expect(files.filter((f) => !expected.has(f))).toEqual([]);
    const summary = { files: files.length, read: 0, validRefused: 0, wrongFormat: 0, silentZeroRoute: 0, refusedAsLabelled: 0 };
    const mismatches: string[] = [];
    for (const f of files) {
      const want = expected.get(f)!;
      let got: GatewayConfigEvidence | InputError;
      try {
        got = await collectGateway(join(ROOT, f));
        collected.set(f, got);
      } catch (e) {
        if (!(e instanceof InputError)) throw e;
        got = e;
      }
      if (got instanceof InputError) {
        expect(got.file).toBe(join(ROOT, f));
        expect(got.hint).not.toMatch(/parseAllDocuments|please use|YAML\.parse/i);
        if ('refused' in want) summary.refusedAsLabelled++;
        else {
          summary.validRefused++;
          mismatches.push(`${f}: refused (${got.hint}) but labelled ${want.format}`);
        }
        continue;
      }
      summary.read++;
      const hiding = got.problems.filter((p) => p.hidesEvidence).length;
      if (!got.routes.length && !got.listeners.length && !hiding) summary.silentZeroRoute++;
      if ('refused' in want) {
        mismatches.push(`${f}: read as ${got.format} but labelled refused (${want.why})`);
        continue;
      }
      if (got.format !== want.format) summary.wrongFormat++;
      const actual = { format: got.format, routes: got.routes.length, listeners: got.listeners.length, credentials: got.credentials.length, hiding };
      if (JSON.stringify(actual) !== JSON.stringify(want)) mismatches.push(`${f}: ${JSON.stringify(actual)} ≠ labelled ${JSON.stringify(want)}`);
    }
    expect(mismatches).toEqual([]);
    expect(summary).toEqual({ files: 86, read: 78, validRefused: 0, wrongFormat: 0, silentZeroRoute: 0, refusedAsLabelled: 8 });
  });

  it('read as any forced --gateway-format, every file gives evidence or an input error, never a crash', async () => {
    const crashes: string[] = [];
    for (const f of files) {
      if (statSync(join(ROOT, f)).size > 200_000) continue; // the two largest add time, not shapes
      for (const format of GATEWAY_FORMATS) {
        try {
          await collectGateway(join(ROOT, f), { format });
        } catch (e) {
          if (!(e instanceof InputError)) crashes.push(`${f} as ${format}: ${String(e)}`);
        }
      }
    }
    expect(crashes).toEqual([]);
  });

  it('every credential excerpt is masked (no clear secret or key material)', () => {
    for (const ev of collected.values()) {
      for (const c of ev.credentials) {
        expect(c.excerpt).toMatch(/^(\*\*\*\*\(\d+ chars\)|-----BEGIN [A-Z ]*PRIVATE KEY----- \*\*\*\*)$/);
        expect(c.location.line).toBeGreaterThan(0);
      }
    }
  });

  it('every route and listener has a file and line', () => {
    for (const ev of collected.values()) {
      for (const item of [...ev.routes, ...ev.listeners]) {
        expect(item.location.file).toBeTruthy();
        expect(item.location.line).toBeGreaterThan(0);
      }
    }
  });

  it('every gateway check runs on every corpus file without an error outcome', () => {
    const checks = defaultRegistry.all().filter((c) => c.name.startsWith('gateway.'));
    expect(checks).toHaveLength(13);
    for (const ev of collected.values()) {
      const bundle = { ...emptyBundle(), gateway: [ev] };
      for (const c of checks) {
        const outcomes = c.run(bundle, {}, { level: 'A2' });
        expect(outcomes.filter((o) => o.status === 'error')).toEqual([]);
        for (const o of outcomes) expect(c.messages[o.messageId]).toBeDefined();
      }
    }
  });
});
