/*
 * fam-widgets.js: generator families "menu", "tabs" (held out),
 * "dialog", "date", "select" and "checks" (held out) (see core.js).
 */
(function () {
	'use strict';

	var G = window.__gen, P = G.P, h = G.h;

	function clickedAny(el) {
		return G.clicks.indexOf(el) >= 0;
	}

	/* ---------------------------------------------------------------- */
	/* menu: dropdown navbars, a hamburger drawer, a folder tree.       */

	var MENUS = {
		Products: ['Overview', 'Features', 'Pricing', 'Integrations',
		    'Roadmap', 'Release notes'],
		Solutions: ['Enterprise', 'Small business', 'Education',
		    'Healthcare', 'Retail', 'Government'],
		Resources: ['Blog', 'Guides', 'Webinars', 'Case studies',
		    'Documentation', 'API reference'],
		Company: ['About us', 'Careers', 'Press', 'Contact',
		    'Investors', 'Partners'],
		Account: ['Profile', 'Settings', 'Billing', 'Security',
		    'Notifications', 'Sign out'],
		Help: ['FAQ', 'Support', 'Community', 'Status', 'Contact',
		    'Overview'],
		Shop: ['New arrivals', 'Best sellers', 'Sale', 'Gift cards',
		    'Overview', 'Brands'],
		Settings: ['General', 'Privacy', 'Appearance', 'Language',
		    'Security', 'Notifications']
	};
	var FOLDERS = {
		Documents: ['Resume.pdf', 'Budget 2024.xlsx', 'Notes.txt',
		    'Contract.docx', 'Invoice March.pdf'],
		Photos: ['Beach.jpg', 'Birthday.png', 'Wedding.jpg',
		    'Hiking trip.jpg', 'Family.png'],
		Music: ['Playlist.m3u', 'Jazz mix.mp3', 'Podcast 12.mp3',
		    'Lullaby.mp3'],
		Projects: ['Website', 'Mobile app', 'Report draft',
		    'Design specs', 'Roadmap.md'],
		Downloads: ['Installer.dmg', 'Manual.pdf', 'Archive.zip',
		    'Slides.pptx'],
		Recipes: ['Pancakes.txt', 'Lasagna.txt', 'Curry.txt',
		    'Brownies.txt'],
		Work: ['Meeting notes', 'Q3 plan', 'Team photo.jpg',
		    'Timesheet.xlsx']
	};

	G.def('menu', 'train', function (G) {
		var R = G.R, t = {}, kind, names, bar, i, tops = {}, tgt, top;
		var item, drawer, burger, tree, leafEl, folder, sub, main;

		kind = R.weighted([[3, 'nav'], [1.5, 'burger'], [2, 'tree']]);
		main = [];
		if (kind === 'nav') {
			names = R.sample(Object.keys(MENUS), R.range(3, 5));
			bar = h('nav', { style: 'display:flex;gap:8px;' +
			    'flex-wrap:wrap;margin:8px 0' });
			names.forEach(function (n) {
				var trig, list, wrap, items;

				list = h('div.menu.hidden', { role: R.chance(0.6) ?
				    'menu' : null });
				items = R.sample(MENUS[n], R.range(3, 6));
				items.forEach(function (it) {
					var e = G.button(it, function () {
						list.classList.add('hidden');
					}, { link: R.chance(0.6),
					    impl: R.chance(0.3) ? 'native' :
					    undefined });

					if (list.getAttribute('role'))
						e.setAttribute('role',
						    'menuitem');
					e.style.display = 'block';
					list.appendChild(e);
				});
				trig = G.button(n + (R.chance(0.5) ? ' \u25be' : ''),
				    function () {
					var open = list.classList.contains(
					    'hidden');

					G.closeMenus(list);
					list.classList.toggle('hidden', !open);
					trig.setAttribute('aria-expanded',
					    open ? 'true' : 'false');
				}, { sec: true });
				trig.setAttribute('aria-haspopup', 'true');
				trig.setAttribute('aria-expanded', 'false');
				G.menus.push({ list: list, trig: trig });
				G.revealer(list, function () {
					return G.click(trig, 'open ' + n);
				});
				wrap = h('div', { style: 'position:relative' },
				    [trig, list]);
				bar.appendChild(wrap);
				tops[n] = list;
			});
			top = R.pick(names);
			item = R.pick(Array.prototype.slice.call(
			    tops[top].children));
			tgt = item;
			t.fill = { M: top, I: item.__label };
			main.push(bar);
		} else if (kind === 'burger') {
			names = R.sample(P.nav, R.range(5, 10));
			drawer = h('div.menu.hidden', { style: 'left:0;top:' +
			    '40px;min-width:220px', role: R.chance(0.5) ?
			    'navigation' : null });
			names.forEach(function (n) {
				var e = G.link(n, function () {
					drawer.classList.add('hidden');
				});

				e.style.display = 'block';
				drawer.appendChild(e);
			});
			burger = G.button(R.pick(['Menu', 'Open menu',
			    'Navigation', 'Main menu']), function () {
				var open = drawer.classList.contains('hidden');

				G.closeMenus(drawer);
				drawer.classList.toggle('hidden', !open);
			}, { icon: 'menu', impl: G.impl === 'listener' ?
			    'listener' : 'icon' });
			G.menus.push({ list: drawer, trig: burger });
			G.revealer(drawer, function () {
				return G.click(burger, 'open the menu');
			});
			main.push(h('div', { style: 'position:relative' },
			    [burger, drawer]));
			tgt = R.pick(Array.prototype.slice.call(
			    drawer.children));
			t.fill = { I: tgt.__label, M: burger.__label };
		} else {
			/* A folder tree, two levels. */
			tree = h('div', { role: R.chance(0.5) ? 'tree' : null,
			    style: 'margin:10px 0' });
			names = R.sample(Object.keys(FOLDERS), R.range(3, 6));
			var leaves = [];
			names.forEach(function (n) {
				var kids = h('div.hidden', { style:
				    'margin-left:22px', role: tree.getAttribute(
				    'role') ? 'group' : null });
				var tog, row, files = R.sample(FOLDERS[n],
				    R.range(2, 5));

				tog = G.button((R.chance(0.5) ? '\u25b8 ' : '') + n,
				    function () {
					var open = kids.classList.contains(
					    'hidden');

					kids.classList.toggle('hidden', !open);
					tog.setAttribute('aria-expanded',
					    open ? 'true' : 'false');
				}, { link: true, impl: R.chance(0.5) ?
				    'role' : undefined });
				tog.__label = n;
				tog.setAttribute('aria-expanded', 'false');
				if (tree.getAttribute('role'))
					tog.setAttribute('role', 'treeitem');
				row = h('div', tog);
				files.forEach(function (f) {
					var e = G.link(f, null);

					e.style.display = 'block';
					if (tree.getAttribute('role'))
						e.setAttribute('role',
						    'treeitem');
					kids.appendChild(e);
					leaves.push({ el: e, folder: n });
				});
				G.revealer(kids, function () {
					return G.click(tog, 'expand ' + n);
				});
				tree.appendChild(row);
				tree.appendChild(kids);
			});
			leafEl = R.pick(leaves);
			tgt = leafEl.el;
			folder = leafEl.folder;
			sub = tgt.__label;
			t.fill = { F: folder, L: sub };
			main.push(h('div.layout', [h('aside', [h('strong',
			    R.pick(['Files', 'My drive', 'Explorer',
			    'Library'])), tree]), h('div', [h('p', 'Select ' +
			    'a file to preview it.'), G.filler(R.range(2,
			    6))])]));
		}
		G.mount([main, G.maybeCookieBar(), R.chance(0.5) ?
		    G.distractors(R.range(1, 4)) : null], null, {
			avoid: Object.keys(MENUS), side: kind !== 'tree'
		});
		t.kind = kind;
		t.templates = {
			nav: ['Go to {M} > {I}', 'Open {I} from the {M} menu',
			    'Click {I} under {M}', 'In the {M} menu, choose {I}',
			    'Navigate to {M}, then {I}',
			    'Open the {M} menu and click {I}',
			    'Find {I} in the {M} dropdown', '{M} / {I}',
			    'Take me to {I} in {M}',
			    'I want the {I} page of the {M} section',
			    'Hover over {M} and select {I}',
			    'Use the {M} dropdown to get to {I}'],
			burger: ['Open the menu and go to {I}',
			    'Use the menu to open {I}',
			    'Tap the menu icon, then {I}',
			    'Go to {I} via the main menu',
			    'Open navigation and click {I}',
			    'From the menu, choose {I}'],
			tree: ['Open {L} in the {F} folder',
			    'Expand {F} and click {L}', 'Go to {F} / {L}',
			    'Select the file {L} inside {F}',
			    'Show {L} from {F}', 'In the {F} folder, open {L}',
			    'Find {L} under {F} and open it']
		};
		t.goals = [G.gClick(tgt, function () {
			return clickedAny(tgt);
		}, 'item')];
		t.done = t.goals[0].sat;
		return t;
	});

	/* ---------------------------------------------------------------- */
	/* tabs (held out): tab lists and accordions with a task inside.    */

	G.def('tabs', 'heldout', function (G) {
		var R = G.R, t = {}, kind, names, panels = [], heads = [];
		var tabsEl, box, tp, inner, acc, saved = null, sub;
		var fieldVal, fld, chk, btnName, btn, accordion;

		names = R.sample(['General', 'Profile', 'Billing', 'Security',
		    'Notifications', 'Advanced', 'Shipping', 'Payment',
		    'Details', 'Reviews', 'Specifications', 'Team',
		    'Integrations', 'Privacy'], R.range(3, 5));
		accordion = R.chance(0.45);
		kind = R.pick(['button', 'field', 'check']);
		tp = R.int(names.length);
		function panelContent(k) {
			var c = [], f, cb, b, j;

			for (j = 0; j < R.range(1, 2); j++)
				c.push(h('p', G.filler(R.range(1, 3))
				    .textContent));
			f = G.field(R.pick(['Display name', 'Company',
			    'Phone', 'Website', 'City', 'Zip code',
			    'Billing email', 'Tax ID', 'Nickname',
			    'Team name']), {});
			cb = G.checkbox(R.pick(['Email alerts',
			    'Two-factor authentication', 'Dark mode',
			    'Weekly digest', 'Public profile',
			    'Auto-renew', 'Gift wrap', 'Beta features']),
			    { 'switch': R.chance(0.4), checked: R.chance(0.3) });
			b = G.button(R.pick(P.action.slice(0, 30).filter(
			    function (x) {
				return !/^(Save|Apply|Update|Submit)/.test(x);
			})), null,
			    { sec: R.chance(0.5) });
			c.push(f.wrap, cb.wrap, b);
			return { el: h('div', c), f: f, cb: cb, b: b,
			    k: k };
		}
		inner = names.map(function (n, j) {
			return panelContent(j);
		});
		if (!accordion) {
			tabsEl = h('div.tabs', { role: R.chance(0.7) ?
			    'tablist' : null });
			names.forEach(function (n, j) {
				var tab = G.button(n, function () {
					show(j);
				}, { impl: R.chance(0.5) ? 'role' : undefined });
				if (tabsEl.getAttribute('role'))
					tab.setAttribute('role', 'tab');
				tab.className = '';
				tab.style.cursor = 'pointer';
				tab.style.padding = '8px 14px';
				heads.push(tab);
				tabsEl.appendChild(tab);
				panels.push(h('div.card', { role:
				    tabsEl.getAttribute('role') ? 'tabpanel' :
				    null }, inner[j].el));
			});
			box = h('div', [tabsEl].concat(panels));
		} else {
			box = h('div');
			names.forEach(function (n, j) {
				var head = G.button(n + ' \u25be', function () {
					var open = panels[j].classList.contains(
					    'hidden');

					panels[j].classList.toggle('hidden',
					    !open);
					head.setAttribute('aria-expanded',
					    open ? 'true' : 'false');
				}, { sec: true });
				head.__label = n;
				head.setAttribute('aria-expanded', 'false');
				head.style.display = 'block';
				heads.push(head);
				panels.push(h('div.card.hidden', inner[j].el));
				box.appendChild(head);
				box.appendChild(panels[j]);
			});
		}
		function show(j) {
			var k;

			for (k = 0; k < panels.length; k++) {
				panels[k].classList.toggle('hidden', k !== j);
				heads[k].setAttribute('aria-selected', k === j ?
				    'true' : 'false');
			}
		}
		if (!accordion)
			show(R.chance(0.7) ? 0 : R.int(names.length));
		panels.forEach(function (p, j) {
			G.revealer(p, function () {
				return G.click(heads[j], 'open ' + names[j]);
			});
		});
		sub = G.button(R.pick(['Save', 'Save changes', 'Apply',
		    'Update']), function () {
			saved = { v: inner[tp].f.get(), c: inner[tp].cb.get() };
		});
		G.mount([h('h2', R.pick(['Settings', 'Preferences',
		    'Product', 'Account', 'Dashboard'])), box, sub,
		    G.maybeCookieBar()], null, {});
		acc = accordion ? 'accordion' : 'tabs';
		fld = inner[tp].f;
		chk = inner[tp].cb;
		btn = inner[tp].b;
		btnName = btn.__label;
		fieldVal = ({
			'Display name': R.pick(P.first) + ' ' + R.pick(P.last),
			Company: R.pick(P.company), Phone: '555-' +
			    R.range(1000, 9999), Website: 'www.' +
			    R.pick(P.word) + '.com', City: R.pick(P.city),
			'Zip code': String(R.range(10000, 99999)),
			'Billing email': R.pick(P.first).toLowerCase() + '@' +
			    R.pick(P.domain), 'Tax ID': 'TX' +
			    R.range(100000, 999999), Nickname: R.pick(P.word),
			'Team name': R.pick(P.word) + ' ' + R.pick(P.noun)
		})[fld.label];
		var wantOn = !chk.get();
		t.kind = kind;
		t.fill = {
			T: names[tp], B: btnName, L: G.lc(fld.label),
			V: { text: fieldVal, value: true },
			C: G.lc(chk.label), S: sub.__label,
			W: acc === 'accordion' ? 'section' : 'tab',
			ON: wantOn ? R.pick(['on', 'on']) : 'off',
			CH: wantOn ? R.pick(['Check', 'Enable', 'Turn on',
			    'Tick']) : R.pick(['Uncheck', 'Disable',
			    'Turn off', 'Untick'])
		};
		t.templates = {
			button: ['In the {T} {W}, click {B}',
			    'Open the {T} {W} and press {B}',
			    'Switch to {T} and hit {B}',
			    'Go to the {T} {W}, then click {B}',
			    'Under {T}, click the {B} button',
			    'Click {B} in the {T} {W}',
			    'Expand {T} and press {B}'],
			field: ['In {T}, set {L} to {V} and click {S}',
			    'Open the {T} {W}, enter {V} as {L}, then {S}',
			    'Switch to {T}, type {V} in {L} and save',
			    'Go to {T} and change the {L} to {V}, then {S}',
			    'Under the {T} {W}, fill {L} with {V} and press {S}',
			    'Set {L} to {V} in the {T} {W} and click {S}',
			    'Update {L} ({T} {W}) to {V}, then hit {S}'],
			check: ['{CH} {C} in the {T} {W} and click {S}',
			    'Open {T} and turn {ON} {C}, then {S}',
			    'In the {T} {W}, {CH} {C} and save',
			    'Go to {T}: {CH} {C}. Then press {S}',
			    'Switch {C} {ON} under {T} and click {S}',
			    'Expand the {T} {W}, {CH} {C}, then {S}',
			    'Under {T}, set {C} to {ON} and save it']
		};
		if (kind === 'button') {
			t.goals = [G.gClick(btn, function () {
				return clickedAny(btn);
			}, 'button')];
			t.done = t.goals[0].sat;
		} else if (kind === 'field') {
			t.goals = [G.gType(fld, fieldVal), G.gClick(sub,
			    function () {
				return saved !== null && saved.v === fieldVal;
			}, 'save')];
			t.done = t.goals[1].sat;
		} else {
			t.goals = [G.gCheck(chk, wantOn), G.gClick(sub,
			    function () {
				return saved !== null && saved.c === wantOn;
			}, 'save')];
			t.done = t.goals[1].sat;
		}
		return t;
	});

	/* ---------------------------------------------------------------- */
	/* dialog: cookie consent, popups, confirmations.                   */

	G.def('dialog', 'train', function (G) {
		var R = G.R, t = {}, kind, main = [], consent = null, ov, dlg;
		var acc, rej, man, prefs, tgl = {}, save, items, del = {};
		var tgt, pending = null, cov, cdlg, yes, no, x, deleted = {};
		var okd = false, saveBtn, toast = null, saved = false;

		kind = R.weighted([[2, 'cookies'], [2, 'dismiss'],
		    [2, 'confirm'], [1, 'notice']]);
		main.push(h('p', G.filler(R.range(2, 5)).textContent));
		main.push(G.distractors(R.range(2, 6)));
		if (kind === 'cookies') {
			acc = G.button(R.pick(['Accept all', 'Accept cookies',
			    'Allow all', 'I agree']), function () {
				consent = 'all';
				ov.remove();
			});
			rej = G.button(R.pick(['Reject all', 'Decline',
			    'Only necessary', 'Reject non-essential']),
			    function () {
				consent = 'none';
				ov.remove();
			}, { sec: true });
			man = G.button(R.pick(['Manage preferences',
			    'Customize', 'Cookie settings', 'Options']),
			    function () {
				prefs.classList.remove('hidden');
			}, { sec: true, link: R.chance(0.4) });
			prefs = h('div.hidden');
			['Analytics', 'Marketing', 'Personalization'].forEach(
			    function (n) {
				tgl[n] = G.checkbox(n + R.pick([' cookies',
				    '']), { 'switch': R.chance(0.5),
				    checked: true });
				prefs.appendChild(tgl[n].wrap);
			});
			save = G.button(R.pick(['Save preferences',
			    'Confirm choices', 'Save settings']), function () {
				consent = 'custom:' + Object.keys(tgl).filter(
				    function (n) {
					return tgl[n].get();
				}).join(',');
				ov.remove();
			});
			prefs.appendChild(save);
			G.revealer(prefs, function () {
				return G.click(man, 'manage');
			});
			dlg = h(R.chance(0.5) ? 'div.dialog' : 'div.dialog',
			    { role: 'dialog', 'aria-label': 'Cookie consent' },
			    [h('h3', R.pick(['We value your privacy',
			    'Cookies', 'Your privacy choices'])), h('p',
			    'We use cookies to analyse traffic and show ' +
			    'ads.'), acc, rej, man, prefs]);
			ov = h('div.overlay', dlg);
			if (R.chance(0.4)) {
				ov.className = 'banner';
				ov.style.top = 'auto';
				dlg.className = '';
			}
			G.blockers.push({ el: ov, isOpen: function () {
				return ov.isConnected && ov.className ===
				    'overlay';
			}, dismiss: function () {
				return G.click(rej, 'reject');
			} });
			main.push(ov);
			var mk = R.pick(['all', 'none', 'nomarketing']);
			t.kind = 'cookies';
			t.fill = { X: R.pick(['Marketing', 'marketing']) };
			t.templates = ['Accept all cookies', 'Reject the cookies',
			    'Allow cookies', 'Decline tracking cookies',
			    'Turn off {X} cookies and save your choice',
			    'Agree to the cookie banner',
			    'Only allow necessary cookies',
			    'Say yes to all cookies',
			    'Open the cookie settings, disable {X} and save',
			    'Refuse all optional cookies',
			    'Click accept on the cookie notice',
			    'Keep analytics but switch off {X} cookies',
			    'Consent to cookies', 'Deny the cookies',
			    'OK the cookie banner',
			    'Go into cookie preferences and turn {X} off, then ' +
			    'save', 'Block non-essential cookies',
			    'Let the site use cookies'];
			/* The template decides the goal. */
			t.pickGoal = function (tpl) {
				mk = /off|disable|analytics but/i.test(tpl) ?
				    'nomarketing' : /reject|decline|only|refuse/i
				    .test(tpl) ? 'none' : 'all';
				if (mk === 'all')
					t.goals = [G.gClick(acc, function () {
						return consent === 'all';
					}, 'accept')];
				else if (mk === 'none')
					t.goals = [G.gClick(rej, function () {
						return consent === 'none';
					}, 'reject')];
				else
					t.goals = [G.goal(function () {
						return consent !== null ||
						    !tgl.Marketing.get();
					}, function () {
						return G.click(tgl.Marketing.el,
						    'marketing off');
					}), G.goal(function () {
						return consent ===
						    'custom:Analytics,' +
						    'Personalization';
					}, function () {
						if (consent !== null)
							return { op: 'error',
							    why: 'consent given' };
						return G.click(save, 'save');
					})];
				t.done = function () {
					return mk === 'all' ? consent === 'all' :
					    mk === 'none' ? consent === 'none' :
					    consent === 'custom:Analytics,' +
					    'Personalization';
				};
			};
		} else if (kind === 'dismiss') {
			items = main[1].children;
			tgt = R.pick(Array.prototype.slice.call(items));
			main.push(G.popup(G, R));
			t.kind = 'dismiss';
			t.fill = { T: tgt.__label };
			t.templates = ['Close the popup and click {T}',
			    'Dismiss the dialog, then press {T}',
			    'Get rid of the popup and hit {T}', 'Click {T}',
			    'Close the newsletter box and click {T}',
			    'Press {T} (close any popup first)',
			    'Skip the offer, then click {T}',
			    'Dismiss the modal and select {T}',
			    'Ignore the popup and press {T}',
			    'Get past the newsletter offer and click {T}',
			    'Close the overlay, then {T}',
			    'Say no to the popup, then hit {T}'];
			t.goals = [G.gClick(tgt, function () {
				return clickedAny(tgt);
			}, 'target')];
			t.done = t.goals[0].sat;
		} else if (kind === 'confirm') {
			items = R.sample(P.product.map(function (p) {
				return p[0];
			}).concat(P.topic.map(function (s) {
				return s[0].toUpperCase() + s.slice(1) + ' ' +
				    R.pick(P.noun);
			})), R.range(3, 7));
			var list = h('div.list');
			items.forEach(function (n) {
				var b = G.button(R.pick(['Delete', 'Remove']),
				    function () {
					pending = n;
					cdlg.querySelector('p').textContent =
					    'Delete "' + n + '"? This cannot ' +
					    'be undone.';
					document.body.appendChild(cov);
				}, { icon: 'del', sec: true });

				del[n] = b;
				list.appendChild(h('div', { style: 'display:' +
				    'flex;justify-content:space-between;' +
				    'align-items:center' }, [h('span', n), b]));
			});
			yes = G.button(R.pick(['Delete', 'Yes, delete', 'OK',
			    'Confirm']), function () {
				deleted[pending] = true;
				del[pending].parentNode.remove();
				cov.remove();
			});
			no = G.button(R.pick(['Cancel', 'No', 'Keep it']),
			    function () {
				cov.remove();
			}, { sec: true });
			x = G.button('Close', function () {
				cov.remove();
			}, { icon: 'close', sec: true });
			cdlg = h('div.dialog', { role: R.chance(0.6) ?
			    'alertdialog' : 'dialog' }, [h('div', { style:
			    'position:absolute;right:8px;top:8px' }, x),
			    h('h3', 'Are you sure?'), h('p', ''), yes, no]);
			cov = h('div.overlay', cdlg);
			G.blockers.push({ el: cov, isOpen: function () {
				return cov.isConnected;
			}, dismiss: function () {
				var a = G.click(no, 'cancel');

				a.alts = [x];
				return a;
			} });
			tgt = R.pick(items);
			main.push(h('h3', R.pick(['Your items', 'Saved',
			    'Drafts', 'Files'])), list);
			t.kind = 'confirm';
			t.fill = { X: tgt };
			t.templates = ['Delete {X} and confirm',
			    'Remove {X}; confirm when asked',
			    'Delete the {X} item', 'Get rid of {X}',
			    'Remove {X} from the list',
			    'Delete {X}, and say yes to the confirmation',
			    'Permanently delete {X}',
			    'Trash {X} and confirm the dialog',
			    'Erase {X}', 'Discard {X}, yes I am sure',
			    'Throw away {X}', 'Delete {X} (answer yes)',
			    'Remove the entry {X} for good',
			    'Drop {X} from the list and confirm',
			    'Clear out {X}', 'Wipe {X}'];
			t.goals = [G.goal(function () {
				return deleted[tgt] === true;
			}, function () {
				if (cov.isConnected && pending === tgt)
					return G.click(yes, 'confirm');
				return G.click(del[tgt], 'delete');
			})];
			t.done = t.goals[0].sat;
		} else {
			/* A notice that must be acknowledged after saving. */
			saveBtn = G.button(R.pick(['Save', 'Save settings',
			    'Publish', 'Submit']), function () {
				saved = true;
				document.body.appendChild(toast);
			});
			var ok = G.button(R.pick(['OK', 'Got it', 'Close',
			    'Continue']), function () {
				okd = true;
				toast.remove();
			});
			toast = h('div.overlay', h('div.dialog', { role:
			    'dialog' }, [h('p', R.pick(['Your settings were ' +
			    'saved.', 'Published!', 'Thanks, we got it.'])),
			    ok]));
			G.blockers.push({ el: toast, isOpen: function () {
				return toast.isConnected;
			}, dismiss: function () {
				return G.click(ok, 'ok');
			} });
			main.push(saveBtn);
			t.kind = 'notice';
			t.fill = { S: saveBtn.__label, O: ok.__label };
			t.templates = ['Click {S} and close the confirmation',
			    'Press {S}, then acknowledge the message',
			    '{S} and click {O} on the popup',
			    'Hit {S}; when the dialog appears, press {O}',
			    'Click {S}, then dismiss the notice'];
			t.goals = [G.gClick(saveBtn, function () {
				return saved;
			}, 'save'), G.goal(function () {
				return okd;
			}, function () {
				return G.click(ok, 'ok');
			})];
			t.done = function () {
				return saved && okd;
			};
		}
		G.mount(main, null, {});
		return t;
	});

	/* ---------------------------------------------------------------- */
	/* date: typed dates in the field's format, a calendar, times.      */

	function pad(n) {
		return n < 10 ? '0' + n : String(n);
	}

	function fmtDate(f, y, m, d) {
		switch (f) {
		case 'us':
			return pad(m + 1) + '/' + pad(d) + '/' + y;
		case 'iso':
			return y + '-' + pad(m + 1) + '-' + pad(d);
		case 'eu':
			return pad(d) + '.' + pad(m + 1) + '.' + y;
		default:
			return pad(d) + '/' + pad(m + 1) + '/' + y;
		}
	}
	G.fmtDate = fmtDate;

	function daysIn(y, m) {
		return new Date(Date.UTC(y, m + 1, 0)).getUTCDate();
	}

	function ordDay(d) {
		return d + (d % 10 === 1 && d !== 11 ? 'st' : d % 10 === 2 &&
		    d !== 12 ? 'nd' : d % 10 === 3 && d !== 13 ? 'rd' : 'th');
	}

	/*
	 * A calendar widget opened from a read-only field: {wrap, field,
	 * get() -> [y, m, d] or null, goal(y, m, d)}.
	 */
	function calendar(G, R, label, y0, m0) {
		var fmt = R.pick(['us', 'iso', 'eu', 'uk']), inp, open, cal;
		var cy = y0, cm = m0, sel = null, head, grid, prev, next, days;
		var wrap, lab;

		inp = h('input', { type: 'text', readonly: true,
		    placeholder: R.pick(['Select a date', fmt === 'iso' ?
		    'YYYY-MM-DD' : fmt === 'us' ? 'MM/DD/YYYY' :
		    'DD/MM/YYYY']), id: G.uid('d') });
		open = G.button(R.pick(['Choose date', 'Open calendar',
		    'Pick a date']), function () {
			toggle();
		}, { icon: 'down', sec: true });
		inp.addEventListener('click', function () {
			toggle(true);
		});
		prev = G.button('Previous month', function () {
			cm--;
			if (cm < 0) {
				cm = 11;
				cy--;
			}
			draw();
		}, { icon: 'prev', sec: true });
		next = G.button('Next month', function () {
			cm++;
			if (cm > 11) {
				cm = 0;
				cy++;
			}
			draw();
		}, { icon: 'next', sec: true });
		head = h('strong', { style: 'margin:0 10px' });
		grid = h('table');
		cal = h('div.cal.hidden', { role: R.chance(0.5) ? 'dialog' :
		    null }, [h('div', [prev, head, next]), grid]);
		days = [];
		function toggle(force) {
			var show = force === true ? true :
			    cal.classList.contains('hidden');

			cal.classList.toggle('hidden', !show);
		}
		function draw() {
			var first = new Date(Date.UTC(cy, cm, 1)).getUTCDay();
			var n = daysIn(cy, cm), d, tr, k, ariaFull;

			head.textContent = P.month[cm] + ' ' + cy;
			grid.textContent = '';
			days = [];
			tr = h('tr');
			['Su', 'Mo', 'Tu', 'We', 'Th', 'Fr', 'Sa'].forEach(
			    function (w) {
				tr.appendChild(h('th', w));
			});
			grid.appendChild(tr);
			tr = h('tr');
			for (k = 0; k < first; k++)
				tr.appendChild(h('td'));
			ariaFull = G.calAria;
			for (d = 1; d <= n; d++) {
				(function (d) {
					var b = G.button(String(d), function () {
						sel = [cy, cm, d];
						inp.value = fmtDate(fmt, cy, cm, d);
						cal.classList.add('hidden');
					}, { sec: true, aria: ariaFull ?
					    P.month[cm] + ' ' + d + ', ' + cy :
					    null });

					b.style.margin = '0';
					days[d] = b;
					tr.appendChild(h('td', b));
				})(d);
				if ((first + d) % 7 === 0) {
					grid.appendChild(tr);
					tr = h('tr');
				}
			}
			grid.appendChild(tr);
		}
		G.calAria = R.chance(0.4);
		draw();
		G.revealer(cal, function () {
			return G.click(R.chance(0.5) ? inp : open, 'open ' +
			    'the calendar');
		});
		lab = h('label', { 'for': inp.id }, label);
		wrap = h('div.fld', [lab, ' ', h('span', { style:
		    'position:relative;display:inline-block' }, [inp, open,
		    cal])]);
		return {
			wrap: wrap, field: inp,
			get: function () {
				return sel;
			},
			goal: function (y, m, d) {
				return G.goal(function () {
					return sel !== null && sel[0] === y &&
					    sel[1] === m && sel[2] === d;
				}, function () {
					var a;

					if (cal.classList.contains('hidden'))
						return G.click(inp, 'open ' +
						    'the calendar');
					if (cy * 12 + cm < y * 12 + m)
						return G.click(next, 'next month');
					if (cy * 12 + cm > y * 12 + m)
						return G.click(prev, 'prev month');
					a = G.click(days[d], 'day ' + d);
					return a;
				});
			}
		};
	}
	G.calendar = calendar;

	G.def('date', 'train', function (G) {
		var R = G.R, t = {}, kind, y, m, d, ty, tm, td, fmt, f, cal;
		var sub, booked = null, time, times, tsel, label, when, i;

		y = R.range(2024, 2026);
		m = R.int(12);
		d = R.range(1, 28);
		ty = y;
		tm = m + R.range(-2, 4);
		if (tm < 0) {
			tm += 12;
			ty--;
		} else if (tm > 11) {
			tm -= 12;
			ty++;
		}
		td = R.range(1, daysIn(ty, tm));
		kind = R.weighted([[2, 'typed'], [2, 'calendar'],
		    [1.5, 'time']]);
		label = R.pick(['Date', 'Start date', 'Check-in',
		    'Due date', 'Appointment date', 'Delivery date',
		    'Event date', 'Departure']);
		fmt = R.pick(['us', 'iso', 'eu', 'uk']);
		times = [];
		for (i = 8; i <= 18; i++) {
			times.push((i > 12 ? i - 12 : i) + ':00 ' +
			    (i >= 12 ? 'PM' : 'AM'));
			times.push((i > 12 ? i - 12 : i) + ':30 ' +
			    (i >= 12 ? 'PM' : 'AM'));
		}
		time = R.pick(times);
		if (kind === 'typed') {
			f = G.field(label, { ph: fmt === 'iso' ? 'YYYY-MM-DD' :
			    fmt === 'us' ? 'MM/DD/YYYY' : fmt === 'eu' ?
			    'DD.MM.YYYY' : 'DD/MM/YYYY', style: R.pick(['for',
			    'above', 'left', 'wrap']) });
			f.el.placeholder = f.el.placeholder || (fmt === 'iso' ?
			    'YYYY-MM-DD' : fmt === 'us' ? 'MM/DD/YYYY' :
			    fmt === 'eu' ? 'DD.MM.YYYY' : 'DD/MM/YYYY');
			when = fmtDate(fmt, ty, tm, td);
		} else if (kind === 'calendar') {
			cal = calendar(G, R, label, y, m);
			when = R.pick([P.month[tm] + ' ' + td + ', ' + ty,
			    td + ' ' + P.month[tm] + ' ' + ty, 'the ' +
			    ordDay(td) + ' of ' + P.month[tm] + ' ' + ty,
			    P.monthShort[tm] + ' ' + td + ' ' + ty]);
		}
		tsel = G.select(R.pick(['Time', 'Start time', 'Slot',
		    'Arrival time']), times, { prompt: R.chance(0.6) ?
		    'Choose a time' : undefined });
		sub = G.button(R.pick(['Book', 'Save', 'Confirm', 'Schedule',
		    'Continue', 'Submit']), function () {
			booked = { d: kind === 'typed' ? f.get() : kind ===
			    'calendar' ? (cal.get() || []).join('-') : '',
			    t: tsel.get() };
		});
		G.mount([h('div.card', [h('h2', R.pick(['Book an ' +
		    'appointment', 'Schedule', 'Plan your visit',
		    'Reservation', 'New event'])), kind === 'typed' ? f.wrap :
		    kind === 'calendar' ? cal.wrap : null, kind !== 'time' &&
		    R.chance(0.5) ? null : tsel.wrap, kind === 'time' ?
		    null : null, sub]), G.maybeCookieBar()], null, {});
		var withTime = kind === 'time' || tsel.wrap.isConnected;
		t.kind = kind;
		t.fill = {
			L: G.lc(label), D: { text: when, value: kind === 'typed' },
			T: { text: time, value: true, quote: 0.3 }, S: sub.__label,
			AT: withTime && kind !== 'time' ? { text: ' at ' + time,
			    quote: 0 } : { text: '', quote: 0 }
		};
		t.templates = {
			typed: ['Set the {L} to {D}{AT} and click {S}',
			    'Enter {D} as the {L}{AT}, then {S}',
			    'Type {D} into {L}{AT} and press {S}',
			    'My {L} is {D}{AT}; submit with {S}',
			    'Schedule it for {D}{AT} and click {S}',
			    'Fill the {L} field with {D}{AT}, then hit {S}',
			    'Use {D} for the {L}{AT} and {S}',
			    'Put {D} in the {L}{AT} and hit {S}',
			    'The {L} should be {D}{AT}; then {S}',
			    'Key in {D} for {L}{AT} and press {S}'],
			calendar: ['Pick {D} in the calendar{AT} and click {S}',
			    'Choose {D} as the {L}{AT}, then {S}',
			    'Select {D}{AT} and press {S}',
			    'Set the {L} to {D}{AT} using the date picker, ' +
			    'then {S}', 'Book it for {D}{AT}, click {S}',
			    'Open the calendar, go to {D}{AT} and hit {S}',
			    'I want {D} as my {L}{AT}. Then {S}',
			    'Use the calendar to choose {D}{AT}, then {S}',
			    'Go to {D} in the date picker{AT} and press {S}',
			    'Make the {L} {D}{AT} and click {S}'],
			time: ['Choose {T} as the time and click {S}',
			    'Set the time to {T}, then {S}',
			    'Pick the {T} slot and press {S}',
			    'Book {T} and click {S}',
			    'Select {T} from the time list and {S}',
			    'Schedule it at {T}, then hit {S}']
		};
		t.goals = [];
		if (kind === 'typed')
			t.goals.push(G.gType(f, when));
		else if (kind === 'calendar')
			t.goals.push(cal.goal(ty, tm, td));
		if (withTime)
			t.goals.push(G.gSelect(tsel, time));
		function ok() {
			return booked !== null && (kind === 'time' ||
			    booked.d === (kind === 'typed' ? when :
			    [ty, tm, td].join('-'))) && (!withTime ||
			    booked.t === time);
		}
		t.goals.push(G.gClick(sub, ok, 'submit'));
		t.done = ok;
		return t;
	});

	/* ---------------------------------------------------------------- */
	/* select: native selects, custom dropdowns, autocomplete, lists.   */

	var OPTION_SETS = {
		Country: ['United States', 'Canada', 'Mexico', 'Brazil',
		    'United Kingdom', 'France', 'Germany', 'Spain', 'Italy',
		    'Japan', 'India', 'Australia', 'Kenya', 'Norway'],
		Color: P.color,
		Size: ['Small', 'Medium', 'Large', 'Extra Large', 'XS', 'XXL'],
		Language: ['English', 'Spanish', 'French', 'German',
		    'Portuguese', 'Japanese', 'Chinese', 'Arabic', 'Hindi'],
		Category: ['Books', 'Electronics', 'Clothing', 'Garden',
		    'Toys', 'Sports', 'Beauty', 'Automotive', 'Music'],
		State: ['California', 'Texas', 'New York', 'Florida',
		    'Illinois', 'Ohio', 'Georgia', 'Washington', 'Oregon',
		    'Nevada', 'Arizona', 'Colorado'],
		'Sort by': ['Relevance', 'Price: low to high',
		    'Price: high to low', 'Newest', 'Best rating',
		    'Most popular'],
		Currency: ['US Dollar', 'Euro', 'British Pound',
		    'Japanese Yen', 'Swiss Franc', 'Canadian Dollar'],
		'Time zone': ['Pacific Time', 'Mountain Time',
		    'Central Time', 'Eastern Time', 'Greenwich Mean Time',
		    'Central European Time'],
		Department: ['Sales', 'Marketing', 'Engineering',
		    'Finance', 'Support', 'Legal', 'Operations']
	};
	var PLACES = ['San Francisco, CA', 'San Diego, CA', 'San Jose, CA',
	    'Santa Fe, NM', 'New York, NY', 'Newark, NJ', 'New Orleans, LA',
	    'Boston, MA', 'Boulder, CO', 'Portland, OR', 'Portland, ME',
	    'Austin, TX', 'Atlanta, GA', 'Denver, CO', 'Dallas, TX',
	    'Detroit, MI', 'Chicago, IL', 'Charlotte, NC', 'Seattle, WA',
	    'Salt Lake City, UT', 'Miami, FL', 'Memphis, TN',
	    'Minneapolis, MN', 'Phoenix, AZ', 'Philadelphia, PA',
	    'Pittsburgh, PA', 'London, UK', 'Lisbon, Portugal',
	    'Paris, France', 'Prague, Czechia', 'Berlin, Germany',
	    'Bern, Switzerland', 'Madrid, Spain', 'Milan, Italy',
	    'Munich, Germany', 'Tokyo, Japan', 'Toronto, Canada'];

	/*
	 * An autocomplete text field: suggestions appear as one types.
	 * {wrap, el, get() (chosen entry), goal(full entry, typed text)}.
	 */
	function autocomplete(G, R, label, entries) {
		var f, list, chosen = '', cur = [];

		f = G.field(label, { style: R.pick(['for', 'above',
		    'placeholder', 'aria']) });
		f.el.setAttribute('autocomplete', 'off');
		if (R.chance(0.6))
			f.el.setAttribute('role', 'combobox');
		list = h('div.opts.hidden', { role: R.chance(0.6) ? 'listbox' :
		    null });
		f.el.addEventListener('input', function () {
			var q = f.el.value.trim().toLowerCase();

			chosen = '';
			list.textContent = '';
			cur = [];
			if (q.length < 1) {
				list.classList.add('hidden');
				return;
			}
			entries.filter(function (e) {
				return e.toLowerCase().indexOf(q) >= 0;
			}).slice(0, 6).forEach(function (e) {
				var it = G.button(e, function () {
					chosen = e;
					f.el.value = e;
					list.classList.add('hidden');
				}, { impl: R.chance(0.5) ? 'listener' : 'role' });

				if (list.getAttribute('role'))
					it.setAttribute('role', 'option');
				it.className = '';
				it.style.display = 'block';
				cur.push(it);
				list.appendChild(it);
			});
			list.classList.toggle('hidden', cur.length === 0);
		});
		G.menus.push({ list: list, trig: null });
		f.wrap.style.position = 'relative';
		f.wrap.appendChild(list);
		return {
			wrap: f.wrap, el: f.el, label: label,
			get: function () {
				return chosen;
			},
			goal: function (entry, typed) {
				return G.goal(function () {
					return chosen === entry;
				}, function () {
					var i;

					if (!list.classList.contains('hidden'))
						for (i = 0; i < cur.length; i++)
							if (cur[i].__label === entry)
								return G.click(cur[i],
								    'suggestion');
					return G.type(f.el, typed, 'type ' +
					    'to search');
				});
			}
		};
	}
	G.autocomplete = autocomplete;
	G.PLACES = PLACES;

	G.def('select', 'train', function (G) {
		var R = G.R, t = {}, kind, label, opts, w, v, sub, saved = null;
		var others = [], ac, typed, lb, lbItems = [], lbSel = '';

		kind = R.weighted([[3, 'native'], [2, 'custom'],
		    [2, 'auto'], [1, 'listbox']]);
		label = R.pick(Object.keys(OPTION_SETS));
		opts = R.sample(OPTION_SETS[label], R.range(4,
		    OPTION_SETS[label].length));
		v = R.pick(opts);
		var main = [];
		if (kind === 'native' || kind === 'custom') {
			w = kind === 'native' ? G.select(label, opts, {
				prompt: R.chance(0.5) ? 'Select ' +
				    label.toLowerCase() : undefined,
				value: R.chance(0.4) ? R.pick(opts) : undefined
			}) : G.dropdown(label, opts, { value: R.chance(0.3) ?
			    R.pick(opts) : undefined });
			if (w.get() === v)
				v = opts[(opts.indexOf(v) + 1) % opts.length];
			main.push(w.wrap);
			/* Other selects as distractors. */
			R.sample(Object.keys(OPTION_SETS).filter(function (k) {
				return k !== label;
			}), R.range(0, 2)).forEach(function (k) {
				var o = R.sample(OPTION_SETS[k], 5);

				others.push(R.chance(0.5) ? G.select(k, o) :
				    G.dropdown(k, o));
				main.push(others[others.length - 1].wrap);
			});
		} else if (kind === 'auto') {
			label = R.pick(['City', 'Destination', 'From', 'To',
			    'Location', 'Where to?']);
			ac = autocomplete(G, R, label, PLACES);
			w = ac;
			v = R.pick(PLACES);
			typed = R.chance(0.7) ? v.split(',')[0] : v;
			main.push(ac.wrap);
		} else {
			lb = h('div', { role: G.impl === 'listener' ? null :
			    'listbox', 'aria-label': label, style: 'border:1px ' +
			    'solid #999;max-width:260px' });
			opts.forEach(function (o) {
				var it = G.button(o, function () {
					lbSel = o;
					lbItems.forEach(function (x) {
						x.setAttribute('aria-selected',
						    x === it ? 'true' : 'false');
						x.style.fontWeight = x === it ?
						    'bold' : 'normal';
					});
				}, { impl: G.impl === 'listener' ? 'listener' :
				    'role' });
				if (lb.getAttribute('role'))
					it.setAttribute('role', 'option');
				it.className = '';
				it.style.display = 'block';
				it.style.padding = '4px 8px';
				lbItems.push(it);
				lb.appendChild(it);
			});
			w = { get: function () {
				return lbSel;
			} };
			main.push(h('div.fld', [h('div.lab', label), lb]));
		}
		sub = G.button(R.pick(['Save', 'Apply', 'Continue', 'Update',
		    'Submit', 'Done']), function () {
			saved = w.get();
		});
		if (R.chance(0.5))
			main.push(G.field(R.pick(['Name', 'Email', 'Notes']),
			    {}).wrap);
		main.push(sub);
		G.mount([h('div.card', [h('h2', R.pick(['Preferences',
		    'Filters', 'Your profile', 'Options', 'Shipping']))]
		    .concat(main)), G.maybeCookieBar()], null, {});
		var needSave = R.chance(0.5);
		t.kind = kind === 'auto' ? 'auto' : 'pick';
		t.fill = {
			L: G.lc(label), O: { text: kind === 'auto' ? typed : v,
			    value: kind === 'auto', quote: kind === 'auto' ?
			    0.5 : 0.25 },
			S: needSave ? { text: R.pick([' and click ', ', then ',
			    ' and press ']) + sub.__label, quote: 0 } :
			    { text: '', quote: 0 }
		};
		t.templates = {
			pick: ['Choose {O} from the {L} dropdown{S}',
			    'Set {L} to {O}{S}', 'Select {O} as your {L}{S}',
			    'Pick {O} for {L}{S}', '{L}: {O}{S}',
			    'Change the {L} to {O}{S}',
			    'In the {L} list, select {O}{S}',
			    'Make {O} the {L}{S}', 'Use {O} for {L}{S}',
			    'Switch {L} to {O}{S}', 'Select {L} {O}{S}',
			    'I prefer {O} as the {L}{S}'],
			auto: ['Set the {L} to {O}{S}',
			    'Type {O} into {L} and choose it from the ' +
			    'suggestions{S}', 'Enter {O} as the {L}{S}',
			    '{L}: {O}, pick the suggestion{S}',
			    'Search for {O} in the {L} box and select it{S}',
			    'Choose {O} for {L}{S}',
			    'Fill in {L} with {O} and pick the match{S}',
			    'Select {O} in the {L} field{S}']
		};
		if (kind === 'auto')
			t.goals = [ac.goal(v, typed)];
		else if (kind === 'listbox')
			t.goals = [G.goal(function () {
				return lbSel === v;
			}, function () {
				return G.click(lbItems[opts.indexOf(v)], 'option');
			})];
		else
			t.goals = [G.gSelect(w, v)];
		var want = kind === 'auto' ? v : v;
		if (needSave)
			t.goals.push(G.gClick(sub, function () {
				return saved === want;
			}, 'save'));
		t.done = needSave ? function () {
			return saved === want;
		} : t.goals[0].sat;
		return t;
	});

	/* ---------------------------------------------------------------- */
	/* checks: checkboxes, radios, toggles.                             */

	var CHECK_SETS = {
		Toppings: ['Cheese', 'Mushrooms', 'Onions', 'Olives',
		    'Peppers', 'Pineapple', 'Bacon', 'Tomatoes', 'Spinach'],
		Interests: ['Sports', 'Music', 'Travel', 'Cooking',
		    'Technology', 'Art', 'Movies', 'Gaming', 'Fashion'],
		Notifications: ['Email updates', 'SMS alerts',
		    'Push notifications', 'Weekly newsletter',
		    'Product news', 'Security alerts'],
		Amenities: ['Free WiFi', 'Parking', 'Pool', 'Breakfast',
		    'Gym', 'Pet friendly', 'Air conditioning'],
		Features: ['Dark mode', 'Auto save', 'Spell check',
		    'Line numbers', 'Word wrap', 'Sync across devices']
	};
	var RADIO_SETS = {
		'Shipping method': ['Standard', 'Express', 'Overnight',
		    'Store pickup'],
		Plan: ['Free', 'Basic', 'Pro', 'Enterprise'],
		Payment: ['Credit card', 'PayPal', 'Bank transfer',
		    'Cash on delivery'],
		Size: ['Small', 'Medium', 'Large'],
		Frequency: ['Daily', 'Weekly', 'Monthly', 'Never'],
		'Seat type': ['Window', 'Aisle', 'Middle']
	};

	G.def('checks', 'heldout', function (G) {
		var R = G.R, t = {}, kind, grp, names, boxes = [], want = {};
		var sub, saved = null, main = [], rg, rname, sw, on, named;

		kind = R.weighted([[3, 'subset'], [2, 'radio'],
		    [2, 'toggle'], [1, 'only']]);
		var needSave = R.chance(0.55);
		sub = G.button(R.pick(['Save', 'Apply', 'Submit', 'Continue',
		    'Update preferences', 'Done']), function () {
			saved = boxes.map(function (b) {
				return b.get();
			});
		});
		if (kind === 'radio') {
			grp = R.pick(Object.keys(RADIO_SETS));
			names = RADIO_SETS[grp];
			rname = G.uid('r');
			var init = R.int(names.length + 1);
			names.forEach(function (n, j) {
				var b = G.checkbox(n, { radio: true, name: rname,
				    checked: j === init });

				boxes.push(b);
			});
			main.push(h('fieldset', { role: R.chance(0.5) ?
			    'radiogroup' : null }, [h('legend', grp)].concat(
			    boxes.map(function (b) {
				return b.wrap;
			}))));
			rg = R.int(names.length);
			if (boxes[rg].get())
				rg = (rg + 1) % names.length;
			want[rg] = true;
			named = [rg];
		} else {
			grp = R.pick(Object.keys(CHECK_SETS));
			names = R.sample(CHECK_SETS[grp], R.range(4, 7));
			sw = kind === 'toggle';
			names.forEach(function (n) {
				boxes.push(G.checkbox(n, { 'switch': sw ||
				    R.chance(0.1), checked: R.chance(0.4) }));
			});
			main.push(h('fieldset', [h('legend', grp)].concat(
			    boxes.map(function (b) {
				return b.wrap;
			}))));
			named = R.sample(names.map(function (n, j) {
				return j;
			}), kind === 'toggle' ? R.range(1, 2) : R.range(1, 3));
			named.forEach(function (j) {
				/* Now and then a box already in the state asked. */
				want[j] = kind === 'only' ? true :
				    R.chance(0.8) ? !boxes[j].get() :
				    boxes[j].get();
			});
			/* Not all of them: the task must not be done already. */
			if (kind !== 'only' && named.every(function (j) {
				return want[j] === boxes[j].get();
			}))
				want[named[0]] = !boxes[named[0]].get();
			if (kind === 'only')
				names.forEach(function (n, j) {
					if (named.indexOf(j) < 0)
						want[j] = false;
				});
		}
		main.push(sub);
		G.mount([h('div.card', [h('h2', R.pick(['Preferences',
		    'Order options', 'Settings', 'Customize']))].concat(
		    main)), R.chance(0.4) ? G.distractors(R.range(1, 3),
		    [sub.__label]) : null, G.maybeCookieBar()], null, {});

		/* Words for the wanted states. */
		function phrase(j) {
			on = want[j];
			if (kind === 'toggle')
				return (on ? R.pick(['turn on ', 'enable ',
				    'switch on ']) : R.pick(['turn off ',
				    'disable ', 'switch off '])) + G.lc(names[j]);
			return (on ? R.pick(['check ', 'tick ', 'select ']) :
			    R.pick(['uncheck ', 'untick ', 'deselect ',
			    'clear '])) + names[j];
		}
		var acts = named.map(phrase);
		t.kind = kind === 'only' ? 'only' : kind === 'radio' ? 'radio' :
		    'set';
		t.fill = {
			ACTS: { text: G.joinAnd(acts, R), quote: 0 },
			LIST: { text: G.joinAnd(named.map(function (j) {
				return names[j];
			}), R), quote: 0 },
			R: kind === 'radio' ? names[rg] : '', GR: G.lc(grp),
			S: needSave ? { text: R.pick([' and click ', ', then ',
			    ' and press ', '. Then ']) + sub.__label,
			    quote: 0 } : { text: '', quote: 0 }
		};
		t.templates = {
			set: ['{ACTS}{S}', 'Please {ACTS}{S}',
			    'In {GR}, {ACTS}{S}', 'Go ahead and {ACTS}{S}',
			    'I want you to {ACTS}{S}',
			    'Make sure to {ACTS}{S}',
			    'Update {GR}: {ACTS}{S}', 'Could you {ACTS}{S}?'],
			only: ['I only want {LIST}{S}',
			    'Select just {LIST} and nothing else{S}',
			    'Only {LIST} should be checked{S}',
			    'Leave only {LIST} selected{S}',
			    'Choose exactly {LIST}{S}'],
			radio: ['Choose {R} for {GR}{S}', 'Select {R}{S}',
			    'Pick the {R} option{S}', 'Set {GR} to {R}{S}',
			    'I\'d like {R} as the {GR}{S}',
			    'Go with {R}{S}', 'Use {R} {GR}{S}']
		};
		t.goals = [Object.keys(want).map(function (j) {
			return G.gCheck(boxes[j], want[j]);
		})];
		function statesOk(st) {
			return Object.keys(want).every(function (j) {
				return st[j] === want[j];
			});
		}
		if (needSave) {
			t.goals.push(G.gClick(sub, function () {
				return saved !== null && statesOk(saved);
			}, 'save'));
			t.done = t.goals[t.goals.length - 1].sat;
		} else
			t.done = function () {
				return statesOk(boxes.map(function (b) {
					return b.get();
				}));
			};
		return t;
	});
})();
