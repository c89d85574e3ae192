// Loads partners/*.yaml: every problem of every file at once, each naming the file, the key path,
// what was found and what is expected; then cross-file checks; then the frozen partners.
//
//   const { partners, errors } = await loadPartners('partners', process.env, { dataDir: 'data' });
//   if (errors.length) { for (const e of errors) console.error(e.message); process.exit(1); }
//   partners.get('acme')?.transport.type;            // 'sftp'
//
// partners/<code>.yaml: the file name without .yaml is the partner code. partners/_gateway.yaml:
// our identity (`us:`) and `defaults:` for every partner. Other files (README.md) are ignored.
import { readdir, readFile } from 'node:fs/promises';
import { basename, extname, join, resolve } from 'node:path';
import { isMap, LineCounter, parseDocument, type Document } from 'yaml';
import { buildGatewayAs2 } from './as2-build.js';
import { buildPartner, gatewaySettingsOf, warning } from './build.js';
import { configError, fileError, valueAt, type KeyPath } from './config-error.js';
import { crossCheck, type CheckedPartner } from './cross-check.js';
import { guidesFor, type LoadedGuide } from './guides.js';
import { issuesToErrors } from './issues.js';
import { gatewayFileSchema, partnerFileSchema, type GatewayAs2File, type GatewayFile } from './schema.js';
import type { Env } from './secrets.js';
import type { BrokenPartner, ConfigError, GatewayAs2, GatewaySettings, Partner } from './types.js';

export const GATEWAY_FILE = '_gateway';
/** A partner code: what the file name (without .yaml) must look like. */
export const PARTNER_CODE = /^[A-Za-z0-9][A-Za-z0-9_-]{0,63}$/;

export interface LoadOptions {
  /** Relative local folders resolve against it. Default: ./data (as `edi start`). */
  dataDir?: string;
  /** Certificates' expiry is judged against it. Default: now. */
  now?: Date;
}

export interface LoadResult {
  /** The valid partners by code (all of them only when `errors` is empty). */
  partners: ReadonlyMap<string, Partner>;
  gateway: GatewaySettings;
  /** Every problem found; empty when the configuration is usable as a whole. */
  errors: readonly ConfigError[];
  /**
   * The problems that make the whole configuration unusable (partners/_gateway.yaml, an unreadable
   * folder): the gateway does not start on them. Every other problem is one partner's (`broken`).
   */
  fatal: readonly ConfigError[];
  /** What loads but needs a person soon (an expired certificate): logged loudly, printed by edi partners check. */
  warnings: readonly ConfigError[];
  /** Partner files with problems, by code: out of service while the others run (not in `partners`). */
  broken: readonly BrokenPartner[];
  /** Absolute paths of the YAML files read. */
  files: readonly string[];
  /** The folder does not exist (no partner configured: not an error). */
  missing: boolean;
}

interface ReadFile {
  code: string;
  path: string;
  display: string;
  doc?: Document;
  raw?: unknown;
  lineOf?: (path: KeyPath) => number | undefined;
}

export async function loadPartners(dir: string, env: Env = process.env, options: LoadOptions = {}): Promise<LoadResult> {
  const root = resolve(dir);
  const dataDir = resolve(options.dataDir ?? 'data');
  const errors: ConfigError[] = [];
  let names: string[];
  try {
    names = (await readdir(root, { withFileTypes: true })).filter((e) => e.isFile()).map((e) => e.name).sort();
  } catch (error) {
    if ((error as { code?: string }).code === 'ENOENT') return { partners: new Map(), gateway: gatewaySettingsOf(undefined, undefined), errors: [], warnings: [], fatal: [], broken: [], files: [], missing: true };
    throw error;
  }
  const shown = (name: string) => `${basename(root)}/${name}`;

  const files: ReadFile[] = [];
  const seen = new Map<string, string>();
  for (const name of names) {
    const ext = extname(name);
    if (ext !== '.yaml' && ext !== '.yml') continue;
    const code = name.slice(0, -ext.length);
    if (seen.has(code)) {
      errors.push(fileError(shown(name), `expected one file per partner code, but ${shown(seen.get(code)!)} holds ${code} too`));
      continue;
    }
    seen.set(code, name);
    if (code.startsWith('_') && code !== GATEWAY_FILE) {
      errors.push(fileError(shown(name), `expected a partner file name (letters, digits, - and _, not starting with _) or ${GATEWAY_FILE}.yaml`));
      continue;
    }
    if (code !== GATEWAY_FILE && !PARTNER_CODE.test(code)) {
      errors.push(fileError(shown(name), `expected a file name that makes a partner code: letters, digits, - and _ (at most 64), found "${code}"`));
      continue;
    }
    files.push(await readYaml(code, join(root, name), shown(name), errors));
  }

  const now = options.now ?? new Date();
  const warnings: ConfigError[] = [];
  const gatewayFile = files.find((f) => f.code === GATEWAY_FILE);
  let gateway: { settings: GatewayFile; display: string } | undefined;
  let gatewayAs2: GatewayAs2 | undefined;
  if (gatewayFile?.doc) {
    const parsed = gatewayFileSchema.safeParse(gatewayFile.raw ?? {});
    if (parsed.success) gateway = { settings: parsed.data, display: gatewayFile.display };
    else errors.push(...issuesToErrors(parsed.error.issues, { file: gatewayFile.display, raw: gatewayFile.raw, lineOf: gatewayFile.lineOf! }));
    if (gateway?.settings.as2) gatewayAs2 = gatewayAs2Of(gateway.settings.as2, gatewayFile, { root, env, now, errors, warnings });
  }

  const built: CheckedPartner[] = [];
  const guideCache = new Map<string, Promise<LoadedGuide>>();
  for (const f of files) {
    if (f.code === GATEWAY_FILE || !f.doc) continue;
    const parsed = partnerFileSchema.safeParse(f.raw);
    if (!parsed.success) {
      errors.push(...issuesToErrors(parsed.error.issues, { file: f.display, raw: f.raw, lineOf: f.lineOf! }));
      continue;
    }
    // A guide's problems take the partner naming it out of service, as a problem of its own file would.
    const guided = parsed.data.guide ? await guidesFor(parsed.data.guide, root, guideCache) : undefined;
    if (guided?.errors.length) {
      const line = f.lineOf?.(['guide']);
      errors.push(...guided.errors.map((e) => ({ file: f.display, path: 'guide', message: `${f.display}: guide: ${e.message}${line ? ` [${f.display} line ${line}]` : ''}`, ...(line ? { line } : {}) })));
      continue;
    }
    const result = buildPartner({
      code: f.code, file: f.path, display: f.display, parsed: parsed.data, raw: f.raw, gateway, dataDir, env, lineOf: f.lineOf!, now,
      ...(guided ? { guides: guided.sets } : {}), ...(gatewayAs2 ? { gatewayAs2 } : {}),
    });
    errors.push(...result.errors);
    warnings.push(...result.warnings);
    if (result.partner) built.push({ partner: result.partner, display: f.display, lineOf: f.lineOf! });
  }
  errors.push(...crossCheck(built));
  // By file, then by line: the order an operator fixes them in.
  errors.sort((a, b) => (a.file < b.file ? -1 : a.file > b.file ? 1 : (a.line ?? 0) - (b.line ?? 0)));
  const { fatal, broken } = sortOut(errors, root, shown(`${GATEWAY_FILE}.yaml`));
  const out = new Set(broken.map((b) => b.code));

  return {
    partners: new Map(built.filter((b) => !out.has(b.partner.code)).map((b) => [b.partner.code, b.partner])),
    fatal,
    broken,
    gateway: gatewaySettingsOf(gateway?.settings, gatewayFile?.path, gatewayAs2),
    errors,
    warnings,
    files: files.map((f) => f.path),
    missing: false,
  };
}

