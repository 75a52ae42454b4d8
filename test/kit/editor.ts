/**
 * The n8n editor in headless Chromium (Debian's /usr/bin/chromium via playwright-core), for the
 * browser test and the canvas screenshots in docs/img/. Logs in with the owner's session cookie.
 */
/// <reference lib="dom" />
/// <reference lib="dom.iterable" />
// page.evaluate callbacks run in the browser, hence the DOM types.
import { chromium, selectors, type Browser, type Page } from 'playwright-core';
import type { N8nInstance } from '../fixtures/n8n/instance';

export const CHROMIUM = process.env.STAMPLI_CHROMIUM ?? '/usr/bin/chromium';
const FLAGS = [
	'--headless',
	'--no-sandbox',
	'--disable-gpu',
	'--disable-quic',
	'--no-first-run',
	'--disable-background-networking',
	'--disable-component-update',
	'--disable-sync',
];
const UI_TIMEOUT_MS = 30_000;
/** Loading the editor's page (its scripts) on a busy machine takes longer than any click. */
const NAVIGATION_TIMEOUT_MS = 120_000;
/** A node on the canvas (its output handle carries the node name). */
const CANVAS_NODE = '[data-test-id="canvas-node-output-handle"]';

export interface Editor {
	browser: Browser;
	page: Page;
	close(): Promise<void>;
}

export async function openEditor(n8n: N8nInstance): Promise<Editor> {
	// n8n's editor marks elements with data-test-id (Playwright's default is data-testid).
	selectors.setTestIdAttribute('data-test-id');
	const session = await n8n.setupOwner();
	const browser = await chromium.launch({
		executablePath: CHROMIUM,
		args: FLAGS,
		headless: true,
		timeout: UI_TIMEOUT_MS,
	});
	try {
		const context = await browser.newContext({
			viewport: { width: 1600, height: 900 },
			deviceScaleFactor: 1,
		});
		const [name, value] = session.cookie.split('=');
		await context.addCookies([
			{ name, value: session.cookie.slice(name.length + 1) || value, url: n8n.url },
		]);
		const page = await context.newPage();
		page.setDefaultTimeout(UI_TIMEOUT_MS);
		return { browser, page, close: () => browser.close() };
	} catch (error) {
		await browser.close();
		throw error;
	}
}

/** Opens a blank workflow, opens the node panel and searches it; returns each result's name and icon. */
export async function searchNodePanel(
	page: Page,
	baseUrl: string,
	term: string,
): Promise<Array<{ name: string; icon: string | null }>> {
	await page.goto(`${baseUrl}/workflow/new`, { timeout: NAVIGATION_TIMEOUT_MS });
	try {
		await page.getByTestId('node-creator-plus-button').click();
	} catch (error) {
		await page.screenshot({ path: '/tmp/stampli-editor-failure.png' }).catch(() => undefined);
		throw error;
	}
	await page.getByTestId('node-creator').locator('input').first().fill(term);
	await page.waitForFunction(
		(wanted) =>
			[...document.querySelectorAll('[data-test-id="node-creator-item-name"]')].some((element) =>
				(element.textContent ?? '').toLowerCase().includes(wanted),
			),
		term.toLowerCase(),
	);
	await page.waitForTimeout(300); // icons load after the names
	return await page.evaluate(() => {
		const names = [...document.querySelectorAll('[data-test-id="node-creator-item-name"]')];
		return names.map((element) => {
			const item =
				element.closest(
					'[data-test-id="node-creator-node-item"], [data-test-id="node-creator-action-item"], [class*="item"]',
				) ?? element.parentElement!;
			const container = item.parentElement ?? item;
			const img = container.querySelector('img');
			return {
				name: (element.textContent ?? '').trim(),
				icon: img ? img.getAttribute('src') : null,
			};
		});
	});
}

export interface CanvasCheck {
	/** Nodes drawn on the canvas, sticky notes included. */
	nodes: number;
	issues: number;
	unknownNodes: boolean;
}

/** Opens a workflow, fits it to the view and reports nodes, nodes with issues and "not installed" markers. */
export async function openWorkflow(
	page: Page,
	baseUrl: string,
	workflowId: string,
): Promise<CanvasCheck> {
	await page.goto(`${baseUrl}/workflow/${workflowId}`, { timeout: NAVIGATION_TIMEOUT_MS });
	try {
		await page.locator(CANVAS_NODE).first().waitFor();
	} catch (error) {
		await page.screenshot({ path: '/tmp/stampli-editor-failure.png' }).catch(() => undefined);
		const ids = await page.evaluate(() =>
			[
				...new Set(
					[...document.querySelectorAll('[data-test-id]')].map((e) =>
						e.getAttribute('data-test-id'),
					),
				),
			].join(' '),
		);
		throw new Error(`${(error as Error).message}\ntest ids on the page: ${ids}`);
	}
	await page.getByTestId('zoom-to-fit').click();
	await page.waitForTimeout(600); // the fit animates; screenshots need it settled
	const text = await page.locator('body').innerText();
	return {
		nodes: await page.locator('.vue-flow__node').count(),
		issues: await page.locator('[data-test-id="node-issues"]').count(),
		unknownNodes: /not (currently )?installed|unknown node/i.test(text),
	};
}

