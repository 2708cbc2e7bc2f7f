import { describe, expect, it } from 'vitest';
import { LineCounter, parseDocument } from 'yaml';
import { assertAliasBudget, firstAliasOverBudget } from './yaml-budget.js';
import { loadYaml } from '../collectors/gateway/yaml-view.js';

const aliases = (n: number, flow: boolean) =>
  flow ? `{"a":&x [1], "b": [${Array(n).fill('*x').join(',')}]}` : `a: &x [1]\nb:\n${Array(n).fill('  - *x').join('\n')}\n`;

describe('the YAML alias budget', () => {
  it.each([false, true])('counts alias nodes whatever the style (flow: %s)', (flow) => {
    expect(firstAliasOverBudget(parseDocument(aliases(100, flow)))).toBeUndefined();
    expect(firstAliasOverBudget(parseDocument(aliases(101, flow)))).toMatchObject({ count: 101 });
  });
  it('is an input error with the line of the first alias over the budget', () => {
    const lines = new LineCounter();
    const doc = parseDocument(aliases(101, false), { lineCounter: lines });
    expect(() => assertAliasBudget('kong.yaml', doc, lines, 'gateway configuration')).toThrow(
      'kong.yaml:103:5: gateway configuration uses more than 100 YAML aliases (*name); refusing to expand it (an alias bomb?)',
    );
  });
  it('applies to gateway files, which are read as documents', () => {
    expect(() => loadYaml('kong.yaml', aliases(101, true))).toThrow(/more than 100 YAML aliases/);
    expect(() => loadYaml('kong.yaml', 'services:\n  - name: a\n    name: b\n')).toThrow('kong.yaml:3:5: duplicate key "name" (lines 2 and 3)');
  });
});
