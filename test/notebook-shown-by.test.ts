/** tablesShowing: the table cells below a sql cell that show its result (the app then summarises the sql cell). */
import { describe, expect, it } from 'vitest';
import { parseNotebook } from '../src/notebook/parse.ts';
import { tablesShowing } from '../src/notebook/shown-by.ts';

const NB = `\`\`\`table before
data: counts
\`\`\`

\`\`\`sql counts
SELECT 1 AS n
\`\`\`

\`\`\`plot drawn
data: counts
marks: [{type: dot, x: n}]
\`\`\`

\`\`\`table shown
data: counts
\`\`\`

\`\`\`sql other
SELECT 2 AS n
\`\`\`

\`\`\`table again
data: counts
limit: 5
\`\`\`
`;

describe('tablesShowing', () => {
  it('names the table cells after a sql cell that read it, not plots, not cells above', () => {
    const doc = parseNotebook(NB, { file: 'nb.md' });
    expect(tablesShowing(doc, 'counts')).toEqual(['shown', 'again']);
    expect(tablesShowing(doc, 'other')).toEqual([]);
    expect(tablesShowing(doc, 'shown')).toEqual([]);
    expect(tablesShowing(doc, 'missing')).toEqual([]);
  });
});
