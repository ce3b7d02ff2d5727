/**
 * The warnings the bundled sample gives when it loads, sorted into the kinds it is expected to
 * give (each with why) and the rest, so the start page can say "these 18 are expected" without
 * hiding a warning it does not know. The kinds are recognised by the loader's own messages
 * (src/sot/contracts.ts, src/sot/lab.ts); a message that changes wording falls into `other`
 * and is shown as unexplained, never silently dropped.
 */
import type { Problem } from '../sot/problems.ts';

export type WarningKind = 'null-confidence' | 'unmatched-features' | 'other';

export interface WarningGroup {
  kind: WarningKind;
  /** One line: what these warnings say. */
  summary: string;
  /** Why the sample gives them, and what Label Lab does about it; absent for `other`. */
  why?: string;
  /** A doc that explains more (site-relative path), when there is one. */
  doc?: string;
  problems: Problem[];
}

const NULL_CONFIDENCE = /^column alert_confidence_score has \d[\d,]* NULL values? of/i;
const UNMATCHED_FEATURES = /match no loaded alert on \(address, processing_date, window_days\)/;

function kindOf(p: Problem): WarningKind {
  if (p.column === 'alert_confidence_score' && NULL_CONFIDENCE.test(withoutFile(p))) return 'null-confidence';
  if (/(^|\/)features\.[a-z]+$/i.test(p.file) && UNMATCHED_FEATURES.test(p.message)) return 'unmatched-features';
  return 'other';
}

function withoutFile(p: Problem): string {
  return p.message.startsWith(`${p.file}: `) ? p.message.slice(p.file.length + 2) : p.message;
}

function files(n: number, what: string): string {
  return `${n} ${what} file${n === 1 ? '' : 's'}`;
}

/** The warnings of a load (errors are left out: none is expected), by kind, the known kinds first. */
export function groupLoadWarnings(problems: readonly Problem[]): WarningGroup[] {
  const byKind = new Map<WarningKind, Problem[]>();
  for (const p of problems) {
    if (p.level !== 'warning') continue;
    const kind = kindOf(p);
    byKind.set(kind, [...(byKind.get(kind) ?? []), p]);
  }
  const groups: WarningGroup[] = [];
  const nulls = byKind.get('null-confidence');
  if (nulls)
    groups.push({
      kind: 'null-confidence',
      summary: `${files(nulls.length, 'alerts')}: a few alerts have no confidence (NULL).`,
      why:
        'Real exports have such alerts, so the sample plants some (under 1%). The proxy rule does not guess: ' +
        'an alert with no confidence can be negative through its severity but never positive. ' +
        'The Python template fills them with 0.5 for its features.',
      doc: 'docs/proxy-labels.md',
      problems: nulls,
    });
  const unmatched = byKind.get('unmatched-features');
  if (unmatched)
    groups.push({
      kind: 'unmatched-features',
      summary: `${files(unmatched.length, 'features')}: feature rows of addresses with no alert on that date.`,
      why:
        'A features file holds the addresses active on its date, not only the alerted ones. The validator ' +
        "judges an alert by its address's features 30 days later (Tier 3B, evolution), so each later " +
        'snapshot also holds the rows of the addresses alerted 30 days before, and 2025-12-12 holds ' +
        'features only. They are kept: the evolution labels read them.',
      doc: 'sample-data/README.md',
      problems: unmatched,
    });
  const other = byKind.get('other');
  if (other)
    groups.push({
      kind: 'other',
      summary: `${other.length} other warning${other.length === 1 ? '' : 's'}: see the Data tab's Problems.`,
      problems: other,
    });
  return groups;
}
