/** Reading the Review tab in browser tests. */
import type { Page } from 'playwright-core';

/** The alert id on the card, once the card shows the alert the queue's cursor is on. */
export async function currentAlert(page: Page): Promise<string> {
  await page.waitForFunction(() => {
    const current = document.querySelector('.rv-item[aria-current="true"] .rv-item-button');
    const card = document.querySelector<HTMLElement>('.alert-card');
    return current && card && current.getAttribute('title') === card.dataset.alert;
  });
  return page.$eval('.alert-card', (el) => (el as HTMLElement).dataset.alert!);
}
