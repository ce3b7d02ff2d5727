/**
 * Importing labels in the app, in the core's two steps with a mapping step before them:
 *
 *   pick a file (or the community example set) → its columns and values (peekLabelsFile)
 *   → the mapping form → Check: the validation report (prepareLabelImport), nothing written
 *   → Confirm: the accepted rows appended in one transaction, the log saved (session.changed)
 *     or Cancel: the prepared import discarded, nothing written.
 *
 * The check is the one every import path makes (prepareLabelImportOnce): a file whose bytes were
 * imported before says "already imported on DATE as batch ID", and Confirm stays off, so the
 * same events are never appended twice.
 *
 * Any change to the mapping sets the report aside (its import is discarded) until it is checked
 * again, so what is confirmed is always what the report showed. A file that cannot be read, a
 * mapping that does not fit and a failed commit are shown here with the file's name; none of
 * them touches the loaded alerts or the labels already given (the core stages everything apart
 * and appends in one transaction).
 */
import type { EarlierImport, PreparedImport } from '../ingest/index.ts';
import {
  describeEarlier,
  mappingFrom,
  mappingYaml,
  parseMapping,
  peekLabelsFile,
  prepareLabelImportOnce,
  type LabelMapping,
} from '../ingest/index.ts';
import type { Lab } from '../sot/lab.ts';
import type { SourceFile } from '../sot/files.ts';
import { h, plural, replaceChildren } from './dom.ts';
import { renderImportReport } from './label-import-report.ts';
import { LabelMappingForm } from './label-mapping-form.ts';
import type { LabelSession } from './label-session.ts';
import { downloadBytes } from './downloads.ts';
import { fromBrowserFile, sampleLabelFiles } from './source-files.ts';

type Phase = 'idle' | 'reading' | 'mapping' | 'checking' | 'report' | 'writing' | 'done';

export class LabelImportPanel {
  readonly element: HTMLElement;
  private readonly picker: HTMLInputElement;
  private readonly examples = h('span', { class: 'import-examples' });
  private readonly status = h('p', { class: 'import-status', role: 'status' });
  private readonly body = h('div', { class: 'import-body' });
  private readonly reportHost = h('div', { class: 'import-report-host' });
  private readonly actions = h('div', { class: 'button-row import-actions' });
  private form: LabelMappingForm | null = null;
  private readonly mappingPicker: HTMLInputElement;
  private file: SourceFile | null = null;
  private pending: PreparedImport | null = null;
  /** The import of the same bytes found by the last check: Confirm then appends nothing. */
  private earlier: EarlierImport | null = null;
  /** Bumped by every new step; a result that arrives for an older one is dropped. */
  private generation = 0;

  constructor(
    private readonly lab: Lab,
    private readonly session: LabelSession,
  ) {
    this.picker = h('input', {
      type: 'file',
      accept: '.csv,.parquet,.json,.jsonl,.ndjson,.arrow,.feather',
      class: 'visually-hidden',
      'data-picker': 'labels',
    });
    this.picker.addEventListener('change', () => {
      const picked = this.picker.files?.[0];
      this.picker.value = ''; // the same file again must fire `change` again
      if (picked) void this.open(fromBrowserFile(picked));
    });
    this.mappingPicker = h('input', {
      type: 'file',
      accept: '.yaml,.yml,.json',
      class: 'visually-hidden',
      'data-picker': 'mapping',
    });
    this.mappingPicker.addEventListener('change', () => {
      const picked = this.mappingPicker.files?.[0];
      this.mappingPicker.value = '';
      if (picked) void this.loadMapping(picked);
    });
    this.element = h(
      'section',
      { class: 'labels-section label-import', 'aria-labelledby': 'label-import-title', 'data-phase': 'idle' },
      h('h2', { class: 'labels-section-title', id: 'label-import-title' }, 'Import labels'),
      h(
        'div',
        { class: 'button-row' },
        h(
          'button',
          { type: 'button', class: 'button primary', 'data-action': 'pick-labels', onclick: () => this.picker.click() },
          'Choose a labels file…',
        ),
        this.examples,
        this.picker,
      ),
      h(
        'p',
        { class: 'hint' },
        'CSV, Parquet, JSON or Arrow; by alert id or by address. You check the mapping and see a report before anything is written.',
      ),
      this.status,
      this.body,
    );
    void this.listExamples();
  }

