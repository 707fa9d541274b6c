/*
 * peer.js: the observe-and-act loop of bench/observe written the way
 * agents of the field write it with puppeteer-core, so that webnav's step
 * can be timed beside it in the same run, on the same page, driving the
 * same Chromium binary.
 *
 *   node peer.js --url URL [--chromium PATH] [--text TEXT]
 *
 * Launches PATH (default /usr/bin/chromium) with puppeteer.launch() (its
 * default arguments, headless, plus the flags webnav passes as root), opens
 * a page with a 1280x800 viewport, loads URL and prints one JSON line
 * {"ready": true, "chromium": VERSION, "puppeteer": VERSION}.  Then it
 * reads commands on stdin, one per line:
 *
 *   step   one step, answered by one JSON line of milliseconds:
 *          {"shot", "list", "click", "settle", "total", "n", "png"}
 *   quit   (or end of input) closes the browser and exits.
 *
 * Errors are one line {"error": TEXT}; the process then exits 1.
 *
 * One step:
 *   shot    page.screenshot({type: 'png'}): puppeteer's defaults for a
 *           viewport screenshot (Page.captureScreenshot, PNG,
 *           optimizeForSpeed false, captureBeyondViewport false), as
 *           agents that send the screenshot to a model take it.
 *   list    one page.evaluate() listing the interactive elements with
 *           their boxes, as browser-use's DOM listing does: interactive
 *           tags, ARIA roles, tabindex, contenteditable and on-click
 *           handlers; kept when displayed, visible, not transparent, with
 *           a box in the viewport and on top at its centre
 *           (elementFromPoint); each with tag, role, text, a few
 *           attributes and its box.  n is how many.
 *   click   page.mouse.click() at the centre of the element whose text is
 *           TEXT (default "Filters"): a move, a press and a release.
 *   settle  page.waitForNetworkIdle({idleTime: 50, timeout: 2000}): no
 *           request in flight for 50 ms, the same quiet period webnav
 *           gives a page that starts nothing (puppeteer's own default is
 *           500 ms).
 */
'use strict';

const readline = require('readline');
const puppeteer = require('puppeteer-core');

/* The flags webnav gives Chromium (browser/cdp-launch.c) as root. */
const EXTRA_ARGS = [
	'--no-sandbox',
	'--disable-gpu',
	'--disable-quic',
	'--no-first-run',
	'--disable-background-networking',
	'--disable-component-update',
	'--disable-sync',
	'--window-size=1280,800'
];

/* Runs in the page: the interactive elements in the viewport. */
function listElements()
{
	const SEL = 'a[href], button, input, select, textarea, summary, ' +
	    'details, label, option, [role=button], [role=link], ' +
	    '[role=checkbox], [role=radio], [role=tab], [role=menuitem], ' +
	    '[role=option], [role=switch], [role=combobox], [role=textbox], ' +
	    '[role=searchbox], [role=slider], [onclick], [tabindex], ' +
	    '[contenteditable=""], [contenteditable=true]';
	const ATTRS = ['id', 'name', 'type', 'placeholder', 'aria-label',
	    'title', 'href', 'role', 'value', 'alt'];
	const vw = window.innerWidth, vh = window.innerHeight;
	const out = [];

	for (const el of document.querySelectorAll(SEL)) {
		const st = window.getComputedStyle(el);
		if (st.display === 'none' || st.visibility === 'hidden' ||
		    st.visibility === 'collapse' || Number(st.opacity) === 0)
			continue;
		if (el.tabIndex < 0 && el.hasAttribute('tabindex') &&
		    !el.matches('a[href], button, input, select, textarea'))
			continue;
		const b = el.getBoundingClientRect();
		if (b.width <= 0 || b.height <= 0 || b.bottom <= 0 ||
		    b.right <= 0 || b.top >= vh || b.left >= vw)
			continue;
		const cx = Math.min(Math.max(b.left + b.width / 2, 0), vw - 1);
		const cy = Math.min(Math.max(b.top + b.height / 2, 0), vh - 1);
		const top = document.elementFromPoint(cx, cy);
		if (top !== null && top !== el && !el.contains(top) &&
		    !top.contains(el))
			continue;
		const attrs = {};
		for (const a of ATTRS) {
			const v = el.getAttribute(a);
			if (v !== null && v !== '')
				attrs[a] = v.slice(0, 100);
		}
		const text = (el.innerText || el.value || el.getAttribute(
		    'aria-label') || el.getAttribute('placeholder') || '')
		    .replace(/\s+/g, ' ').trim().slice(0, 100);
		out.push({
			index: out.length,
			tag: el.tagName.toLowerCase(),
			role: el.getAttribute('role') || '',
			text: text,
			attrs: attrs,
			box: { x: b.left, y: b.top, w: b.width, h: b.height }
		});
	}
	return out;
}

function parseArgs(argv)
{
	const o = { chromium: '/usr/bin/chromium', text: 'Filters', url: '' };

	for (let i = 2; i < argv.length; i++) {
		const k = argv[i], v = argv[i + 1];

		if (v === undefined)
			throw new Error('missing value for ' + k);
		if (k === '--url')
			o.url = v;
		else if (k === '--chromium')
			o.chromium = v;
		else if (k === '--text')
			o.text = v;
		else
			throw new Error('unknown argument ' + k);
		i++;
	}
	if (o.url === '')
		throw new Error('usage: node peer.js --url URL ' +
		    '[--chromium PATH] [--text TEXT]');
	return o;
}

function say(obj)
{
	process.stdout.write(JSON.stringify(obj) + '\n');
}

/* One step; returns its timings. */
async function step(page, text)
{
	const t0 = performance.now();
	const png = await page.screenshot({ type: 'png' });
	const t1 = performance.now();
	const els = await page.evaluate(listElements);
	const target = els.find(e => e.text === text);
	const t2 = performance.now();

	if (target === undefined)
		throw new Error('no element "' + text + '" on the page');
	await page.mouse.click(target.box.x + target.box.w / 2,
	    target.box.y + target.box.h / 2);
	const t3 = performance.now();
	await page.waitForNetworkIdle({ idleTime: 50, timeout: 2000 });
	const t4 = performance.now();
	return {
		shot: t1 - t0, list: t2 - t1, click: t3 - t2, settle: t4 - t3,
		total: t4 - t0, n: els.length, png: png.length
	};
}

async function main()
{
	const o = parseArgs(process.argv);
	const browser = await puppeteer.launch({
		executablePath: o.chromium,
		headless: true,
		args: EXTRA_ARGS,
		defaultViewport: { width: 1280, height: 800 }
	});
	let failed = false;

	try {
		const page = await browser.newPage();

		await page.goto(o.url, { waitUntil: 'load' });
		say({
			ready: true,
			chromium: await browser.version(),
			puppeteer: require('puppeteer-core/package.json').version
		});
		const rl = readline.createInterface({ input: process.stdin });
		for await (const line of rl) {
			const cmd = line.trim();

			if (cmd === 'quit')
				break;
			if (cmd === 'step')
				say(await step(page, o.text));
			else if (cmd !== '')
				throw new Error('unknown command ' + cmd);
		}
	} catch (e) {
		say({ error: String(e && e.message ? e.message : e) });
		failed = true;
	} finally {
		await browser.close();
	}
	return failed ? 1 : 0;
}

main().then(rc => {
	process.exitCode = rc;
}, e => {
	say({ error: String(e && e.message ? e.message : e) });
	process.exitCode = 1;
});
