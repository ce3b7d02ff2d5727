/** Served by the dev server for bench/load-profile.ts: the load profile in Chromium. */
import { openBrowserRuntime } from '../src/db/browser.ts';
import { sampleFiles } from '../src/ui/source-files.ts';
import { profileLoad, type LoadProfile } from './load-profile-run.ts';

export async function profileInPage(args: { settings: string[] }): Promise<LoadProfile> {
  const rt = await openBrowserRuntime();
  try {
    return await profileLoad(rt, await sampleFiles('/'), args.settings);
  } finally {
    await rt.db.close();
  }
}
