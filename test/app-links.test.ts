import { describe, expect, it } from 'vitest';
import {
  docFromHash,
  docHash,
  docSectionFromHash,
  isDocPath,
  notebookHash,
  resolveAppLink,
} from '../src/util/app-links.ts';

const ORIGIN = 'http://127.0.0.1:5173/';

describe('resolveAppLink', () => {
  it('turns the links between notebooks and docs into places in the app', () => {
    const nb = 'notebooks/02-proxy-label-thresholds.md';
    expect(resolveAppLink('../docs/proxy-labels.md', nb, ORIGIN)).toEqual({
      kind: 'doc',
      path: 'docs/proxy-labels.md',
    });
    expect(resolveAppLink('../sample-data/README.md', nb, ORIGIN)).toEqual({
      kind: 'doc',
      path: 'sample-data/README.md',
    });
    expect(resolveAppLink('03-compare-strategies.md', nb, ORIGIN)).toEqual({
      kind: 'notebook',
      name: '03-compare-strategies',
    });
    // A doc's sibling is resolved against the doc, not against the app's address.
    expect(resolveAppLink('labelling-guideline.md', 'docs/proxy-labels.md', ORIGIN)).toEqual({
      kind: 'doc',
      path: 'docs/labelling-guideline.md',
    });
    expect(resolveAppLink('../notebooks/03-compare-strategies.md', 'docs/training.md', ORIGIN)).toEqual({
      kind: 'notebook',
      name: '03-compare-strategies',
    });
    expect(resolveAppLink('validator.md#the-configuration', 'docs/training.md', ORIGIN)).toEqual({
      kind: 'doc',
      path: 'docs/validator.md',
      anchor: 'the-configuration',
    });
  });

  it('sends everything else to a new tab, resolved against the file it is written in', () => {
    expect(resolveAppLink('https://example.org/x', 'docs/a.md', ORIGIN)).toEqual({
      kind: 'external',
      url: 'https://example.org/x',
    });
    expect(resolveAppLink('../src/notebook/README.md', 'docs/a.md', ORIGIN)).toEqual({
      kind: 'external',
      url: `${ORIGIN}src/notebook/README.md`,
    });
    expect(resolveAppLink('mailto:a@b.c', 'docs/a.md', ORIGIN)).toEqual({ kind: 'external', url: 'mailto:a@b.c' });
    // An app served under a base path resolves inside it.
    expect(resolveAppLink('../docs/x.md', 'notebooks/01-x.md', 'https://h.example/lab/')).toEqual({
      kind: 'doc',
      path: 'docs/x.md',
    });
    expect(resolveAppLink('#limits', 'docs/a.md', ORIGIN)).toEqual({ kind: 'fragment', anchor: 'limits' });
    // notebooks/README.md is not a shipped notebook, nor a doc the app renders.
    expect(resolveAppLink('README.md', 'notebooks/01-x.md', ORIGIN).kind).toBe('external');
  });
});

describe('doc addresses', () => {
  it('round-trip a doc path and refuse paths that are not docs', () => {
    expect(docFromHash(docHash('docs/proxy-labels.md'))).toBe('docs/proxy-labels.md');
    expect(docFromHash(docHash('sample-data/labels/CHANGELOG.md'))).toBe('sample-data/labels/CHANGELOG.md');
    expect(docFromHash('#doc=src%2Fui%2Fmain.ts')).toBeNull();
    expect(docFromHash('#doc=docs%2F..%2Fpackage.json')).toBeNull();
    expect(docFromHash('#nb=01-tour-of-a-snapshot')).toBeNull();
    expect(isDocPath('docs/sub/x.md')).toBe(false);
    expect(notebookHash('03-compare-strategies')).toBe('#nb=03-compare-strategies');
    // A link's #anchor travels as the section to open the doc at.
    const at = docHash('docs/labelling-guideline.md', 'precedence');
    expect(docFromHash(at)).toBe('docs/labelling-guideline.md');
    expect(docSectionFromHash(at)).toBe('precedence');
    expect(docSectionFromHash(docHash('docs/proxy-labels.md'))).toBeNull();
  });
});
