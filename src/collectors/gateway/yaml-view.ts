/**
 * YAML/JSON gateway files read with the `yaml` package's parseDocument + LineCounter, so every route,
 * plugin and credential keeps its line (these files are small; DESIGN.md's warning is about 4 MB specs).
 */
import { Document, isMap, isPair, isScalar, isSeq, LineCounter, parseAllDocuments, type Node, type YAMLMap } from 'yaml';
import { InputError } from '../../errors.js';
import { assertNoYamlDuplicateKeys } from '../../input/duplicate-keys.js';
import { assertAliasBudget } from '../../input/yaml-budget.js';
import type { InlineCredentialEvidence, SourceLocation } from '../../model/evidence.js';
import { credential, credentialKind } from './common.js';

export interface YamlSource {
  file: string;
  doc: Document;
  root: Node | null;
  lines: LineCounter;
  /** Index of this document in a `---` stream (0 for a single document). */
  index?: number;
}

/** Every document of a YAML/JSON file (`---` streams: Kubernetes manifests, Spring profile sections), empty ones left out. */
export function loadYamlAll(file: string, text: string): YamlSource[] {
  const lines = new LineCounter();
  const parsed = parseAllDocuments(text, { lineCounter: lines, uniqueKeys: false, prettyErrors: false, strict: false });
  // parseAllDocuments returns an EmptyStream (no documents) for empty input
  const docs = Array.isArray(parsed) ? parsed : [];
  const out: YamlSource[] = [];
  docs.forEach((doc, index) => {
    const err = doc.errors[0];
    if (err) {
      const line = err.linePos?.[0]?.line ?? (err.pos ? lines.linePos(err.pos[0]).line : undefined);
      // the yaml package's messages may end in advice for its own API: keep only the first sentence
      throw new InputError(file, line, `not valid YAML/JSON: ${err.message.split('\n')[0]!.replace(/;\s*please use.*$/i, '')}`);
    }
    assertAliasBudget(file, doc, lines, 'gateway configuration');
    assertNoYamlDuplicateKeys(file, text, doc, lines);
    const root = (doc.contents as Node | null) ?? null;
    // a `---` with nothing after it (or only comments) is an empty document, not a null-valued one
    if (root !== null && !(isScalar(root) && (root.value === null || root.value === ''))) out.push({ file, doc, root, lines, index });
  });
  return out;
}

/** A single-document YAML/JSON file (the first non-empty document of a stream). */
export function loadYaml(file: string, text: string): YamlSource {
  const all = loadYamlAll(file, text);
  if (all.length) return all[0]!;
  return { file, doc: new Document(null), root: null, lines: new LineCounter() };
}

export class YamlView {
  constructor(readonly src: YamlSource) {}

  loc(node: unknown, pointer?: string): SourceLocation {
    const n = node as Node | undefined;
    const offset = n?.range?.[0];
    const l: SourceLocation = { file: this.src.file };
    if (offset !== undefined) {
      const pos = this.src.lines.linePos(offset);
      l.line = pos.line;
      l.column = pos.col;
    }
    if (pointer !== undefined) l.pointer = pointer;
    return l;
  }

  /** Map value by key; dotted Spring keys (`gateway.server.webflux`) are matched segment-wise by `getPath`. */
  get(node: unknown, key: string): Node | undefined {
    if (!isMap(node)) return undefined;
    for (const p of (node as YAMLMap).items) {
      if (isScalar(p.key) && String(p.key.value) === key) return (p.value as Node | null) ?? undefined;
    }
    return undefined;
  }

  /** Key node of a map entry (for the line of `key:` when the value is empty). */
  keyNode(node: unknown, key: string): Node | undefined {
    if (!isMap(node)) return undefined;
    for (const p of (node as YAMLMap).items) if (isScalar(p.key) && String(p.key.value) === key) return p.key as Node;
    return undefined;
  }

  entries(node: unknown): [string, Node | undefined, Node][] {
    if (!isMap(node)) return [];
    return (node as YAMLMap).items
      .filter((p) => isPair(p) && isScalar(p.key))
      .map((p) => [String((p.key as { value: unknown }).value), (p.value as Node | null) ?? undefined, p.key as Node]);
  }

  items(node: unknown): Node[] {
    return isSeq(node) ? (node.items as Node[]) : [];
  }

  str(node: unknown): string | undefined {
    if (!isScalar(node)) return undefined;
    const v = node.value;
    return v === null || v === undefined ? undefined : String(v);
  }

  strs(node: unknown): string[] {
    if (isSeq(node)) return node.items.map((i) => this.str(i)).filter((s): s is string => s !== undefined);
    const s = this.str(node);
    return s === undefined ? [] : [s];
  }

  js(node: unknown): unknown {
    if (node === undefined || node === null) return undefined;
    return (node as Node).toJSON();
  }

  obj(node: unknown): Record<string, unknown> {
    const v = this.js(node);
    return v && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>) : {};
  }

  isMap(node: unknown): boolean {
    return isMap(node);
  }

  isSeq(node: unknown): boolean {
    return isSeq(node);
  }

  /** Every inline credential under `node` (key names, PEM private keys), masked. */
  credentials(node: unknown, path: string, pointer: string, out: InlineCredentialEvidence[] = []): InlineCredentialEvidence[] {
    if (isMap(node)) {
      for (const [k, v] of this.entries(node)) {
        const p = path ? `${path}.${k}` : k;
        const ptr = `${pointer}/${k.replace(/~/g, '~0').replace(/\//g, '~1')}`;
        if (isScalar(v)) {
          const value = this.str(v);
          if (value === undefined || typeof (v as { value: unknown }).value !== 'string') continue;
          const kind = credentialKind(k, value, p);
          if (kind) out.push(credential(kind, p, value, this.loc(v, ptr)));
        } else this.credentials(v, p, ptr, out);
      }
    } else if (isSeq(node)) {
      node.items.forEach((item, i) => {
        const p = `${path}[${i}]`;
        const ptr = `${pointer}/${i}`;
        if (isScalar(item)) {
          const value = this.str(item);
          if (value && /-----BEGIN [A-Z0-9 ]*PRIVATE KEY-----/.test(value)) out.push(credential('private-key', p, value, this.loc(item, ptr)));
        } else this.credentials(item, p, ptr, out);
      });
    }
    return out;
  }
}
