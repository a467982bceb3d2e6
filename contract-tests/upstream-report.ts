// The report of `npm run upstream`: JSON (the record) and markdown (for $GITHUB_STEP_SUMMARY), redacted
// and bounded as the drift report is (every text through redact; long values cut, the list capped).
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { redact } from './run-secrets.js';
import type { UpstreamDifference } from './upstream-compare.js';

/** Differences listed at most: a document that differs everywhere is told by its counts, not a wall of rows. */
export const MAX_LISTED = 200;
const MAX_TEXT = 300;

export interface UpstreamReport {
  /** The file or URL compared. */
  source: string;
  /** The document's own `info` (title, version), as far as it states them. */
  document?: { title?: string; version?: string; openapi?: string };
  startedAt: string;
  /** Set when the document could not be compared (exit 2): why. */
  incomplete?: string;
  differences: UpstreamDifference[];
  /** Set when more differences were found than listed. */
  unlisted?: number;
  summary: { differences: number; breaking: number; nonBreaking: number; info: number };
}

const cut = (text: string) => (text.length > MAX_TEXT ? `${text.slice(0, MAX_TEXT)}…` : text);
const bounded = (d: UpstreamDifference): UpstreamDifference => ({
  ...d,
  where: cut(d.where),
  what: cut(d.what),
  why: cut(d.why),
});

export function buildUpstreamReport(
  source: string,
  startedAt: Date,
  differences: UpstreamDifference[],
  extra: Pick<UpstreamReport, 'document' | 'incomplete'> = {},
): UpstreamReport {
  const count = (s: UpstreamDifference['severity']) => differences.filter((d) => d.severity === s).length;
  // Breaking first: a capped list never hides one behind info.
  const rank = { breaking: 0, 'non-breaking': 1, info: 2 } as const;
  const listed = [...differences].sort((a, b) => rank[a.severity] - rank[b.severity]).slice(0, MAX_LISTED);
  return redact({
    source: cut(source),
    ...(extra.document ? { document: extra.document } : {}),
    startedAt: startedAt.toISOString(),
    ...(extra.incomplete ? { incomplete: cut(extra.incomplete) } : {}),
    differences: listed.map(bounded),
    ...(differences.length > listed.length ? { unlisted: differences.length - listed.length } : {}),
    summary: {
      differences: differences.length,
      breaking: count('breaking'),
      nonBreaking: count('non-breaking'),
      info: count('info'),
    },
  });
}

const cell = (text: unknown) =>
  String(text ?? '')
    .replaceAll('|', '\\|')
    .replaceAll('\n', ' ');

export function upstreamMarkdown(report: UpstreamReport): string {
  const { summary: s } = report;
  const verdict = report.incomplete
    ? '⚠️ could not compare'
    : s.breaking > 0
      ? `❌ ${s.breaking} breaking difference${s.breaking > 1 ? 's' : ''}`
      : '✅ nothing breaking';
  const doc = report.document;
  const lines = [
    `## Didit's OpenAPI document vs the spec: ${verdict}`,
    '',
    `Source **${cell(report.source)}**${doc?.version ? ` (info.version ${cell(doc.version)})` : ''}, ${report.startedAt}`,
    '',
    ...(report.incomplete
      ? [`**The document could not be compared** (not drift): ${cell(report.incomplete)}`, '']
      : []),
    '| differences | breaking | non-breaking | info |',
    '| ---: | ---: | ---: | ---: |',
    `| ${s.differences} | ${s.breaking} | ${s.nonBreaking} | ${s.info} |`,
    '',
  ];
  if (report.differences.length > 0) {
    lines.push('| severity | where | what | why |', '| --- | --- | --- | --- |');
    for (const d of report.differences)
      lines.push(`| ${d.severity} | ${cell(d.where)} | ${cell(d.what)} | ${cell(d.why)} |`);
    if (report.unlisted) lines.push('', `…and ${report.unlisted} more, not listed (breaking ones are listed first).`);
    lines.push('');
  }
  return redact(lines.join('\n'));
}

/** Writes upstream-report.json and upstream-report.md into `dir`; returns their paths. */
export function writeUpstreamReport(dir: string, report: UpstreamReport): string[] {
  mkdirSync(dir, { recursive: true });
  const files = {
    'upstream-report.json': `${JSON.stringify(report, null, 2)}\n`,
    'upstream-report.md': upstreamMarkdown(report),
  };
  return Object.entries(files).map(([name, text]) => {
    writeFileSync(join(dir, name), text);
    return join(dir, name);
  });
}
