/**
 * The load controls: pick files or a folder, watch a load's progress, cancel it.
 *
 * Loads (the sample at start, picks, drops) run one after another through `enqueue`; each
 * reports its outcome to `onDone`, whether it loaded, found problems, was cancelled or failed.
 */
import type { CheckedSnapshot } from '../sot/checked-cache.ts';
import type { Lab, LoadProgress, LoadReport } from '../sot/lab.ts';
import type { SourceFile } from '../sot/files.ts';
import { DEFAULT_MAX_DECODED_BYTES } from '../sot/stage.ts';
import { h, plural, replaceChildren } from './dom.ts';
import { cacheKeyFor, keptBytes, type CachedLoad, type KeptInfo } from './load-cache.ts';
import './load-cache.css';
import { formatBytes } from '../util/byte-size.ts';
import { fromBrowserFile } from './source-files.ts';
import { MILESTONES, reached } from './timeline.ts';

export type LoadOutcome =
  | { label: string; kind: 'done'; report: LoadReport; fromCache?: boolean }
  | { label: string; kind: 'cancelled' }
  | { label: string; kind: 'failed'; message: string };

interface QueuedLoad {
  label: string;
  files: SourceFile[];
  /** The sample's load: restored from its kept checked copy when the files are the same, kept after. */
  cached?: CachedLoad;
}

const PHASE_NAMES: Record<LoadProgress['phase'], string> = {
  read: 'Reading',
  decode: 'Decoding',
  check: 'Checking',
  merge: 'Merging',
};

export class LoadControls {
  readonly element: HTMLElement;
  private readonly queue: QueuedLoad[] = [];
  private running = false;

  private readonly progress = h('div', { class: 'load-progress', hidden: true });
  private readonly status = h('p', { class: 'load-status', role: 'status' });
  private readonly maxDecoded = new DecodedLimitInput();
  private readonly kept = new KeptCopyNote();

  constructor(
    private readonly lab: Lab,
    /** Awaited before the next load starts, so its reads never run inside that load's merge. */
    private readonly onDone: (outcome: LoadOutcome) => Promise<void>,
  ) {
    const filesInput = h('input', {
      type: 'file',
      multiple: true,
      accept: '.parquet,.arrow,.arrows,.feather,.ipc,.csv,.json',
      class: 'visually-hidden',
      'data-picker': 'files',
    });
    const folderInput = h('input', { type: 'file', class: 'visually-hidden', 'data-picker': 'folder' });
    // Not in TypeScript's DOM typings as an attribute; every current browser supports it.
    folderInput.setAttribute('webkitdirectory', '');
    const pick = (input: HTMLInputElement) => () => {
      const files = Array.from(input.files ?? [], (f) => fromBrowserFile(f));
      input.value = ''; // so picking the same file again fires `change` again
      if (files.length > 0) this.enqueue(describeFiles(files), files);
    };
    filesInput.addEventListener('change', pick(filesInput));
    folderInput.addEventListener('change', pick(folderInput));

    this.element = h(
      'section',
      { class: 'panel load-controls', 'aria-label': 'Load data' },
      h('h2', { class: 'panel-title' }, 'Load data'),
      h(
        'div',
        { class: 'button-row' },
        h('button', { type: 'button', class: 'button primary', onclick: () => filesInput.click() }, 'Add files…'),
        h('button', { type: 'button', class: 'button', onclick: () => folderInput.click() }, 'Add folder…'),
      ),
      h('p', { class: 'hint' }, 'or drop files and folders anywhere. Parquet, Arrow, CSV and META.json.'),
      this.maxDecoded.element,
      this.kept.element,
      filesInput,
      folderInput,
      this.progress,
      this.status,
    );
  }

  /** Queue a load; it starts when the ones before it have finished. */
  enqueue(label: string, files: SourceFile[], cached?: CachedLoad): void {
    this.queue.push({ label, files, cached });
    if (this.running) this.renderQueued();
    else void this.drain();
  }

  private async drain(): Promise<void> {
    this.running = true;
    for (let next = this.queue.shift(); next; next = this.queue.shift()) {
      const outcome = await this.run(next);
      await this.onDone(outcome).catch((err: unknown) => console.error('after a load:', err));
      // Kept after the first screen is drawn, and before the next load can change what is loaded.
      if (next.cached && outcome.kind === 'done' && !outcome.fromCache) await this.keep(next.cached, outcome.report);
    }
    this.running = false;
    this.progress.hidden = true;
  }

