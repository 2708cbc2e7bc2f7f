/**
 * YAML/JSON gateway files read with the `yaml` package's parseDocument + LineCounter, so every route,
 * plugin and credential keeps its line (these files are small; DESIGN.md's warning is about 4 MB specs).
 */
import { isMap, isPair, isScalar, isSeq, LineCounter, parseDocument, type Document, type Node, type YAMLMap } from 'yaml';
import { InputError } from '../../errors.js';
import type { InlineCredentialEvidence, SourceLocation } from '../../model/evidence.js';
import { credential, credentialKind } from './common.js';

export interface YamlSource {
  file: string;
  doc: Document;
  root: Node | null;
  lines: LineCounter;
}

export function loadYaml(file: string, text: string): YamlSource {
  const lines = new LineCounter();
  const doc = parseDocument(text, { lineCounter: lines, uniqueKeys: false, prettyErrors: false, strict: false });
  const err = doc.errors[0];
  if (err) {
    const line = err.linePos?.[0]?.line ?? (err.pos ? lines.linePos(err.pos[0]).line : undefined);
    throw new InputError(file, line, `not valid YAML/JSON: ${err.message.split('\n')[0]}`);
  }
  return { file, doc, root: (doc.contents as Node | null) ?? null, lines };
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
