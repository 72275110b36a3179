// A tiny flag parser for the bench and chaos commands: `--name value`, `--name=value`, bare
// booleans, and comma lists. Unknown flags are an error that names the known ones, so a typo
// never silently runs the default size for ten minutes.
export interface FlagSpec {
  name: string;
  help: string;
  /** The default, also shown in --help; a boolean flag has `false`. */
  default: string | number | boolean | number[];
}

export type FlagValues = Record<string, string | number | boolean | number[]>;

export class FlagError extends Error {}

export function parseFlags(argv: string[], specs: FlagSpec[], presets: Record<string, FlagValues> = {}): FlagValues {
  const byName = new Map(specs.map((s) => [s.name, s]));
  const values: FlagValues = Object.fromEntries(specs.map((s) => [s.name, s.default]));
  // Presets (like --quick) apply first so that an explicit flag after them still wins.
  for (const [preset, over] of Object.entries(presets)) if (argv.includes(`--${preset}`)) Object.assign(values, over);
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i] as string;
    if (!arg.startsWith('--')) throw new FlagError(`Unexpected argument "${arg}". Flags start with --; see --help.`);
    const [rawName, inline] = arg.slice(2).split('=', 2) as [string, string | undefined];
    if (rawName in presets) continue;
    const spec = byName.get(rawName);
    if (!spec) throw new FlagError(`Unknown flag --${rawName}. Known: ${[...Object.keys(presets), ...byName.keys()].map((n) => `--${n}`).join(', ')}.`);
    if (typeof spec.default === 'boolean') {
      values[rawName] = inline === undefined ? true : !['false', '0', 'no'].includes(inline);
      continue;
    }
    const raw = inline ?? argv[++i];
    if (raw === undefined) throw new FlagError(`--${rawName} needs a value (${spec.help}).`);
    values[rawName] = convert(rawName, spec.default, raw);
  }
  return values;
}

function convert(name: string, def: FlagSpec['default'], raw: string): FlagValues[string] {
  if (Array.isArray(def)) {
    const list = raw === '' || raw === 'none' ? [] : raw.split(',').map((s) => Number(s.trim()));
    if (list.some((n) => !Number.isFinite(n) || n < 0))
      throw new FlagError(`--${name} takes a comma list of numbers, like 100,1000 (or "none"); got "${raw}".`);
    return list;
  }
  if (typeof def === 'number') {
    const n = Number(raw);
    if (!Number.isFinite(n) || n < 0) throw new FlagError(`--${name} takes a number; got "${raw}".`);
    return n;
  }
  return raw;
}

export function helpText(usage: string, specs: FlagSpec[], presets: Record<string, { help: string }> = {}): string {
  const show = (d: FlagSpec['default']) => (Array.isArray(d) ? (d.length ? d.join(',') : 'none') : String(d));
  const rows = [
    ...Object.entries(presets).map(([n, p]) => [`--${n}`, p.help]),
    ...specs.map((s) => [`--${s.name}${typeof s.default === 'boolean' ? '' : ' <v>'}`, `${s.help} (default ${show(s.default)})`]),
  ];
  const width = Math.max(...rows.map(([a]) => (a as string).length)) + 2;
  return `${usage}\n\n${rows.map(([a, b]) => `  ${(a as string).padEnd(width)}${b}`).join('\n')}\n`;
}

export const num = (v: FlagValues, k: string): number => v[k] as number;
export const list = (v: FlagValues, k: string): number[] => v[k] as number[];
export const bool = (v: FlagValues, k: string): boolean => v[k] as boolean;
export const str = (v: FlagValues, k: string): string => v[k] as string;
