import { describe, expect, it } from 'vitest';
import { dumpYaml, parseYaml, yamlString } from '../../../../src/lib/core/mlflow/yaml';

describe('yamlString (PyYAML SafeDumper styles, checked against PyYAML 6)', () => {
  it.each([
    ['adam', 'adam'],
    ['run one', 'run one'],
    ['file:///x/mlruns/1', 'file:///x/mlruns/1'],
    ['é ü', 'é ü'],
    ['1e3', '1e3'],
    ['a,b', 'a,b'],
    ['', "''"],
    ['1', "'1'"],
    ['0123', "'0123'"],
    ['0.5', "'0.5'"],
    ['.5', "'.5'"],
    ['1:20', "'1:20'"],
    ['0x1F', "'0x1F'"],
    ['yes', "'yes'"],
    ['No', "'No'"],
    ['on', "'on'"],
    ['null', "'null'"],
    ['~', "'~'"],
    ['2024-01-02', "'2024-01-02'"],
    ['.inf', "'.inf'"],
    ['a: b', "'a: b'"],
    ['x:', "'x:'"],
    ['a #b', "'a #b'"],
    ['#x', "'#x'"],
    ['- x', "'- x'"],
    ['-', "'-'"],
    [' lead', "' lead'"],
    ['trail ', "'trail '"],
    ["it's: 1", "'it''s: 1'"],
    ['Iris: "tabular" #1', `'Iris: "tabular" #1'`],
    ['tab\there', '"tab\\there"'],
  ])('%j → %s', (value, written) => {
    expect(yamlString(value)).toBe(written);
  });
});

describe('dumpYaml', () => {
  it('sorts keys and writes null, ints, empty and flat collections as PyYAML does', () => {
    const text = dumpYaml({ name: 'm', version: 3, description: null, tags: [], aliases: { champion: '1', b: 'x' }, list: ['a', '2'], empty: {} });
    expect(text).toBe(
      ['aliases:', '  b: x', "  champion: '1'", 'description: null', 'empty: {}', 'list:', '- a', "- '2'", 'name: m', 'tags: []', 'version: 3', ''].join('\n'),
    );
  });

  it('refuses a number that is not an integer (meta.yaml holds only integer times and codes)', () => {
    expect(() => dumpYaml({ t: 1.5 })).toThrow(/not an integer/);
  });
});

describe('parseYaml', () => {
  it('reads back what dumpYaml writes, with the types PyYAML would give', () => {
    const map = { a: '1', b: 1, c: null, d: '', e: "it's", f: 'tab\there', g: ['x', '7'], h: { k: '2' }, i: [], j: {}, k: 'nl\nhere' };
    expect(parseYaml(dumpYaml(map))).toEqual(map);
  });

  it('reads double-quoted escapes and skips comments', () => {
    expect(parseYaml('# c\na: "x\\u00e9\\x41\\"y"\nb: 12\n')).toEqual({ a: 'xéA"y', b: 12 });
  });
});