/** Opens a workflow and the parameter panel of one of its nodes. */
export async function openNode(
	page: Page,
	baseUrl: string,
	workflowId: string,
	nodeName: string,
): Promise<void> {
	await openWorkflow(page, baseUrl, workflowId);
	await page.locator(`[data-test-id="canvas-node"][data-node-name="${nodeName}"]`).dblclick();
	await page.getByTestId('ndv').waitFor();
}

/**
 * In the open parameter panel, opens the picker (resource locator) of a parameter (the `index`-th
 * of that name, e.g. a rule's), types `filter` into its search and returns the names the list
 * shows once they all match it.
 */
export async function openPicker(
	page: Page,
	picker: { parameter: string; index?: number; filter?: string },
): Promise<string[]> {
	const locator = page.getByTestId(`resource-locator-${picker.parameter}`).nth(picker.index ?? 0);
	await locator.scrollIntoViewIfNeeded();
	await locator.getByTestId('rlc-input').click();
	return await filterPicker(page, picker.filter ?? '');
}

/** Types `filter` into the search of the open picker; returns the names listed once they all match it. */
export async function filterPicker(page: Page, filter: string): Promise<string[]> {
	if (filter) await page.getByTestId('rlc-search').fill(filter);
	await page.waitForFunction((wanted) => {
		const items = [...document.querySelectorAll('[data-test-id="rlc-item"]')]
			.filter((item) => (item as HTMLElement).offsetParent !== null)
			.map((item) => (item.textContent ?? '').toLowerCase());
		return items.length > 0 && items.every((text) => text.includes(wanted));
	}, filter.toLowerCase());
	return (await page.locator('[data-test-id="rlc-item"]:visible').allInnerTexts()).map((text) =>
		text.trim(),
	);
}

/** Chooses an entry of the open picker list; returns what the picker then shows. */
export async function choosePickerItem(
	page: Page,
	parameter: string,
	name: string,
	index = 0,
): Promise<string> {
	await page.locator('[data-test-id="rlc-item"]:visible').filter({ hasText: name }).first().click();
	const field = page
		.getByTestId(`resource-locator-${parameter}`)
		.nth(index)
		.getByTestId('rlc-input');
	const shown = () =>
		field.evaluate(
			(element) =>
				(element instanceof HTMLInputElement ? element : element.querySelector('input'))?.value ??
				'',
		);
	const deadline = Date.now() + UI_TIMEOUT_MS;
	let value = await shown();
	while (value === '' && Date.now() < deadline) {
		await page.waitForTimeout(200);
		value = await shown();
	}
	return value;
}

/**
 * In the open parameter panel, adds an option of a collection (e.g. "Journal" under Options) through
 * its "Add Option" list, as a person does when the workflow leaves it unset.
 */
export async function addCollectionOption(page: Page, option: string, index = 0): Promise<void> {
	const add = page.getByTestId('collection-parameter-add').nth(index);
	await add.scrollIntoViewIfNeeded();
	await add.click();
	await page
		.locator('[data-test-id="collection-parameter-option"]:visible')
		.filter({ hasText: new RegExp(`^\\s*${option.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}\\s*$`) })
		.click();
}

/** What a picker shows: its mode ("From list", "By ID"; empty for a value saved before the picker) and text. */
export async function pickerState(
	page: Page,
	parameter: string,
	index = 0,
): Promise<{ mode: string; text: string }> {
	const locator = page.getByTestId(`resource-locator-${parameter}`).nth(index);
	await locator.scrollIntoViewIfNeeded();
	const valueOf = (testId: string) =>
		locator
			.getByTestId(testId)
			.first()
			.evaluate(
				(element) =>
					(element instanceof HTMLInputElement ? element : element.querySelector('input'))?.value ??
					'',
			);
	return { mode: await valueOf('rlc-mode-selector'), text: await valueOf('rlc-input') };
}

/** Closes the parameter panel (which hands its last change to the workflow) and saves with the editor's shortcut. */
export async function saveWorkflow(page: Page): Promise<void> {
	const close = page.getByTestId('ndv-close-button');
	if (await close.isVisible()) {
		await close.click();
		await page.getByTestId('ndv').waitFor({ state: 'hidden' });
	}
	await page.keyboard.press('Control+s');
}
