/**
 * The app at a desktop size and a phone size: no page scrolls sideways, the notebook gets
 * the width, and under ~900 px the side bar is a menu. Screenshots of each screen at both
 * sizes are written to the test's output folder (artifacts, not committed).
 */
import { expect, test } from './fixtures';
import { SIZES, sideways } from './pages/screen';
import { NotebookPage } from './pages/notebook';

for (const size of SIZES) {
  test.describe(`at ${size.width}x${size.height}`, () => {
    test.use({ viewport: { width: size.width, height: size.height } });

    test('no screen scrolls sideways, and the notebook has the width', async ({ page }, info) => {
      test.setTimeout(180_000);
      const nb = new NotebookPage(page);
      const shot = (name: string) => page.screenshot({ path: info.outputPath(`${name}-${size.name}.png`), fullPage: true });
      await nb.goto();
      const menu = page.getByRole('button', { name: 'Menu', exact: true });
      if (size.width < 900) {
        await expect(menu).toBeVisible();
        await expect(nb.sidebar).toBeHidden();
        const width = await nb.notebook.evaluate((el) => el.getBoundingClientRect().width);
        expect(width).toBeGreaterThan(size.width - 40);
      } else {
        await expect(menu).toBeHidden();
        await expect(nb.sidebar).toBeVisible();
      }
      expect(await sideways(page)).toBe(0);
      await shot('notebook-empty');

      const train = await nb.trainCellOnSample();
      expect(await sideways(page)).toBe(0);
      await nb.train(train);
      expect(await sideways(page)).toBe(0);
      await shot('notebook-trained');
      await nb.train(train); // a second run, for the compare view

      // The Runs page, reached through the menu on a phone.
      if (size.width < 900) {
        await menu.click();
        await expect(menu).toHaveAttribute('aria-expanded', 'true');
        await expect(nb.sidebar).toBeVisible();
      }
      await nb.sidebar.getByRole('button', { name: /^Runs \(\d+\)$/ }).click();
      await expect(page.getByRole('heading', { level: 1, name: 'Runs' })).toBeVisible();
      if (size.width < 900) {
        await expect(nb.sidebar).toBeHidden(); // choosing a page closes the menu
        await expect(menu).toBeFocused();
      }
      expect(await sideways(page)).toBe(0);
      await shot('runs');

      // The compare view of both runs, the Models page and a model version's page.
      const boxes = page.getByRole('table', { name: 'All runs' }).getByRole('checkbox', { name: /^Select run / });
      await boxes.first().check();
      await boxes.nth(1).check();
      await expect(page.getByRole('region', { name: 'Comparison of 2 runs' })).toBeVisible();
      expect(await sideways(page)).toBe(0);
      await shot('compare');
      if (size.width < 900) await menu.click();
      await nb.openModels();
      expect(await sideways(page)).toBe(0);
      await shot('models');
      await page.getByRole('table', { name: /^Versions of / }).first().getByRole('button', { name: 'v1', exact: true }).click();
      await expect(page.getByRole('heading', { level: 1, name: /v1$/ })).toBeVisible();
      expect(await sideways(page)).toBe(0);
      await shot('model-version');
    });
  });
}

test.describe('the menu on a phone', () => {
  test.use({ viewport: { width: 390, height: 844 } });

  test('opens and closes with the keyboard', async ({ page }) => {
    const nb = new NotebookPage(page);
    await nb.goto();
    const menu = page.getByRole('button', { name: 'Menu', exact: true });
    await menu.focus();
    await page.keyboard.press('Enter');
    await expect(nb.sidebar).toBeVisible();
    await page.keyboard.press('Escape');
    await expect(nb.sidebar).toBeHidden();
    await expect(menu).toBeFocused();
    await menu.click();
    await page.getByRole('button', { name: 'Close menu' }).click();
    await expect(nb.sidebar).toBeHidden();
  });
});
