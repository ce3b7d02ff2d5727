/**
 * Wide tables show that they scroll: a pane that holds more to its right (or left) than it shows
 * gets `data-scroll-more="right"` (`left`, or both), and styles.css fades that edge. Scrollbars
 * alone do not say it: overlay scrollbars (macOS, touch screens) stay hidden until one scrolls.
 * The panes are found by class, so a view only has to use one of them.
 */

/** The app's horizontally scrolling panes that can hold wide tables or plots. */
const PANES = [
  '.grid-scroll',
  '.columns-scroll',
  '.table-scroll',
  '.ac-section',
  '.ac-windows',
  '.nb-plot',
  '.suspects-result',
  '.history-result',
  '.doc-body table',
].join(', ');

function mark(el: Element): void {
  const left = el.scrollLeft > 1;
  const right = el.scrollLeft + el.clientWidth < el.scrollWidth - 1;
  const value = [left && 'left', right && 'right'].filter(Boolean).join(' ');
  if (value) el.setAttribute('data-scroll-more', value);
  else el.removeAttribute('data-scroll-more');
}

export function installScrollHints(root: HTMLElement = document.body): void {
  let queued = false;
  const markAll = (): void => {
    if (queued) return;
    queued = true;
    requestAnimationFrame(() => {
      queued = false;
      for (const el of root.querySelectorAll(PANES)) mark(el);
    });
  };
  // Scroll events do not bubble; in the capture phase the document sees every pane's.
  document.addEventListener(
    'scroll',
    (e) => {
      const el = e.target;
      if (el instanceof Element && el.matches(PANES)) mark(el);
    },
    { capture: true, passive: true },
  );
  // New results, tabs and notebooks change what the panes hold; a resize changes what they show.
  new MutationObserver(markAll).observe(root, { childList: true, subtree: true });
  window.addEventListener('resize', markAll);
  markAll();
}