  private async listExamples(): Promise<void> {
    let files: SourceFile[];
    try {
      files = await sampleLabelFiles();
    } catch {
      return; // a build without the sample: nothing to offer
    }
    // One button per example set: its Parquet when both forms are there.
    const byStem = new Map<string, SourceFile>();
    for (const f of files.sort((a, b) => a.path.localeCompare(b.path))) {
      const stem = f.path.replace(/\.[^.]+$/, '');
      if (!byStem.has(stem) || f.path.endsWith('.parquet')) byStem.set(stem, f);
    }
    replaceChildren(
      this.examples,
      ...[...byStem.values()].map((f) =>
        h(
          'button',
          {
            type: 'button',
            class: 'button',
            'data-action': 'example-labels',
            'data-file': f.path,
            title: `sample-data/${f.path}`,
            onclick: () => void this.open(f),
          },
          `Community example set (${f.path.replace(/^labels\//, '')})`,
        ),
      ),
    );
  }

  /** Read a file's columns and show the mapping step; a new file sets aside any earlier one. */
  async open(file: SourceFile): Promise<void> {
    const run = await this.reset();
    this.file = file;
    this.setPhase('reading', `Reading ${file.path}…`);
    try {
      const peeked = await peekLabelsFile(this.lab.runtime, file);
      if (run !== this.generation) return;
      this.form = new LabelMappingForm(peeked, this.session.labeler, () => void this.mappingChanged());
      replaceChildren(
        this.body,
        h('h3', { class: 'import-step' }, `1. Map the columns of ${file.path}`),
        h(
          'p',
          { class: 'import-facts', 'data-file': file.path },
          `${peeked.format.toUpperCase()} · ${plural(peeked.rows, 'row')} · ${plural(peeked.columns.length, 'column')}: ${peeked.columns.map((c) => c.name).join(', ')}`,
        ),
        this.form.element,
        h('h3', { class: 'import-step' }, '2. Check, then confirm'),
        this.reportHost,
        this.actions,
      );
      this.showActions();
      this.setPhase('mapping', '');
    } catch (err) {
      if (run !== this.generation) return;
      this.fail(err);
    }
  }

  private async check(): Promise<void> {
    if (!this.file || !this.form) return;
    const run = await this.discardPending();
    this.setPhase('checking', `Checking ${this.file.path} against the loaded alerts…`);
    replaceChildren(this.reportHost);
    try {
      const { prepared: pending, earlier } = await prepareLabelImportOnce(this.lab.runtime, this.file, {
        mapping: this.form.mapping(),
        unknownTargets: this.form.unknownTargets(),
      });
      if (run !== this.generation) {
        await pending.discard();
        return;
      }
      this.pending = pending;
      this.earlier = earlier;
      const preview = pending.report.accepted > 0 ? await pending.preview(20) : null;
      const alerts = (await this.lab.tables()).find((t) => t.name === 'alerts')?.rows ?? 0;
      if (run !== this.generation) return;
      replaceChildren(
        this.reportHost,
        earlier
          ? h(
              'p',
              { class: 'import-earlier', role: 'status', 'data-earlier': earlier.batchId },
              `This file was ${describeEarlier(earlier)}: confirming would append the same events again, so nothing can be appended.`,
            )
          : null,
        renderImportReport(pending.report, preview, alerts),
      );
      this.setPhase(
        'report',
        // The report's own line says it, beside the Confirm it turns off.
        earlier
          ? ''
          : pending.report.accepted > 0
            ? ''
            : 'Nothing in this file can be appended: see the report, change the mapping or the file.',
      );
    } catch (err) {
      if (run !== this.generation) return;
      this.fail(err);
    }
  }

  private async confirm(): Promise<void> {
    const pending = this.pending;
    // The same bytes imported before: the button is off, and a stray call appends nothing either.
    if (!pending || !this.file || this.earlier) return;
    this.pending = null;
    const file = this.file.path;
    this.setPhase('writing', `Appending ${plural(pending.report.accepted, 'label event')}…`);
    try {
      const appended = await pending.commit();
      // Saved before the views hear of it, so a reload right after keeps the labels.
      await this.session.changed({ kind: 'imported', events: appended.events });
      ++this.generation;
      this.form = null;
      replaceChildren(
        this.body,
        h(
          'p',
          { class: 'import-done', 'data-appended': appended.events, 'data-batch': appended.batchId },
          `Appended ${plural(appended.events, 'label event')} from ${file} (batch ${appended.batchId}), saved in this browser.`,
        ),
      );
      this.setPhase('done', '');
    } catch (err) {
      this.fail(err, `${file}: nothing was written: `);
    }
  }

  /** Cancel: the prepared import is discarded and the panel starts over; nothing was written. */
  private async cancel(): Promise<void> {
    const file = this.file?.path;
    await this.reset();
    this.setPhase('idle', file ? `Cancelled: nothing from ${file} was written.` : '');
  }