  /**
   * A checked copy of `cached`'s files restored into the lab: the one kept in this browser, else
   * the one the build shipped; undefined (and nothing changed) when neither is of these files.
   */
  private async restore(cached: CachedLoad, label: string): Promise<LoadOutcome | undefined> {
    try {
      const { cache } = cached;
      // The key waits for every file's digest: a visit with no copy at all loads at once instead.
      const key = () => cacheKeyFor(cached, this.maxDecoded.bytes());
      if (cache && (await cache.any())) {
        const kept = await cache.get(await key());
        if (kept && (await this.lab.restoreChecked(kept))) return this.restored(label, kept, 'kept', cached);
        // Another key, a damaged copy: it is of no use any more.
        if (kept) await cache.clear().catch(() => undefined);
      }
      const shipped = await cached.shipped();
      if (shipped && shipped.key === (await key()) && (await this.lab.restoreChecked(shipped)))
        return this.restored(label, shipped, 'shipped', cached);
      return undefined;
    } catch (err) {
      console.warn('the checked copy of the sample could not be used; loading it:', err);
      return undefined;
    }
  }

  private restored(label: string, copy: CheckedSnapshot, from: 'kept' | 'shipped', cached: CachedLoad): LoadOutcome {
    reached(from === 'kept' ? MILESTONES.restoredFromCache : MILESTONES.restoredFromShipped);
    const report = copy.report;
    this.status.textContent = summarise(label, report);
    this.status.dataset.state = report.problems.some((p) => p.level === 'error') ? 'error' : 'ok';
    this.status.dataset.source = from;
    this.kept.show({ savedAt: copy.savedAt, bytes: keptBytes(copy) }, from === 'kept' ? 'restored' : 'shipped', cached);
    return { label, kind: 'done', report, fromCache: true };
  }

  /** Keep the load just checked for the next visit (a failure only means the next visit checks again). */
  private async keep(cached: CachedLoad, report: LoadReport): Promise<void> {
    const { cache } = cached;
    if (!cache || report.loaded.length === 0) return;
    try {
      const key = await cacheKeyFor(cached, this.maxDecoded.bytes());
      const snapshot = await this.lab.keepChecked(key, report);
      if (await cache.put(snapshot)) {
        this.kept.show({ savedAt: snapshot.savedAt, bytes: keptBytes(snapshot) }, 'saved', cached);
        reached(MILESTONES.checkedCopyKept);
      }
    } catch (err) {
      console.warn('the checked sample could not be kept for the next visit:', err);
    }
  }

  private async run({ label, files, cached }: QueuedLoad): Promise<LoadOutcome> {
    const abort = new AbortController();
    const bar = h(
      'div',
      {
        class: 'progress-bar',
        role: 'progressbar',
        'aria-label': `Loading ${label}`,
        'aria-valuemin': 0,
        'aria-valuemax': 100,
        'aria-valuenow': 0,
      },
      h('div', { class: 'progress-fill' }),
    );
    const detail = h('p', { class: 'progress-detail' }, `Starting…`);
    const cancel = h('button', { type: 'button', class: 'button small', onclick: () => abort.abort() }, 'Cancel');
    replaceChildren(
      this.progress,
      h('div', { class: 'progress-head' }, h('span', { class: 'progress-label' }, `Loading ${label}`), cancel),
      bar,
      detail,
    );
    this.progress.hidden = false;
    this.renderQueued();
    this.status.textContent = '';
    delete this.status.dataset.source;
    try {
      if (cached) {
        detail.textContent = 'Looking for a checked copy of the sample…';
        const restored = await this.restore(cached, label);
        if (restored) return restored;
      }
      const report = await this.lab.load(files, {
        signal: abort.signal,
        maxDecodedBytes: this.maxDecoded.bytes(),
        onProgress: (p) => {
          const pct = Math.round(Math.min(1, Math.max(0, p.fraction)) * 100);
          (bar.firstElementChild as HTMLElement).style.width = `${pct}%`;
          bar.setAttribute('aria-valuenow', String(pct));
          detail.textContent = `${PHASE_NAMES[p.phase]} ${p.file}`;
          detail.title = p.file;
        },
      });
      this.status.textContent = summarise(label, report);
      this.status.dataset.state = report.problems.some((p) => p.level === 'error') ? 'error' : 'ok';
      return { label, kind: 'done', report };
    } catch (err) {
      const e = err instanceof Error ? err : new Error(String(err));
      if (e.name === 'AbortError') {
        this.status.textContent = `Cancelled loading ${label}; tables loaded before stay.`;
        this.status.dataset.state = 'cancelled';
        return { label, kind: 'cancelled' };
      }
      this.status.textContent = `Loading ${label} failed: ${e.message}`;
      this.status.dataset.state = 'error';
      return { label, kind: 'failed', message: e.message };
    } finally {
      this.progress.hidden = true;
    }
  }

  private renderQueued(): void {
    const waiting = this.queue.length;
    let note = this.progress.querySelector<HTMLElement>('.progress-queued');
    if (!note) {
      note = h('p', { class: 'progress-queued' });
      this.progress.append(note);
    }
    note.textContent = waiting > 0 ? `${plural(waiting, 'more load')} waiting` : '';
    note.hidden = waiting === 0;
  }
}

