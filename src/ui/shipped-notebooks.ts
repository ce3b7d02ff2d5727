/**
 * The notebooks shipped in notebooks/, as vite.config.ts serves them: /notebooks.json lists the
 * files, /notebooks/NAME.md is each one. They are read from the server each time they are opened
 * (a new version of the app brings new versions of them); the user's edits go to a copy.
 */
import { splitFrontMatter } from '../notebook/front-matter.ts';

export interface ShippedNotebook {
  /** The file name without `.md`: `01-tour-of-a-snapshot`. Links name a shipped notebook by it. */
  name: string;
  /** The front matter's title, or the name when it has none. */
  title: string;
  text: string;
}

interface Listing {
  files: { path: string; size: number }[];
}

async function fetchText(url: string, what: string): Promise<string> {
  const res = await fetch(url);
  if (!res.ok) throw new Error(`${what} could not be fetched (HTTP ${res.status})`);
  return res.text();
}

/** Every shipped notebook with its text (they are small, and the list shows their titles). */
export async function loadShippedNotebooks(base: string = import.meta.env.BASE_URL): Promise<ShippedNotebook[]> {
  const res = await fetch(`${base}notebooks.json`);
  if (!res.ok) throw new Error(`the list of shipped notebooks could not be fetched (HTTP ${res.status})`);
  const listing = (await res.json()) as Listing;
  return Promise.all(
    listing.files.map(async (f) => {
      const name = f.path.replace(/\.md$/, '');
      const text = await fetchText(`${base}notebooks/${encodeURIComponent(f.path)}`, f.path);
      return { name, title: notebookTitle(text, name), text };
    }),
  );
}

/** The title a notebook's front matter gives, or `fallback`. */
export function notebookTitle(text: string, fallback: string): string {
  return splitFrontMatter(text).block?.data?.title ?? fallback;
}
