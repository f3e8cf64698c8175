/**
 * The small piece of YAML that MLflow's file store writes in its meta.yaml
 * files, written as PyYAML's `yaml.dump(data, default_flow_style=False,
 * allow_unicode=True, sort_keys=True, Dumper=SafeDumper)` writes it
 * (mlflow/utils/file_utils.py, write_yaml), and read back.
 *
 * Subset: a top-level mapping whose values are null, integers, strings, an
 * empty or flat list of strings, or an empty or flat mapping of strings.
 * Keys are sorted, as PyYAML's sort_keys=True does. PyYAML folds long
 * scalars at 80 columns; this writer does not (the YAML is the same value).
 */

export type YamlScalar = string | number | null;
export type YamlValue = YamlScalar | string[] | Record<string, string>;
export type YamlMap = Record<string, YamlValue>;

/** PyYAML's YAML 1.1 implicit resolvers: a plain scalar matching one of these is not a string. */
const RESOLVERS: readonly RegExp[] = [
  /^(?:yes|Yes|YES|no|No|NO|true|True|TRUE|false|False|FALSE|on|On|ON|off|Off|OFF)$/,
  /^(?:[-+]?(?:[0-9][0-9_]*)\.[0-9_]*(?:[eE][-+][0-9]+)?|\.[0-9][0-9_]*(?:[eE][-+][0-9]+)?|[-+]?[0-9][0-9_]*(?::[0-5]?[0-9])+\.[0-9_]*|[-+]?\.(?:inf|Inf|INF)|\.(?:nan|NaN|NAN))$/,
  /^(?:[-+]?0b[0-1_]+|[-+]?0[0-7_]+|[-+]?(?:0|[1-9][0-9_]*)|[-+]?0x[0-9a-fA-F_]+|[-+]?[1-9][0-9_]*(?::[0-5]?[0-9])+)$/,
  /^(?:<<)$/,
  /^(?:~|null|Null|NULL|)$/,
  /^(?:[0-9]{4}-[0-9]{2}-[0-9]{2}|[0-9]{4}-[0-9]{1,2}-[0-9]{1,2}(?:[Tt]|[ \t]+)[0-9]{1,2}:[0-9]{2}:[0-9]{2}(?:\.[0-9]*)?(?:[ \t]*(?:Z|[-+][0-9]{1,2}(?::[0-9]{2})?))?)$/,
  /^(?:=)$/,
];

const INT = /^[-+]?(?:0|[1-9][0-9]*)$/;

/** Characters that need the double-quoted style (escapes): controls, line breaks, BOM. */
// eslint-disable-next-line no-control-regex
const NEEDS_ESCAPE = /[\u0000-\u001f\u007f-\u009f\u2028\u2029\ufeff]/;

