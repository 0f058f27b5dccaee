/**
 * The foundation seen by a person: `sceau serve` in Debian's Chromium. The home screen in French, the
 * switch to English, the integrity screen's measurement equal to the service's, keyboard navigation;
 * and the loopback API refusing calls without the token or from a foreign Origin.
 */
import { expect, test } from '@playwright/test';
import { startServe, type Served } from './serve.js';

let served: Served;
test.beforeAll(async () => {
  served = await startServe();
});
test.afterAll(async () => {
  await served.stop();
});

async function callApi(method: string, headers: Record<string, string>): Promise<{ status: number; body: { ok: boolean; value?: unknown; error?: { code: string } } }> {
  const response = await fetch(`${served.origin}/api/${method}`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', ...headers },
    body: '{}',
  });
  return { status: response.status, body: (await response.json()) as { ok: boolean; error?: { code: string } } };
}

test('home in French, switch to English, integrity hash equals the service measurement', async ({ page }) => {
  await page.goto(served.url);
  await expect(page.locator('html')).toHaveAttribute('lang', 'fr');
  await expect(page.getByRole('heading', { level: 1, name: 'Accueil' })).toBeVisible();
  await expect(page.getByRole('heading', { name: 'Cérémonie des clés' })).toBeVisible();
  // The token has left the address bar once taken.
  expect(page.url()).not.toContain('token=');

  await page.getByRole('button', { name: 'English' }).click();
  await expect(page.locator('html')).toHaveAttribute('lang', 'en');
  await expect(page.getByRole('heading', { level: 1, name: 'Home' })).toBeVisible();
  await expect(page.getByRole('button', { name: 'English' })).toHaveAttribute('aria-pressed', 'true');

  await page.getByRole('link', { name: 'About and integrity' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'About and integrity' })).toBeVisible();
  const shown = await page.locator('[data-fingerprint]').getAttribute('data-fingerprint');
  const measured = await callApi('softwareMeasurement', { Authorization: `Bearer ${served.token}` });
  expect(measured.body.ok).toBe(true);
  expect(shown).toBe((measured.body.value as { digest: string }).digest);
  // What people read aloud is the same digest in groups of four.
  expect((await page.locator('.fingerprint').innerText()).replace(/\s+/g, '')).toBe(shown);

  // The choice of language survives a reload.
  await page.reload();
  await expect(page.getByRole('heading', { level: 1, name: 'About and integrity' })).toBeVisible();
  await page.screenshot({ path: 'test-results/integrity-en.png', fullPage: true });
});

test('the whole home screen is usable from the keyboard', async ({ page }) => {
  await page.goto(served.url);
  // The page renders after its translations load: tab only once it is there.
  await expect(page.getByRole('heading', { level: 1, name: 'Accueil' })).toBeVisible();
  await page.keyboard.press('Tab');
  await expect(page.getByRole('link', { name: 'Aller au contenu' })).toBeFocused();
  const reached: string[] = [];
  for (let i = 0; i < 9; i++) {
    await page.keyboard.press('Tab');
    reached.push(await page.evaluate(() => document.activeElement?.textContent?.trim() ?? ''));
  }
  expect(reached).toEqual(expect.arrayContaining(['Accueil', 'À propos et intégrité', 'Français', 'English', 'Vérifier à nouveau']));
  await page.getByRole('link', { name: 'À propos et intégrité' }).focus();
  await page.keyboard.press('Enter');
  await expect(page.getByRole('heading', { level: 1, name: 'À propos et intégrité' })).toBeVisible();
  await page.getByRole('link', { name: 'Accueil' }).focus();
  await page.keyboard.press('Enter');
  await expect(page.getByTestId('network-status')).toBeVisible();
  await page.screenshot({ path: 'test-results/home-fr.png', fullPage: true });
});

test('a page opened without its token says so instead of failing silently', async ({ page }) => {
  await page.goto(served.origin);
  await expect(page.getByRole('alert')).toContainText("sans son jeton d'accès");
});

test('the loopback API refuses a call without the token or from a foreign Origin', async ({ page }) => {
  expect((await callApi('appInfo', {})).status).toBe(401);
  expect((await callApi('appInfo', { Authorization: 'Bearer ' + '0'.repeat(64) })).body.error?.code).toBe('http.token');
  expect((await callApi('appInfo', { Authorization: `Bearer ${served.token}`, Origin: 'http://evil.example' })).status).toBe(403);
  expect((await callApi('appInfo', { Authorization: `Bearer ${served.token}` })).status).toBe(200);

  // From a real page on another origin, the browser's own request is refused too (no CORS, Origin checked).
  await page.goto('about:blank');
  const fromForeignPage = await page.evaluate(
    async ([origin, token]) => {
      try {
        const r = await fetch(`${origin}/api/appInfo`, { method: 'POST', headers: { 'Content-Type': 'application/json', Authorization: `Bearer ${token}` }, body: '{}' });
        return `status ${r.status}`;
      } catch (e) {
        return `blocked: ${String(e)}`;
      }
    },
    [served.origin, served.token] as const,
  );
  expect(fromForeignPage).toMatch(/blocked|status 40[13]/);
});
