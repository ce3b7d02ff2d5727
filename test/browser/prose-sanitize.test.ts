/**
 * The hostile prose of test/sanitize-payloads.ts in Chromium, through the app's own prose view
 * (src/ui/prose-view.ts: the renderer, then DOMPurify with the allow-list of
 * src/notebook/sanitize-policy.ts) and through that DOMPurify alone on the raw payloads: nothing
 * executable in what the page holds, no alert ever called, the visible text kept, safe Markdown
 * kept in shape.
 */
import { describe, expect, it } from 'vitest';
import { appSession, chromiumAvailable } from './harness.ts';
import { assertInert, EVIL_VALUES, PAYLOADS, SAFE } from '../sanitize-payloads.ts';

const runnable = chromiumAvailable();

describe.skipIf(!runnable)('prose in the browser, sanitised by DOMPurify with the prose allow-list', () => {
  const session = appSession();

  it('renders every payload inert in the prose view, and DOMPurify alone keeps raw HTML inert', async () => {
    const { page } = session;
    const out = await page.evaluate(
      async ({ payloads, evil, safe }) => {
        const calls: string[] = [];
        for (const name of ['alert', 'confirm', 'prompt', 'print'] as const)
          (window as unknown as Record<string, unknown>)[name] = (...args: unknown[]) =>
            void calls.push(`${name}(${args.join(',')})`);
        // The modules the app itself runs (the dev server's URLs), so this is the app's DOMPurify set-up.
        // Built in the page, so vitest's transform of this file leaves the import() alone.
        const load = new Function('path', 'return import(path)') as (path: string) => Promise<unknown>;
        const { ProseView } = (await load('/src/ui/prose-view.ts')) as typeof import('../../src/ui/prose-view.ts');
        const { purifySanitizer } = (await load(
          '/src/notebook/sanitize-policy.ts',
        )) as typeof import('../../src/notebook/sanitize-policy.ts');
        const { default: DOMPurify } = (await load(
          '/node_modules/dompurify/dist/purify.es.mjs',
        )) as typeof import('dompurify');
        const raw = purifySanitizer(DOMPurify(window));
        const host = {
          editProse() {},
          addBelow() {},
          editorFocused() {},
          proseValues: () => (ref: { cell: string; column: string }) =>
            ref.cell === 'evil' && ref.column in evil
              ? { text: evil[ref.column]!, state: 'ok' as const }
              : { text: `(no cell ${ref.cell})`, state: 'missing' as const },
        };
        const box = document.createElement('div');
        document.body.append(box);
        const render = (md: string): string => {
          const view = new ProseView('p', md, host);
          box.append(view.element);
          return view.element.querySelector('.nb-prose-body')!.innerHTML;
        };
        const prose = payloads.map((p) => render(p.md));
        const direct = payloads.map((p) => {
          const holder = document.createElement('div');
          holder.innerHTML = raw.sanitize(p.md);
          box.append(holder);
          return holder.innerHTML;
        });
        const safeHtml = render(safe);
        // Give any handler that survived (onload, onerror, ontoggle, a refresh) the time to run.
        await new Promise((r) => setTimeout(r, 1000));
        return { prose, direct, safeHtml, calls, location: location.href };
      },
      { payloads: PAYLOADS, evil: EVIL_VALUES, safe: SAFE },
    );
    expect(out.calls).toEqual([]);
    expect(out.location).not.toMatch(/javascript:/);
    PAYLOADS.forEach((p, i) => {
      const text = assertInert(out.prose[i]!, `prose view: ${p.name}`);
      for (const v of p.visible ?? []) expect(text, `${p.name}: visible text`).toContain(v);
      assertInert(out.direct[i]!, `DOMPurify alone: ${p.name}`);
    });
    const safe = out.safeHtml;
    assertInert(safe, 'safe');
    expect(safe).toContain('<a href="https://example.org/a?b=1#c">the site</a>');
    expect(safe).toContain('<a href="#section">an anchor</a>');
    expect(safe).toContain('<a href="../other.md">relative</a>');
    expect(safe).toContain('<img src="https://example.org/chart.png" alt="chart" title="A chart">');
    expect(safe).toContain('<input checked="" disabled="" type="checkbox"> done');
    expect(safe).toContain('<th align="left">a</th>');
    expect(safe).toContain('<code class="language-sql">SELECT 1 &lt; 2');
    expect(safe).toContain('<ol start="3">');
    // The https image of the safe text cannot load here (no network); nothing else may go wrong.
    expect(session.browser.errors.filter((e) => !/Failed to load resource|ERR_/.test(e))).toEqual([]);
  });
});
