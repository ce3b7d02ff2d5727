/**
 * Notebooks as files on the user's disk: download one as NAME.md, read one the user picked, and
 * the text a new notebook starts from.
 */

import { downloadBytes } from './downloads.ts';

/** Save a notebook's text as a Markdown file the browser downloads. */
export function downloadText(file: string, text: string): void {
  downloadBytes(file, text, 'text/markdown;charset=utf-8');
}

/** A picked file's text; a file that is not UTF-8 text (a Parquet file picked by mistake) is an error. */
export async function readNotebookFile(file: File): Promise<string> {
  const bytes = new Uint8Array(await file.arrayBuffer());
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    throw new Error(`${file.name}: is not a text file (not valid UTF-8): expected a notebook's Markdown`);
  }
}

/** `My notebook!` → `my-notebook.md`. */
export function fileNameFor(title: string): string {
  const slug = title
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 60);
  return `${slug || 'notebook'}.md`;
}

/** A new notebook: a title to change, a sentence of purpose, and one query that runs. */
export function newNotebookText(title: string): string {
  return `---
title: ${title}
---

What is this notebook for? Say it here, then check it with the cells below.

\`\`\`sql alerts_by_typology
SELECT typology_type, count(*) AS alerts
FROM alerts
GROUP BY 1
ORDER BY alerts DESC
\`\`\`

\`\`\`plot alerts_by_typology_plot
data: alerts_by_typology
marginLeft: 140
marks:
  - {type: barX, x: alerts, y: typology_type, sort: {y: -x}}
  - {type: ruleX, values: [0]}
y: {label: null}
\`\`\`
`;
}