/** partners/_gateway.yaml `as2:` built; its problems are the gateway's own (fatal). */
function gatewayAs2Of(
  file: GatewayAs2File,
  gatewayFile: ReadFile,
  o: { root: string; env: Env; now: Date; errors: ConfigError[]; warnings: ConfigError[] },
): GatewayAs2 | undefined {
  const display = gatewayFile.display;
  return buildGatewayAs2(file, {
    display, baseDir: o.root, env: o.env, now: o.now,
    problem: (path, expected, options = {}) => {
      const line = gatewayFile.lineOf?.(path);
      o.errors.push(configError({
        file: display, path, found: 'found' in options ? options.found : valueAt(gatewayFile.raw, path), expected,
        ...(options.hint ? { hint: options.hint } : {}), ...(line ? { line } : {}),
      }));
    },
    warn: (path, message) => o.warnings.push(warning(display, path, message, gatewayFile.lineOf?.(path))),
  });
}

/**
 * Which problems are the gateway's own (its settings file) and which are one partner file's: with
 * dozens of partners, one broken file takes only that partner out of service (docs/operations.md#bringing-a-partner-live).
 */
function sortOut(errors: readonly ConfigError[], root: string, gatewayDisplay: string): { fatal: ConfigError[]; broken: BrokenPartner[] } {
  const fatal: ConfigError[] = [];
  const byFile = new Map<string, ConfigError[]>();
  for (const e of errors) {
    if (e.file === gatewayDisplay || !/\.ya?ml$/.test(e.file)) fatal.push(e);
    else byFile.set(e.file, [...(byFile.get(e.file) ?? []), e]);
  }
  const broken = [...byFile].map(([display, problems]): BrokenPartner => {
    const name = basename(display);
    return { code: name.slice(0, -extname(name).length), file: join(root, name), display, errors: problems };
  });
  return { fatal, broken };
}

/** Reads and parses one YAML file; syntax errors (with their lines) go to `errors`. */
async function readYaml(code: string, path: string, display: string, errors: ConfigError[]): Promise<ReadFile> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    errors.push(fileError(display, `cannot be read (${(error as { code?: string }).code ?? String(error)})`));
    return { code, path, display };
  }
  const lines = new LineCounter();
  const doc = parseDocument(text, { lineCounter: lines, uniqueKeys: true, prettyErrors: false });
  if (doc.errors.length) {
    for (const e of doc.errors) {
      const line = e.linePos?.[0]?.line ?? lines.linePos(e.pos[0]).line;
      errors.push(fileError(display, `is not valid YAML: ${e.message.split('\n')[0]}`, line));
    }
    return { code, path, display };
  }
  const lineOf = (keyPath: KeyPath): number | undefined => {
    // The key's own node, else the nearest parent that exists (a missing key is reported at its mapping).
    for (let n = keyPath.length; n >= 0; n--) {
      const node = n === 0 ? doc.contents : doc.getIn(keyPath.slice(0, n), true);
      const range = (node as { range?: [number, number, number] } | undefined)?.range;
      if (range && (n > 0 || isMap(node))) return lines.linePos(range[0]).line;
    }
    return undefined;
  };
  return { code, path, display, doc, raw: doc.toJS({ maxAliasCount: 100 }), lineOf };
}