/**
 * Says when the loaded sample came from (or went into) the checked copy kept in this browser,
 * and lets the user forget it: the data stays loaded, the next visit checks the files again.
 */
class KeptCopyNote {
  readonly element = h('p', { class: 'load-kept', hidden: true, 'data-kept': 'none' });

  show(info: KeptInfo, how: 'restored' | 'saved' | 'shipped', cached: CachedLoad): void {
    const when = new Date(info.savedAt).toLocaleString(undefined, { dateStyle: 'medium', timeStyle: 'short' });
    this.element.dataset.kept = how;
    this.element.title = `Checked ${when}`;
    this.element.hidden = false;
    if (how === 'shipped') {
      // Nothing is kept in this browser yet, so there is nothing to forget.
      replaceChildren(
        this.element,
        `From the checked copy this app was built with (checked ${when}, ${formatBytes(info.bytes)}); the files are the same.`,
      );
      return;
    }
    const text =
      how === 'restored'
        ? `From the checked copy kept in this browser (checked ${when}, ${formatBytes(info.bytes)}); the files are the same.`
        : `A checked copy (${formatBytes(info.bytes)}) is kept in this browser: the next visit opens faster.`;
    const { cache } = cached;
    const forget = h(
      'button',
      {
        type: 'button',
        class: 'link-button',
        'data-action': 'forget-kept',
        title: 'Delete the kept copy; what is loaded stays, and the next visit checks every file again',
        onclick: () =>
          void cache?.clear().then(
            () => {
              this.element.dataset.kept = 'none';
              replaceChildren(this.element, 'Kept copy deleted: the next visit checks every file again.');
            },
            (err: Error) => replaceChildren(this.element, `The kept copy could not be deleted: ${err.message}`),
          ),
      },
      'Forget it',
    );
    replaceChildren(this.element, text, ' ', forget);
  }
}

const MIB = 1024 ** 2;
const LIMIT_KEY = 'label-lab.max-decoded-mib';

/**
 * The loader's per-file decoded-size limit (stage.ts), in MiB: a file that would decode to more is
 * refused by name before it can exhaust the tab's memory. Kept in localStorage, so a user who
 * raised it for their large exports does not raise it again on every visit.
 */
class DecodedLimitInput {
  readonly element: HTMLElement;
  private readonly input: HTMLInputElement;

  constructor() {
    const saved = Number(globalThis.localStorage?.getItem(LIMIT_KEY));
    this.input = h('input', {
      type: 'number',
      min: 1,
      step: 1,
      value: Number.isInteger(saved) && saved >= 1 ? saved : DEFAULT_MAX_DECODED_BYTES / MIB,
      class: 'load-limit-input',
      'aria-label': 'Largest decoded file, in MiB',
    });
    this.input.addEventListener('change', () => {
      if (this.valid()) globalThis.localStorage?.setItem(LIMIT_KEY, String(this.input.valueAsNumber));
      this.input.setCustomValidity(this.valid() ? '' : 'a whole number of MiB, 1 or more');
      this.input.reportValidity();
    });
    this.element = h(
      'details',
      { class: 'load-limits' },
      h('summary', {}, 'Limits'),
      h('label', {}, 'Refuse a file that decodes to more than ', this.input, ' MiB'),
    );
  }

  private valid(): boolean {
    const n = this.input.valueAsNumber;
    return Number.isInteger(n) && n >= 1;
  }

  /** The limit in bytes; the default while the field holds no valid number. */
  bytes(): number {
    return this.valid() ? this.input.valueAsNumber * MIB : DEFAULT_MAX_DECODED_BYTES;
  }
}

/** "alerts.csv", or "3 files from torus-snapshot/" for a folder, for progress and problem headings. */
export function describeFiles(files: SourceFile[]): string {
  if (files.length === 1) return files[0]!.path;
  const tops = new Set(files.map((f) => f.path.split('/')[0]));
  const folder = tops.size === 1 && files.every((f) => f.path.includes('/')) ? ` from ${[...tops][0]}/` : '';
  return `${plural(files.length, 'file')}${folder}`;
}

function summarise(label: string, report: LoadReport): string {
  const errors = report.problems.filter((p) => p.level === 'error').length;
  const warnings = report.problems.length - errors;
  const issues = [errors ? plural(errors, 'error') : '', warnings ? plural(warnings, 'warning') : '']
    .filter(Boolean)
    .join(', ');
  if (report.loaded.length === 0) return `Nothing loaded from ${label}${issues ? `: ${issues}` : ''}.`;
  return `Loaded ${label}: ${plural(report.loaded.length, 'file')}${issues ? `, ${issues}` : ''}.`;
}
