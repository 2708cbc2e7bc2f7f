/**
 * README examples stay runnable (issue 15: the overlay example named a rule that does not exist, so it exited 2).
 *
 * Every fenced `jrt0185 …` / `npx jrt0185 …` command runs in process with its own flags, outputs redirected to a
 * temporary folder, and must exit 0 or 1 (assessed; gate holds or fails) — never 2 (usage or input error) or 3. A
 * command is skipped, with the reason in the test's name, when it needs the network or a probe server (probe,
 * simulate, --probe-config, a URL), a shell (pipes, globs, variables), or input files the repository does not have
 * (`spec.yaml`, `apis/`): those are illustrations of a user's own files. The README is edited by several people, so
 * commands are found by pattern wherever they stand, not by section.
 *
 * The YAML examples a command reads are run too: the overlay (`rules --rulebook`) and the attestation sheet
 * (`assess --attest`). And the "which evidence decides which requirement" table is the one the rulebook gives.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runCli } from './run-cli.js';
import { loadRulebook } from '../src/rulebook/load.js';
import { evidenceTable } from '../src/rulebook/document.js';
import { defaultRegistry } from '../src/checks/index.js';
import type { Rulebook } from '../src/model/rulebook.js';

const README = readFileSync('README.md', 'utf8');

/** Fenced blocks: language tag and text. */
function fencedBlocks(text: string): { lang: string; body: string }[] {
  return [...text.matchAll(/^```([\w-]*)[^\n]*\n([\s\S]*?)^```\s*$/gm)].map((m) => ({ lang: m[1]!.toLowerCase(), body: m[2]! }));
}

/** `jrt0185 …` command lines of shell blocks, continuations joined, trailing comments dropped. */
function commands(): string[] {
  const out: string[] = [];
  for (const block of fencedBlocks(README)) {
    if (!['', 'sh', 'bash', 'shell', 'console'].includes(block.lang)) continue;
    const lines = block.body.replace(/\\\n\s*/g, ' ').split('\n');
    for (const raw of lines) {
      const line = raw.replace(/^\$\s+/, '').replace(/\s+#\s.*$/, '').trim();
      const m = /^(?:npx\s+)?jrt0185\s+(.*)$/.exec(line);
      if (m) out.push(m[1]!.trim());
    }
  }
  return out;
}

/** Options whose value is written, not read. */
const OUTPUT_FLAGS = new Set(['--out']);
/** An argument that names a file or folder to read: by flag, or by its look (an extension, a trailing slash). */
const FILE_FLAGS = new Set(['--openapi', '--gateway', '--logs', '--attest', '--rulebook', '--config', '--waivers', '--baseline', '--report-info', '--from']);
const LOOKS_LIKE_PATH = /(\.(ya?ml|json|jsonl|conf|log|gz|xml|txt|pem)|\/)$/i;

/** Why a command cannot run from the repository alone, or undefined when it can. */
function skipReason(args: string[]): string | undefined {
  if (['probe', 'simulate'].includes(args[0]!) || args.includes('--probe-config')) return 'needs a live server (probe)';
  if (args.some((a) => /^https?:\/\//.test(a))) return 'needs the network';
  if (args.some((a) => /[|<>$*`]/.test(a))) return 'needs a shell (pipe, glob or variable)';
  const inputs = args.filter((a, i) => !a.startsWith('-') && !OUTPUT_FLAGS.has(args[i - 1] ?? '') && (FILE_FLAGS.has(args[i - 1] ?? '') || LOOKS_LIKE_PATH.test(a)));
  const missing = inputs.flatMap((a) => a.split(',')).filter((f) => !existsSync(f));
  return missing.length > 0 ? `needs files outside the repository (${missing.join(', ')})` : undefined;
}

/** The command with every output path moved into a temporary folder. */
function redirected(args: string[]): string[] {
  const dir = mkdtempSync(join(tmpdir(), 'jrt-readme-'));
  return args.map((a, i) => (args[i - 1] === '--out' ? join(dir, a.replace(/\/$/, '').split('/').pop() || 'out') : a));
}

describe('README example commands', () => {
  const found = commands();
  it('finds the examples', () => {
    expect(found.length).toBeGreaterThanOrEqual(3);
  });
  for (const command of found) {
    const args = command.split(/\s+/);
    const reason = skipReason(args);
    if (reason) {
      it.skip(`jrt0185 ${command} — skipped: ${reason}`, () => {});
      continue;
    }
    it(`jrt0185 ${command} exits 0 or 1`, async () => {
      const r = await runCli(redirected(args));
      expect([0, 1], `exit ${r.code}: ${r.stderr}`).toContain(r.code);
    }, 60_000);
  }
});

describe('README YAML examples that commands read', () => {
  const yamlBlocks = fencedBlocks(README).filter((b) => b.lang === 'yaml' || b.lang === 'yml');
  const write = (body: string) => {
    const file = join(mkdtempSync(join(tmpdir(), 'jrt-readme-')), 'example.yaml');
    writeFileSync(file, body);
    return file;
  };

  it('the overlay loads (every rule it names exists)', async () => {
    const overlays = yamlBlocks.filter((b) => /^overlay:\s*true/m.test(b.body));
    expect(overlays.length).toBeGreaterThan(0);
    for (const overlay of overlays) {
      const r = await runCli(['rules', '--rulebook', write(overlay.body)]);
      expect(r.code, r.stderr).toBe(0);
    }
  });

  it('the attestation sheet is accepted by assess (every rule it answers exists)', async () => {
    const sheets = yamlBlocks.filter((b) => /^answers:/m.test(b.body));
    expect(sheets.length).toBeGreaterThan(0);
    for (const sheet of sheets) {
      const out = mkdtempSync(join(tmpdir(), 'jrt-readme-'));
      const r = await runCli(['assess', '--openapi', 'fixtures/compliant-bank/openapi.yaml', '--attest', write(sheet.body), '--format', 'json', '--out', out]);
      expect([0, 1], `exit ${r.code}: ${r.stderr}`).toContain(r.code);
    }
  }, 60_000);
});

describe('README: which evidence decides which requirement', () => {
  let rulebook: Rulebook;
  beforeAll(async () => {
    rulebook = await loadRulebook();
  });
  it('is the table the rulebook gives (regenerate with evidenceTable() when this fails)', () => {
    const block = /<!-- evidence-table:start[^>]*-->\n([\s\S]*?)\n<!-- evidence-table:end -->/.exec(README)?.[1];
    expect(block).toBeDefined();
    expect(block).toBe(evidenceTable(rulebook.rules, defaultRegistry));
  });
});
