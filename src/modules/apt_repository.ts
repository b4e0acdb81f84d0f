import { failOnArgError } from '../argspec/plan-failure.js';
import type { ProbedFacts } from '../facts/request.js';
import type { FileDiff, ModuleContext, ModuleDefinition, Plan, PlannedCommand } from './contract.js';
import type { ModuleSpec } from '../argspec/spec.js';
import { aptSourcesLists } from '../facts/repos.js';
import { ArgumentError, validateArgs } from '../argspec/validate.js';
import { APT_ENV, aptUpdateCommand } from './apt.js';
import { commandEnv } from './system/env.js';
import { fileDiff, removeFileCommand, writeFileCommand } from './system/repo-write.js';
import { normalizeMode } from './files/mode.js';
import { sh } from '../shell/quote.js';

const aptRepositorySpec: ModuleSpec = {
  args: {
    repo: { type: 'str', required: true },
    state: { type: 'str', default: 'present', choices: ['absent', 'present'] },
    mode: { type: 'raw' },
    update_cache: { type: 'bool', default: true, aliases: ['update-cache'] },
    filename: { type: 'str' },
    validate_certs: { type: 'bool', default: true },
  },
};

interface AptRepositoryArgs {
  repo: string;
  state: 'absent' | 'present';
  mode?: string | number;
  update_cache: boolean;
  filename?: string;
}

const SOURCES_DIR = '/etc/apt/sources.list.d';
const VALID_SOURCE_TYPES = ['deb', 'deb-src'];

/** One line of a sources file, as Ansible's SourcesList keeps it. */
interface SourceLine {
  valid: boolean;
  enabled: boolean;
  source: string;
  comment: string;
}

function parseSourceLine(raw: string): SourceLine {
  let line = raw.trim();
  let enabled = true;
  let comment = '';
  if (line.startsWith('#')) {
    enabled = false;
    line = line.slice(1);
  }
  const i = line.indexOf('#');
  if (i > 0) {
    comment = line.slice(i + 1).trim();
    line = line.slice(0, i);
  }
  let source = line.trim();
  let valid = false;
  if (source) {
    const chunks = source.split(/\s+/);
    if (VALID_SOURCE_TYPES.includes(chunks[0])) {
      valid = true;
      source = chunks.join(' ');
    }
  }
  return { valid, enabled, source, comment };
}

function dumpLines(lines: SourceLine[]): string {
  return lines.map((l) => `${l.enabled ? '' : '# '}${l.source}${l.comment ? ` # ${l.comment}` : ''}\n`).join('');
}

/** Ansible's default file name: the repo's host/path with every non-alphanumeric run -> "_". */
export function suggestFilename(source: string): string {
  let line = source.replace(/\[[^\]]+\]/g, '').replace(/\w+:\/\//g, '');
  const parts = line.split(/\s+/).filter((p) => p !== '' && !VALID_SOURCE_TYPES.includes(p));
  let first = parts[0] ?? '';
  if (first.includes('@')) first = first.split('@').slice(1).join('@');
  line = first.replace(/[^a-zA-Z0-9]/g, ' ').split(/\s+/).filter((x) => x).join('_');
  return line;
}

function args(raw: Record<string, unknown>): AptRepositoryArgs {
  const a = validateArgs<AptRepositoryArgs>(aptRepositorySpec, raw, 'apt_repository');
  if (!a.repo.trim()) throw new ArgumentError("Please set argument 'repo' to a non-empty value");
  if (a.repo.startsWith('ppa:')) throw new ArgumentError('ppa: repositories are not supported (Ubuntu only); give the deb line');
  if (a.filename !== undefined && a.filename.includes('/')) throw new ArgumentError(`filename must be a bare name (written under ${SOURCES_DIR}), got: ${a.filename}`);
  return a;
}

/**
 * Ansible's revert_sources_list: when the cache update fails, every sources file this task
 * touched gets its old content back (a new one is removed), so later apt-get updates still work.
 */
function revertOnFailure(update: PlannedCommand, touched: { path: string; before: string | undefined }[]): PlannedCommand {
  const revert = touched.map(({ path, before }) =>
    before === undefined
      ? sh`rm -f -- ${path}`
      : sh`printf %s ${before} > ${`${path}.fd-revert`} && mv -f -- ${`${path}.fd-revert`} ${path}`,
  );
  return { ...update, command: `{ ${update.command}; } || { rc=$?; ${revert.join('; ')}; exit $rc; }` };
}

function planAptRepository(raw: Record<string, unknown>, facts: ProbedFacts, ctx: ModuleContext): Plan {
  const a = args(raw);
  const files = facts.get(aptSourcesLists());
  const wanted = parseSourceLine(a.repo);
  if (!wanted.valid || !wanted.enabled) throw new ArgumentError(`Invalid repository string: ${a.repo}`);

  const before: Record<string, SourceLine[]> = {};
  for (const [path, content] of Object.entries(files)) {
    before[path] = content.split('\n').map(parseSourceLine);
    if (content.endsWith('\n')) before[path].pop(); // the split's empty tail is not a line
  }
  const after: Record<string, SourceLine[]> = structuredClone(before);
  const target = `${SOURCES_DIR}/${a.filename ?? suggestFilename(wanted.source)}.list`;

  if (a.state === 'present') {
    let found = false;
    for (const lines of Object.values(after)) {
      for (const l of lines) {
        if (l.source === wanted.source) {
          l.enabled = true;
          found = true;
        }
      }
    }
    // Ansible drops a '# comment' given in repo when it adds the line
    if (!found) (after[target] ??= []).push({ valid: true, enabled: true, source: wanted.source, comment: '' });
  } else {
    for (const [path, lines] of Object.entries(after)) after[path] = lines.filter((l) => !(l.source === wanted.source && l.enabled));
  }

  const commands: PlannedCommand[] = [];
  const diff: FileDiff[] = [];
  const touched: { path: string; before: string | undefined }[] = [];
  const mode = a.mode !== undefined ? normalizeMode(a.mode) ?? '0644' : '0644';
  for (const path of Object.keys(after).sort()) {
    const old = before[path] && before[path].length ? dumpLines(before[path]) : undefined;
    const now = after[path].length ? dumpLines(after[path]) : undefined;
    if (old === now) continue;
    diff.push(fileDiff(path, old, now));
    touched.push({ path, before: files[path] });
    if (now === undefined) commands.push(removeFileCommand(path));
    else commands.push(writeFileCommand(path, now, mode));
  }
  const changed = commands.length > 0;
  if (changed && a.update_cache) commands.push(revertOnFailure(aptUpdateCommand(commandEnv(ctx, APT_ENV)), touched));
  return { commands, changed, diff, result: { repo: a.repo, state: a.state, sources_list: target } };
}

export const aptRepositoryModule: ModuleDefinition = {
  name: 'apt_repository',
  spec: aptRepositorySpec,
  probes: () => [aptSourcesLists()],
  joinsBatch: true,
  plan: (raw, facts, ctx) => failOnArgError(() => planAptRepository(raw, facts, ctx)),
};