  private async mappingChanged(): Promise<void> {
    if (!this.pending && this.phase() !== 'checking') return;
    await this.discardPending();
    replaceChildren(this.reportHost, h('p', { class: 'muted' }, 'The mapping changed: check again to see the report.'));
    this.setPhase('mapping', '');
  }

  private showActions(): void {
    replaceChildren(
      this.actions,
      h(
        'button',
        { type: 'button', class: 'button', 'data-action': 'check-labels', onclick: () => void this.check() },
        'Check',
      ),
      h(
        'button',
        {
          type: 'button',
          class: 'button primary',
          'data-action': 'confirm-import',
          onclick: () => void this.confirm(),
        },
        'Confirm: append',
      ),
      h(
        'button',
        { type: 'button', class: 'button', 'data-action': 'cancel-import', onclick: () => void this.cancel() },
        'Cancel',
      ),
      h('span', { class: 'button-row-gap' }),
      h(
        'button',
        {
          type: 'button',
          class: 'button',
          'data-action': 'save-mapping',
          title: 'The mapping as YAML, for the next file like this one or for lab labels import --mapping',
          onclick: () => this.saveMapping(),
        },
        'Save mapping…',
      ),
      h(
        'button',
        { type: 'button', class: 'button', 'data-action': 'load-mapping', onclick: () => this.mappingPicker.click() },
        'Load mapping…',
      ),
      this.mappingPicker,
    );
  }

  /** Download the form's mapping as YAML: `lab labels import --mapping FILE` reads it as it is. */
  private saveMapping(): void {
    if (!this.form) return;
    let mapping: LabelMapping;
    try {
      mapping = mappingFrom(this.form.mapping(true), 'this mapping');
    } catch (err) {
      this.fail(err);
      return;
    }
    const stem = (this.file?.path.split('/').pop() ?? 'labels').replace(/\.[^.]+$/, '');
    downloadBytes(`${stem}.mapping.yaml`, mappingYaml(mapping), 'text/yaml');
  }

  /** Fill the form from a mapping file; a bad file is refused with its field and nothing changes. */
  private async loadMapping(file: File): Promise<void> {
    if (!this.form) return;
    try {
      const mapping = parseMapping(await file.text(), file.name);
      const missing = this.form.apply(mapping);
      this.setPhase(
        this.phase() === 'report' ? 'mapping' : this.phase(),
        missing.length > 0
          ? `${file.name}: loaded, but this file has no column ${missing.map((m) => `(${m})`).join(', ')}: those fields keep their columns.`
          : `${file.name}: mapping loaded; check to see the report.`,
        missing.length > 0 ? 'error' : 'ok',
      );
    } catch (err) {
      this.setPhase(this.phase(), (err as Error).message, 'error');
    }
  }

  private phase(): Phase {
    return this.element.dataset.phase as Phase;
  }

  private setPhase(
    phase: Phase,
    message: string,
    state: 'ok' | 'error' | 'busy' | '' = phase === 'reading' || phase === 'checking' || phase === 'writing'
      ? 'busy'
      : '',
  ): void {
    this.element.dataset.phase = phase;
    this.status.textContent = message;
    this.status.dataset.state = state;
    const confirm = this.actions.querySelector<HTMLButtonElement>('[data-action="confirm-import"]');
    const check = this.actions.querySelector<HTMLButtonElement>('[data-action="check-labels"]');
    const accepted = this.earlier ? 0 : (this.pending?.report.accepted ?? 0);
    if (confirm) {
      confirm.disabled = phase !== 'report' || accepted === 0;
      confirm.textContent =
        phase === 'report' && accepted > 0
          ? `Confirm: append ${plural(accepted, 'label event')}`
          : phase === 'report' && this.earlier
            ? 'Confirm: already imported'
            : 'Confirm: append';
    }
    if (check) {
      check.disabled = phase === 'checking' || phase === 'writing';
      check.textContent = phase === 'report' ? 'Check again' : 'Check';
    }
  }

  private fail(err: unknown, prefix = ''): void {
    const message = err instanceof Error ? err.message : String(err);
    // Core errors name the file already; anything else gets it here.
    const named = this.file && !message.includes(this.file.path) ? `${this.file.path}: ${message}` : message;
    this.setPhase(this.form ? 'mapping' : 'idle', `${prefix}${named}`, 'error');
  }

  /** Drop any prepared import (its staging tables) and start a new step. */
  private async discardPending(): Promise<number> {
    const run = ++this.generation;
    const pending = this.pending;
    this.pending = null;
    this.earlier = null;
    await pending?.discard();
    return run;
  }

  private async reset(): Promise<number> {
    const run = await this.discardPending();
    this.form = null;
    this.file = null;
    replaceChildren(this.body);
    return run;
  }
}
