/** Screen sizes the layout is checked at, and what "no sideways scroll" measures. */
import type { Page } from '@playwright/test';

export const SIZES = [
  { name: 'desktop', width: 1440, height: 900 },
  { name: 'phone', width: 390, height: 844 },
] as const;

/** How many pixels the page scrolls sideways (0 when it does not). */
export function sideways(page: Page): Promise<number> {
  return page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
}