/** True when PyYAML would write `s` as a plain (unquoted) scalar in block context. */
export function isPlainSafe(s: string): boolean {
  if (s === '' || RESOLVERS.some((r) => r.test(s))) return false;
  if (NEEDS_ESCAPE.test(s)) return false;
  if (s !== s.trim()) return false;
  if (/^[#,[\]{}&*!|>'"%@`]/.test(s)) return false;
  if (/^[-?:](?:\s|$)/.test(s)) return false;
  if (s.includes(': ') || s.includes(' #') || s.endsWith(':')) return false;
  if (s.startsWith('---') || s.startsWith('...')) return false;
  return true;
}

function doubleQuoted(s: string): string {
  let out = '"';
  for (const ch of s) {
    const c = ch.codePointAt(0) ?? 0;
    if (ch === '"') out += '\\"';
    else if (ch === '\\') out += '\\\\';
    else if (ch === '\n') out += '\\n';
    else if (ch === '\t') out += '\\t';
    else if (ch === '\r') out += '\\r';
    else if (NEEDS_ESCAPE.test(ch)) out += c <= 0xff ? `\\x${c.toString(16).padStart(2, '0')}` : `\\u${c.toString(16).padStart(4, '0')}`;
    else out += ch;
  }
  return out + '"';
}

/** One string scalar: plain when PyYAML would leave it plain, single-quoted, or double-quoted with escapes. */
export function yamlString(s: string): string {
  if (isPlainSafe(s)) return s;
  if (NEEDS_ESCAPE.test(s)) return doubleQuoted(s);
  return `'${s.replaceAll("'", "''")}'`;
}

function scalar(v: YamlScalar): string {
  if (v === null) return 'null';
  if (typeof v === 'number') {
    if (!Number.isSafeInteger(v)) throw new Error(`YAML writer: ${v} is not an integer`);
    return String(v);
  }
  return yamlString(v);
}

/** The YAML text of a flat mapping, keys sorted by code point as Python sorts them. */
export function dumpYaml(map: YamlMap): string {
  const keys = Object.keys(map).sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  let out = '';
  for (const key of keys) {
    const v = map[key];
    const k = yamlString(key);
    if (Array.isArray(v)) {
      out += v.length === 0 ? `${k}: []\n` : `${k}:\n${v.map((item) => `- ${yamlString(item)}\n`).join('')}`;
    } else if (v !== null && typeof v === 'object') {
      const inner = Object.keys(v).sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
      out += inner.length === 0 ? `${k}: {}\n` : `${k}:\n${inner.map((ik) => `  ${yamlString(ik)}: ${yamlString(v[ik] ?? '')}\n`).join('')}`;
    } else {
      out += `${k}: ${scalar(v ?? null)}\n`;
    }
  }
  return out;
}

// ---------------------------------------------------------------- reading

function unquoteDouble(body: string): string {
  let out = '';
  for (let i = 0; i < body.length; i++) {
    const ch = body[i];
    if (ch !== '\\') {
      out += ch;
      continue;
    }
    const e = body[++i];
    const hex = (n: number): string => {
      const code = parseInt(body.slice(i + 1, i + 1 + n), 16);
      i += n;
      return String.fromCodePoint(code);
    };
    if (e === 'n') out += '\n';
    else if (e === 't') out += '\t';
    else if (e === 'r') out += '\r';
    else if (e === '0') out += '\0';
    else if (e === 'x') out += hex(2);
    else if (e === 'u') out += hex(4);
    else if (e === 'U') out += hex(8);
    else out += e ?? '';
  }
  return out;
}

/** One scalar as PyYAML's safe loader reads it, for the subset above (null, int, string). */
export function readScalar(text: string): YamlScalar {
  const t = text.trim();
  if (t.startsWith("'")) {
    if (!t.endsWith("'") || t.length < 2) throw new Error(`YAML reader: unterminated quote in ${t}`);
    return t.slice(1, -1).replaceAll("''", "'");
  }
  if (t.startsWith('"')) {
    if (!t.endsWith('"') || t.length < 2) throw new Error(`YAML reader: unterminated quote in ${t}`);
    return unquoteDouble(t.slice(1, -1));
  }
  if (/^(?:~|null|Null|NULL|)$/.test(t)) return null;
  if (INT.test(t)) return Number(t);
  return t;
}

function splitKey(line: string): [string, string] {
  // Keys we read are plain or single-quoted; the first ': ' (or a trailing ':') after the key ends it.
  if (line.startsWith("'")) {
    let i = 1;
    while (i < line.length) {
      if (line[i] === "'" && line[i + 1] === "'") i += 2;
      else if (line[i] === "'") break;
      else i++;
    }
    const key = readScalar(line.slice(0, i + 1));
    const rest = line.slice(i + 1);
    if (!rest.startsWith(':')) throw new Error(`YAML reader: no ':' after key in ${line}`);
    return [String(key), rest.slice(1)];
  }
  const at = line.indexOf(': ');
  if (at < 0 && line.endsWith(':')) return [line.slice(0, -1), ''];
  if (at < 0) throw new Error(`YAML reader: not a mapping entry: ${line}`);
  return [line.slice(0, at), line.slice(at + 1)];
}

/** Reads a mapping written by dumpYaml (or by PyYAML for the same data, unfolded). */
export function parseYaml(text: string): YamlMap {
  const out: YamlMap = {};
  const lines = text.split(/\r?\n/);
  const at = (i: number): string => lines[i] ?? '';
  let i = 0;
  while (i < lines.length) {
    const line = at(i);
    if (line.trim() === '' || line.trimStart().startsWith('#')) {
      i++;
      continue;
    }
    if (/^\s/.test(line)) throw new Error(`YAML reader: unexpected indentation: ${line}`);
    const [key, rest] = splitKey(line);
    i++;
    if (rest.trim() === '[]') out[key] = [];
    else if (rest.trim() === '{}') out[key] = {};
    else if (rest.trim() !== '') out[key] = readScalar(rest);
    else if (at(i).startsWith('- ')) {
      const list: string[] = [];
      while (at(i).startsWith('- ')) list.push(String(readScalar(at(i++).slice(2))));
      out[key] = list;
    } else if (at(i).startsWith('  ')) {
      const inner: Record<string, string> = {};
      while (at(i).startsWith('  ')) {
        const [ik, iv] = splitKey(at(i++).slice(2));
        inner[ik] = String(readScalar(iv));
      }
      out[key] = inner;
    } else out[key] = null;
  }
  return out;
}
