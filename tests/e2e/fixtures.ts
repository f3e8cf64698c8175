/**
 * The e2e `test`: Playwright's, plus an automatic check that the page and its workers
 * caused no Content-Security-Policy violation. Every spec imports `test` and `expect` from here.
 *
 * `securitypolicyviolation` events on every page of the test's context (an init script reports
 * them through a binding) and in its dedicated and service workers (a listener added as soon
 * as Playwright sees the worker, reporting through the worker's console), plus any console
 * error naming the Content Security Policy.
 */
import { test as base, expect, type BrowserContext, type ConsoleMessage, type Worker } from '@playwright/test';

export { expect };
// Types too, so a spec's one import line just points here.
export type { Browser, BrowserContext, Locator, Page } from '@playwright/test';

const CSP_MESSAGE = /Content[- ]Security[- ]Policy/i;

async function watchViolations(context: BrowserContext, found: string[]): Promise<void> {
  const onConsole = (where: string) => (msg: ConsoleMessage) => {
    if (msg.type() === 'error' && CSP_MESSAGE.test(msg.text())) found.push(`${where}: ${msg.text()}`);
  };
  const watchWorker = (where: string) => (worker: Worker) => {
    worker.on('console', onConsole(`${where} ${worker.url()}`));
    // Workers get no init script: listen from inside once Playwright sees the worker (a
    // violation in its very first statements can come before this).
    worker
      .evaluate(() => {
        self.addEventListener('securitypolicyviolation', (e) => {
          console.error(`Content Security Policy violation: ${e.violatedDirective} blocked ${e.blockedURI || 'inline'} (${e.sourceFile}:${e.lineNumber}) ${e.sample}`);
        });
      })
      .catch(() => undefined); // the worker may already be gone
  };
  context.on('console', onConsole('page'));
  context.on('page', (page) => page.on('worker', watchWorker('worker')));
  for (const page of context.pages()) page.on('worker', watchWorker('worker'));
  context.on('serviceworker', watchWorker('service worker'));
  await context.exposeBinding('__labbookCspViolation', (source, text: string) => {
    found.push(`${source.page.url()}: ${text}`);
  });
  await context.addInitScript(() => {
    document.addEventListener('securitypolicyviolation', (e) => {
      const report = (window as unknown as { __labbookCspViolation?: (t: string) => void }).__labbookCspViolation;
      report?.(`${e.violatedDirective} blocked ${e.blockedURI || 'inline'} (${e.sourceFile}:${e.lineNumber}) ${e.sample}`);
    });
  });
}

export const test = base.extend<{ cspViolations: string[] }>({
  cspViolations: [
    async ({ context }, use) => {
      const found: string[] = [];
      await watchViolations(context, found);
      await use(found);
      expect(found, 'Content-Security-Policy violations').toEqual([]);
    },
    { auto: true },
  ],
});
