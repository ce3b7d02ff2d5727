/**
 * An import's validation report, shown before anything is written: how many rows would be
 * appended, refused or left out, what the accepted rows hold, where each field came from, and
 * every issue with its column, its count and its first rows quoted. Issues use the problems
 * panel's look (red errors, amber warnings), so a bad labels file reads like a bad SOT file.
 */
import type { Table } from 'apache-arrow';
import { describeFieldSource, type ImportIssue, type ImportReport } from '../ingest/index.ts';
import { renderGrid } from './data-grid.ts';
import { formatCount, h, plural } from './dom.ts';
import { withoutFilePrefix } from './problems-panel.ts';

export function renderImportReport(report: ImportReport, preview: Table | null, loadedAlertRows: number): HTMLElement {
  const s = report.summary;
  const errors = report.issues.filter((i) => i.level === 'error');
  const warnings = report.issues.filter((i) => i.level === 'warning');
  const sources = Object.entries(s.bySource)
    .map(([source, n]) => `${source} ${formatCount(n)}`)
    .join(', ');
  return h(
    'div',
    {
      class: 'import-report',
      'data-ok': String(report.ok),
      'data-accepted': report.accepted,
      'data-rejected': report.rejected,
      'data-dropped': report.dropped,
    },
    h(
      'div',
      { class: 'import-counts' },
      count('accepted', report.accepted, 'to append'),
      count('rejected', report.rejected, 'refused by errors'),
      count('dropped', report.dropped, 'left out by the duplicate or conflict rule'),
    ),
    h(
      'p',
      { class: 'import-facts' },
      `${report.file}${report.format ? ` · ${report.format.toUpperCase()}` : ''} · ${plural(report.rows, 'row')} · checked against ${plural(loadedAlertRows, 'loaded alert row')}`,
    ),
    report.accepted > 0
      ? h(
          'p',
          { class: 'import-facts' },
          `The accepted rows: ${formatCount(s.alert)} alert-level, ${formatCount(s.address)} address-level; ${formatCount(s.positive)} positive, ${formatCount(s.negative)} negative; by source ${sources}.`,
        )
      : null,
    loadedAlertRows === 0
      ? h(
          'p',
          { class: 'import-note' },
          'No alerts are loaded yet, so every alert id is unknown: load the snapshot the labels are for first (Data), or keep unknown labels.',
        )
      : null,
    report.issues.length > 0
      ? h(
          'div',
          { class: 'import-issues' },
          h(
            'h4',
            { class: 'import-subtitle' },
            [
              errors.length ? plural(errors.length, 'error') : '',
              warnings.length ? plural(warnings.length, 'warning') : '',
            ]
              .filter(Boolean)
              .join(', '),
          ),
          h('ul', { class: 'problem-list' }, ...[...errors, ...warnings].map(renderIssue)),
        )
      : h('p', { class: 'import-clean' }, 'No problems found.'),
    report.fields.length > 0 ? renderFields(report) : null,
    preview && preview.numRows > 0
      ? h(
          'details',
          { class: 'import-preview' },
          h('summary', {}, `The first ${plural(preview.numRows, 'accepted row')} as they would be appended`),
          renderGrid(preview),
        )
      : null,
  );
}

function count(kind: 'accepted' | 'rejected' | 'dropped', n: number, what: string): HTMLElement {
  return h(
    'div',
    { class: `import-count ${kind}`, 'data-count': kind },
    h('strong', {}, formatCount(n)),
    h('span', {}, `${kind} · ${what}`),
  );
}

function renderIssue(issue: ImportIssue): HTMLElement {
  return h(
    'li',
    {
      class: `problem ${issue.level}`,
      'data-level': issue.level,
      'data-code': issue.code,
      'data-column': issue.column,
      'data-rows': issue.rows,
    },
    h(
      'p',
      { class: 'problem-where' },
      h('span', { class: 'problem-badge' }, issue.level === 'error' ? 'Error' : 'Warning'),
      h('span', { class: 'issue-code' }, issue.code),
      h('span', { class: 'issue-rows' }, plural(issue.rows, 'row')),
    ),
    issue.column ? h('p', { class: 'problem-column', title: issue.column }, issue.column) : null,
    h('p', { class: 'problem-message' }, withoutFilePrefix(issue)),
    issue.examples.length > 0
      ? h(
          'table',
          { class: 'issue-examples' },
          h('thead', {}, h('tr', {}, h('th', { scope: 'col' }, 'row'), h('th', { scope: 'col' }, 'value'))),
          h(
            'tbody',
            {},
            ...issue.examples.map((e) =>
              h('tr', {}, h('td', { class: 'num' }, String(e.row)), h('td', {}, h('code', {}, e.value))),
            ),
          ),
        )
      : null,
  );
}

/** Where each event field came from: a column (named or detected), a default, or nothing. */
function renderFields(report: ImportReport): HTMLElement {
  return h(
    'details',
    { class: 'import-fields' },
    h('summary', {}, 'Where each field came from'),
    h(
      'table',
      { class: 'mapping-table compact' },
      h(
        'tbody',
        {},
        ...report.fields.map((f) =>
          h(
            'tr',
            {},
            h('th', { scope: 'row' }, h('code', {}, f.field)),
            h('td', { class: f.column || f.fallback ? null : 'muted' }, describeFieldSource(f)),
          ),
        ),
        report.ignoredColumns.length > 0
          ? h('tr', {}, h('th', { scope: 'row' }, 'ignored'), h('td', {}, report.ignoredColumns.join(', ')))
          : null,
      ),
    ),
  );
}
