/**
 * The Data view: load controls and problems, the loaded tables, and the selected table.
 * It only calls Lab (load, tables, preview); what a table is and how it loads is the loader's.
 */
import { MILESTONES, reached } from './timeline.ts';
import type { Lab, TableSummary } from '../sot/lab.ts';
import type { SourceFile } from '../sot/files.ts';
import type { Problem } from '../sot/problems.ts';
import { h } from './dom.ts';
import type { CachedLoad } from './load-cache.ts';
import { LoadControls, type LoadOutcome } from './load-controls.ts';
import { ProblemsPanel } from './problems-panel.ts';
import { TablesPanel } from './tables-panel.ts';
import { NOTHING_LOADED, TableView } from './table-view.ts';

export class DataView {
  readonly element: HTMLElement;
  private readonly controls: LoadControls;
  private readonly problems = new ProblemsPanel();
  private readonly tables: TablesPanel;
  private readonly tableView: TableView;
  private selected: string | null = null;
  /** Told the tables after every load (other views list them too). */
  private readonly tableListeners: ((tables: TableSummary[]) => void)[] = [];
  /** Told each load's outcome and problems (the start page explains the sample's warnings). */
  private readonly loadListeners: ((label: string, problems: Problem[]) => void)[] = [];

  constructor(private readonly lab: Lab) {
    this.controls = new LoadControls(lab, (outcome) => this.afterLoad(outcome));
    this.tables = new TablesPanel((t) => this.select(t));
    this.tableView = new TableView(lab);
    this.element = h(
      'div',
      { class: 'data-view' },
      h('aside', { class: 'sidebar' }, this.controls.element, this.problems.element, this.tables.element),
      h('main', { class: 'main' }, this.tableView.element),
    );
  }

  /** `cached`: the sample's load, which may come from (and goes into) its kept checked copy. */
  load(label: string, files: SourceFile[], cached?: CachedLoad): void {
    this.controls.enqueue(label, files, cached);
  }

  onTablesChanged(listener: (tables: TableSummary[]) => void): void {
    this.tableListeners.push(listener);
  }

  onLoadDone(listener: (label: string, problems: Problem[]) => void): void {
    this.loadListeners.push(listener);
  }

  /** Problems are listed even when a load failed outright, so nothing goes unexplained. */
  reportFailure(label: string, message: string): void {
    this.problems.add(label, [{ level: 'error', file: label, message }]);
  }

  private async afterLoad(outcome: LoadOutcome): Promise<void> {
    if (outcome.kind === 'done') this.problems.add(outcome.label, outcome.report.problems);
    if (outcome.kind === 'failed')
      this.reportFailure(outcome.label, `Loading ${outcome.label} failed: ${outcome.message}`);
    const problems: Problem[] =
      outcome.kind === 'done'
        ? outcome.report.problems
        : outcome.kind === 'failed'
          ? [{ level: 'error', file: outcome.label, message: outcome.message }]
          : [];
    for (const listener of this.loadListeners) listener(outcome.label, problems);
    // Even a cancelled or failed load may have merged some files before it stopped.
    let tables: TableSummary[];
    try {
      tables = await this.lab.tables();
    } catch (err) {
      this.reportFailure('table list', `The loaded tables could not be listed: ${(err as Error).message}`);
      return;
    }
    this.tables.update(tables);
    reached(MILESTONES.firstTablesListed);
    for (const listener of this.tableListeners) listener(tables);
    const current = tables.find((t) => t.name === this.selected) ?? tables[0];
    if (current) this.select(current);
    else this.tableView.clear(NOTHING_LOADED);
  }

  private select(table: TableSummary): void {
    this.selected = table.name;
    this.tables.select(table.name);
    void this.tableView.show(table);
  }
}
