/*
 * core.js: webnav's training-page generator, the common part.
 *
 * gen.html?family=F&seed=S[&impl=I][&split=train|heldout|any] builds a
 * random page of family F in the browser, deterministic for (F, S, I,
 * split), and exposes window.__gen:
 *
 *   family, seed, impl, split   what was asked (impl and split resolved)
 *   kind, tpl                   the task kind and phrasing template id
 *   instruction                 the task in words
 *   done()                      true once the goal state is reached
 *   oracle()                    the right next action in the CURRENT
 *                               state: {op: 'click'|'type'|'select'|
 *                               'done', el, value, alts}
 *   step()                      oracle() mapped onto the marks of the
 *                               last collect() of agent/collect.js:
 *                               {op, ref, alts: [{ref, value}], value,
 *                               dir, why}; op
 *                               'scroll' (dir 1 down, -1 up) when the
 *                               target is outside the viewport
 *   families()                  [{name, split}] every family defined
 *   restart({family, seed, split})  another page in this document
 *
 * The oracle reads the page's state (field values, open menus, dialogs,
 * the app's own records), never the history, so it answers in any
 * state, also after wrong actions (DAgger).  Everything stays in one
 * document: multi-page flows route with the URL hash.
 *
 * Families are defined by the fam-*.js files with G.def(name, split,
 * build); build(ctx) fills the page and returns {kind, templates, fill,
 * goals, done} (see G.task()).  Phrasing templates: every fifth template
 * of a list (index % 5 == 3) is held out, for validation only.
 */
(function () {
	'use strict';

	var W = window, D = document;
	var G = {};
	var FAM = {};

	/* ---------------------------------------------------------------- */
	/* Random numbers (sfc32, seeded by FNV-1a of a string).            */

	function hash32(s) {
		var h = 0x811c9dc5, i;

		for (i = 0; i < s.length; i++) {
			h ^= s.charCodeAt(i);
			h = Math.imul(h, 0x01000193) >>> 0;
		}
		return h >>> 0;
	}

	function Rng(str) {
		var a = hash32('a' + str), b = hash32('b' + str);
		var c = hash32('c' + str), d = hash32('d' + str), i;

		this.s = [a, b, c, d];
		for (i = 0; i < 12; i++)
			this.u32();
	}
	Rng.prototype.u32 = function () {
		var s = this.s, t = (s[0] + s[1] >>> 0) + s[3] >>> 0;

		s[3] = s[3] + 1 >>> 0;
		s[0] = s[1] ^ s[1] >>> 9;
		s[1] = s[2] + (s[2] << 3) >>> 0;
		s[2] = (s[2] << 21 | s[2] >>> 11) + t >>> 0;
		return t >>> 0;
	};
	Rng.prototype.f = function () {
		return this.u32() / 4294967296;
	};
	Rng.prototype.int = function (n) {
		return Math.floor(this.f() * n);
	};
	Rng.prototype.range = function (a, b) {
		return a + this.int(b - a + 1);
	};
	Rng.prototype.chance = function (p) {
		return this.f() < p;
	};
	Rng.prototype.pick = function (a) {
		return a[this.int(a.length)];
	};
	Rng.prototype.shuffle = function (a) {
		var b = a.slice(), i, j, t;

		for (i = b.length - 1; i > 0; i--) {
			j = this.int(i + 1);
			t = b[i];
			b[i] = b[j];
			b[j] = t;
		}
		return b;
	};
	Rng.prototype.sample = function (a, k) {
		return this.shuffle(a).slice(0, Math.min(k, a.length));
	};
	/* Picks from [[weight, value], ...]. */
	Rng.prototype.weighted = function (a) {
		var tot = 0, x, i;

		for (i = 0; i < a.length; i++)
			tot += a[i][0];
		x = this.f() * tot;
		for (i = 0; i < a.length; i++) {
			x -= a[i][0];
			if (x < 0)
				return a[i][1];
		}
		return a[a.length - 1][1];
	};

	/* ---------------------------------------------------------------- */
	/* Text pools.                                                      */

	var P = {
		first: ['James', 'Mary', 'Robert', 'Patricia', 'John',
		    'Jennifer', 'Michael', 'Linda', 'David', 'Elizabeth',
		    'William', 'Barbara', 'Richard', 'Susan', 'Joseph',
		    'Jessica', 'Thomas', 'Sarah', 'Carlos', 'Karen', 'Daniel',
		    'Nancy', 'Matthew', 'Lisa', 'Anthony', 'Betty', 'Mark',
		    'Sandra', 'Paul', 'Ashley', 'Steven', 'Emily', 'Andrew',
		    'Donna', 'Joshua', 'Michelle', 'Kevin', 'Carol', 'Brian',
		    'Amanda', 'Priya', 'Wei', 'Fatima', 'Omar', 'Yuki',
		    'Lars', 'Ingrid', 'Mateo', 'Sofia', 'Aisha', 'Noah',
		    'Chloe', 'Liam', 'Olivia', 'Ethan', 'Maya', 'Lucas', 'Zoe',
		    'Hugo', 'Nina', 'Felix', 'Clara', 'Oscar', 'Elena',
		    'Ravi', 'Hana', 'Ivan', 'Leila', 'Tomas', 'Greta'],
		last: ['Smith', 'Johnson', 'Williams', 'Brown', 'Jones',
		    'Garcia', 'Miller', 'Davis', 'Rodriguez', 'Martinez',
		    'Hernandez', 'Lopez', 'Wilson', 'Anderson', 'Thomas',
		    'Taylor', 'Moore', 'Jackson', 'Martin', 'Lee', 'Perez',
		    'Thompson', 'White', 'Harris', 'Clark', 'Lewis',
		    'Robinson', 'Walker', 'Young', 'Allen', 'King', 'Wright',
		    'Scott', 'Green', 'Baker', 'Adams', 'Nelson', 'Hill',
		    'Campbell', 'Mitchell', 'Patel', 'Chen', 'Nguyen', 'Kim',
		    'Singh', 'Muller', 'Rossi', 'Dubois', 'Novak', 'Larsen',
		    'Tanaka', 'Silva', 'Costa', 'Fischer', 'Weber', 'Moreau',
		    'Ivanova', 'Kowalski', 'Jensen', 'Okafor'],
		city: ['New York', 'Los Angeles', 'Chicago', 'Houston',
		    'Phoenix', 'Philadelphia', 'San Antonio', 'San Diego',
		    'Dallas', 'Austin', 'Seattle', 'Denver', 'Boston',
		    'Portland', 'Miami', 'Atlanta', 'Nashville', 'Detroit',
		    'London', 'Paris', 'Berlin', 'Madrid', 'Rome', 'Lisbon',
		    'Dublin', 'Amsterdam', 'Vienna', 'Prague', 'Warsaw',
		    'Stockholm', 'Oslo', 'Copenhagen', 'Helsinki', 'Zurich',
		    'Geneva', 'Brussels', 'Munich', 'Milan', 'Barcelona',
		    'Tokyo', 'Osaka', 'Seoul', 'Singapore', 'Sydney',
		    'Melbourne', 'Toronto', 'Vancouver', 'Montreal',
		    'Chicago', 'Mexico City', 'Buenos Aires', 'Cape Town',
		    'Glasgow', 'Edinburgh', 'Manchester', 'Lyon', 'Hamburg',
		    'Athens', 'Istanbul', 'Cairo', 'Dubai', 'Mumbai', 'Delhi',
		    'Bangkok', 'Hong Kong', 'Auckland', 'Reykjavik'],
		street: ['Main St', 'Oak Ave', 'Maple Rd', 'Cedar Ln',
		    'Pine St', 'Elm St', 'Park Ave', 'Lake Dr', 'Hill Rd',
		    'River Rd', 'Sunset Blvd', 'Market St', 'High St',
		    'Church Rd', 'Mill Ln', 'King St', 'Queen St',
		    'Station Rd', 'Bridge St', 'Garden Way'],
		domain: ['example.com', 'mail.com', 'inbox.org', 'post.net',
		    'webmail.io', 'corp.example', 'company.org'],
		company: ['Acme', 'Globex', 'Initech', 'Umbrella', 'Stark',
		    'Wayne', 'Hooli', 'Vandelay', 'Soylent', 'Cyberdyne',
		    'Tyrell', 'Wonka', 'Gringotts', 'Oceanic', 'Pied Piper',
		    'Monarch', 'Aperture', 'Massive Dynamic', 'Nakatomi',
		    'Blue Sun', 'Northwind', 'Contoso', 'Fabrikam', 'Tailspin',
		    'Litware', 'Proseware', 'Adatum', 'Woodgrove'],
		job: ['Engineer', 'Designer', 'Teacher', 'Nurse', 'Manager',
		    'Accountant', 'Developer', 'Analyst', 'Consultant',
		    'Architect', 'Chef', 'Writer', 'Photographer', 'Lawyer',
		    'Pharmacist', 'Electrician'],
		color: ['Red', 'Blue', 'Green', 'Black', 'White', 'Gray',
		    'Navy', 'Yellow', 'Orange', 'Purple', 'Pink', 'Brown',
		    'Beige', 'Teal', 'Silver', 'Gold', 'Olive', 'Maroon'],
		size: ['XS', 'S', 'M', 'L', 'XL', 'XXL'],
		sizeWord: ['Small', 'Medium', 'Large', 'Extra Large'],
		product: [
			['Running Shoes', 'Shoes', 89], ['Leather Boots',
			    'Shoes', 149], ['Canvas Sneakers', 'Shoes', 59],
			['Hiking Sandals', 'Shoes', 45], ['Wool Sweater',
			    'Clothing', 75], ['Denim Jacket', 'Clothing', 98],
			['Cotton T-Shirt', 'Clothing', 19], ['Rain Coat',
			    'Clothing', 120], ['Linen Shirt', 'Clothing', 49],
			['Yoga Pants', 'Clothing', 39], ['Wireless Earbuds',
			    'Electronics', 129], ['Bluetooth Speaker',
			    'Electronics', 79], ['Smart Watch', 'Electronics',
			    249], ['USB-C Charger', 'Electronics', 25],
			['Noise Cancelling Headphones', 'Electronics', 299],
			['Mechanical Keyboard', 'Electronics', 110],
			['Gaming Mouse', 'Electronics', 55], ['Desk Lamp',
			    'Home', 35], ['Coffee Maker', 'Home', 89],
			['Cast Iron Skillet', 'Home', 42], ['Ceramic Mug',
			    'Home', 12], ['Throw Pillow', 'Home', 24],
			['Chef Knife', 'Home', 68], ['Water Bottle', 'Sports',
			    22], ['Yoga Mat', 'Sports', 30], ['Tennis Racket',
			    'Sports', 140], ['Camping Tent', 'Sports', 210],
			['Bike Helmet', 'Sports', 65], ['Backpack', 'Bags', 70],
			['Leather Wallet', 'Bags', 40], ['Travel Duffel',
			    'Bags', 95], ['Laptop Sleeve', 'Bags', 29],
			['Sunglasses', 'Accessories', 110], ['Wool Scarf',
			    'Accessories', 32], ['Baseball Cap', 'Accessories',
			    20], ['Silver Necklace', 'Accessories', 85],
			['Board Game', 'Toys', 35], ['Puzzle Set', 'Toys', 18],
			['Teddy Bear', 'Toys', 25], ['Drone Kit', 'Toys', 180]
		],
		nav: ['Home', 'About', 'About us', 'Products', 'Services',
		    'Pricing', 'Blog', 'News', 'Careers', 'Contact',
		    'Contact us', 'Help', 'Support', 'FAQ', 'Docs',
		    'Community', 'Events', 'Partners', 'Press', 'Store',
		    'Features', 'Solutions', 'Resources', 'Customers',
		    'Downloads', 'Forum', 'Gallery', 'Shop', 'Deals',
		    'Account', 'Dashboard', 'Reports', 'Projects', 'Team',
		    'Calendar', 'Messages', 'Settings', 'Profile', 'Billing',
		    'Orders', 'Invoices', 'Analytics', 'Library', 'Courses'],
		footer: ['Privacy', 'Privacy policy', 'Terms', 'Terms of use',
		    'Cookies', 'Accessibility', 'Sitemap', 'Status',
		    'Security', 'Legal', 'Imprint', 'Affiliates',
		    'Investors', 'Newsroom', 'Developers', 'Advertise'],
		action: ['Save', 'Cancel', 'Submit', 'Delete', 'Edit', 'Share',
		    'Print', 'Export', 'Import', 'Download', 'Upload',
		    'Refresh', 'Archive', 'Duplicate', 'Rename', 'Move',
		    'Copy link', 'Invite', 'Subscribe', 'Follow',
		    'Add comment', 'New project', 'New folder', 'Create',
		    'Apply', 'Reset', 'Preview', 'Publish', 'Send', 'Continue',
		    'Back', 'Next', 'Previous', 'Close', 'Open', 'Add',
		    'Remove', 'Approve', 'Reject', 'Confirm', 'Start trial',
		    'Learn more', 'Get started', 'Sign up', 'Log in',
		    'Contact sales', 'Book a demo', 'View details',
		    'Compare', 'Filter', 'Sort', 'Clear all', 'Select all',
		    'Undo', 'Redo', 'Feedback', 'Report a problem'],
		topic: ['budget', 'meeting', 'invoice', 'holiday', 'project',
		    'launch', 'review', 'report', 'contract', 'workshop',
		    'interview', 'deadline', 'offsite', 'newsletter',
		    'roadmap', 'survey', 'training', 'migration', 'release',
		    'audit', 'hiring', 'picnic', 'conference', 'webinar'],
		word: ['quick', 'simple', 'modern', 'classic', 'premium',
		    'daily', 'weekly', 'smart', 'secure', 'fast', 'global',
		    'local', 'open', 'green', 'bright', 'annual', 'summer',
		    'winter', 'spring', 'autumn', 'digital', 'creative',
		    'urban', 'coastal', 'mountain', 'garden', 'city'],
		noun: ['guide', 'plan', 'story', 'update', 'tips', 'ideas',
		    'notes', 'review', 'recipe', 'tour', 'series', 'checklist',
		    'playlist', 'trends', 'basics', 'lessons', 'journey',
		    'insights', 'secrets', 'essentials'],
		month: ['January', 'February', 'March', 'April', 'May', 'June',
		    'July', 'August', 'September', 'October', 'November',
		    'December'],
		monthShort: ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul',
		    'Aug', 'Sep', 'Oct', 'Nov', 'Dec'],
		weekday: ['Sunday', 'Monday', 'Tuesday', 'Wednesday',
		    'Thursday', 'Friday', 'Saturday'],
		glyph: {
			close: '\u00d7', menu: '\u2261', search: '\u2315',
			add: '+', remove: '\u2212', del: '\u2716',
			edit: '\u270e', star: '\u2606', like: '\u2661',
			share: '\u21aa', reply: '\u21a9', next: '\u203a',
			prev: '\u2039', settings: '\u2699', cart: '\u25a3',
			user: '\u263a', home: '\u2302', mail: '\u2709',
			check: '\u2713', down: '\u25be', up: '\u25b4',
			archive: '\u25a4', forward: '\u21b7', info: '\u24d8',
			call: '\u260e', print: '\u2399', more: '\u22ef',
			bell: '\u266a', flag: '\u2691', download: '\u2913'
		},
		ordinal: ['first', 'second', 'third', 'fourth', 'fifth',
		    'sixth', 'seventh', 'eighth'],
		ordinalNum: ['1st', '2nd', '3rd', '4th', '5th', '6th', '7th',
		    '8th']
	};
	G.P = P;

	/* ---------------------------------------------------------------- */
	/* Query string, the seeded stream.                                 */

	function param(name, def) {
		var m = new RegExp('[?&]' + name + '=([^&#]*)').exec(
		    location.search);

		return m ? decodeURIComponent(m[1]) : def;
	}

	var IMPLS = ['native', 'role', 'icon', 'listener', 'mixed'];
	var R;

	/* ---------------------------------------------------------------- */
	/* DOM helpers.                                                     */

	/* h('div.cls#id', {attr: v, on: {click: fn}, style: ''}, children) */
	function h(spec, attrs, kids) {
		var m = /^([a-z0-9]+)((?:[.#][A-Za-z0-9_-]+)*)$/.exec(spec);
		var el = D.createElement(m ? m[1] : 'div');
		var parts = m && m[2] ? m[2].match(/[.#][A-Za-z0-9_-]+/g) : [];
		var k, i;

		for (i = 0; parts && i < parts.length; i++) {
			if (parts[i][0] === '.')
				el.classList.add(parts[i].slice(1));
			else
				el.id = parts[i].slice(1);
		}
		if (attrs && (typeof attrs === 'string' ||
		    Array.isArray(attrs) || attrs.nodeType)) {
			kids = attrs;
			attrs = null;
		}
		for (k in attrs || {}) {
			if (attrs[k] === null || attrs[k] === undefined ||
			    attrs[k] === false)
				continue;
			if (k === 'on') {
				for (i in attrs.on)
					el.addEventListener(i, attrs.on[i]);
			} else if (k === 'text')
				el.textContent = attrs[k];
			else if (k === 'value' && 'value' in el)
				el.value = attrs[k];
			else if (k === 'checked')
				el.checked = !!attrs[k];
			else
				el.setAttribute(k, attrs[k] === true ? '' :
				    attrs[k]);
		}
		add(el, kids);
		return el;
	}

	function add(el, kids) {
		var i;

		if (kids === null || kids === undefined)
			return el;
		if (!Array.isArray(kids))
			kids = [kids];
		for (i = 0; i < kids.length; i++) {
			if (kids[i] === null || kids[i] === undefined ||
			    kids[i] === false)
				continue;
			if (Array.isArray(kids[i])) {
				add(el, kids[i]);
				continue;
			}
			el.appendChild(typeof kids[i] === 'string' ||
			    typeof kids[i] === 'number' ?
			    D.createTextNode(String(kids[i])) : kids[i]);
		}
		return el;
	}
	G.h = h;
	G.add = add;

	var uidn = 0;

	function uid(p) {
		uidn++;
		return (p || 'g') + uidn;
	}
	G.uid = uid;

	/* Visible: rendered and not hidden by an ancestor. */
	function visible(el) {
		if (!el || !el.isConnected)
			return false;
		if (typeof el.checkVisibility === 'function')
			return el.checkVisibility({ visibilityProperty: true,
			    opacityProperty: true });
		return el.getClientRects().length > 0;
	}
	G.visible = visible;

	/* Normalised text for comparisons. */
	function norm(s) {
		return String(s === undefined || s === null ? '' : s)
		    .replace(/\s+/g, ' ').trim();
	}
	G.norm = norm;

	/* ---------------------------------------------------------------- */
	/* Theme: fonts, colours, spacing, layout.                          */

	function theme() {
		var fonts = ['Arial, sans-serif', 'Georgia, serif',
		    'Verdana, sans-serif', '"Trebuchet MS", sans-serif',
		    '"Courier New", monospace', 'Tahoma, sans-serif',
		    '"Times New Roman", serif', 'system-ui, sans-serif',
		    'Helvetica, Arial, sans-serif', '"DejaVu Sans", sans-serif'];
		var hue = R.int(360), dark = R.chance(0.15);
		var acc = 'hsl(' + hue + ',' + R.range(40, 85) + '%,' +
		    R.range(30, 50) + '%)';
		var bg = dark ? 'hsl(' + hue + ',15%,' + R.range(8, 16) + '%)' :
		    'hsl(' + R.int(360) + ',' + R.range(0, 30) + '%,' +
		    R.range(94, 100) + '%)';
		var fg = dark ? '#eee' : 'hsl(0,0%,' + R.range(5, 25) + '%)';
		var card = dark ? 'hsl(' + hue + ',12%,20%)' : R.pick(['#fff',
		    '#fafafa', 'hsl(' + hue + ',30%,97%)', '#f4f4f4']);
		var rad = R.pick([0, 2, 4, 6, 8, 12, 20]);
		var pad = R.range(4, 12);
		var fs = R.range(13, 18);
		var bstyle = R.pick(['solid', 'solid', 'outline', 'flat',
		    'pill']);
		var css = [];

		css.push(':root{--acc:' + acc + ';--bg:' + bg + ';--fg:' + fg +
		    ';--card:' + card + ';--rad:' + rad + 'px;--pad:' + pad +
		    'px;--gap:' + R.range(4, 20) + 'px}');
		css.push('body{margin:0;background:var(--bg);color:var(--fg);' +
		    'font-family:' + R.pick(fonts) + ';font-size:' + fs +
		    'px;line-height:' + (1.2 + R.f() * 0.5).toFixed(2) + '}');
		css.push('.btn{display:inline-block;cursor:pointer;' +
		    'padding:calc(var(--pad)*0.6) var(--pad);margin:3px;' +
		    'border-radius:' + (bstyle === 'pill' ? '999px' :
		    'var(--rad)') + ';font:inherit;user-select:none;' +
		    (bstyle === 'outline' ? 'background:transparent;' +
		    'color:var(--acc);border:1px solid var(--acc)' :
		    bstyle === 'flat' ? 'background:transparent;' +
		    'color:var(--acc);border:0;text-decoration:underline' :
		    'background:var(--acc);color:#fff;border:1px solid ' +
		    'var(--acc)') + '}');
		css.push('.btn.sec{background:transparent;color:var(--fg);' +
		    'border:1px solid #999}');
		css.push('.ico{font-size:1.2em;line-height:1;padding:4px 8px;' +
		    'min-width:1.6em;text-align:center}');
		css.push('a{color:var(--acc)}a.plain{text-decoration:none}');
		css.push('.card{background:var(--card);border-radius:var(--rad);' +
		    'padding:calc(var(--pad)*1.5);margin:var(--gap) 0;' +
		    (R.chance(0.6) ? 'box-shadow:0 1px 4px rgba(0,0,0,.2)' :
		    'border:1px solid #ccc') + '}');
		css.push('input,select,textarea{font:inherit;padding:' +
		    'calc(var(--pad)*0.5);border:1px solid #999;border-radius:' +
		    'calc(var(--rad)/2);margin:2px 0;background:#fff;' +
		    'color:#111;max-width:100%}');
		css.push('.fld{margin:calc(var(--gap)/2 + 4px) 0}');
		css.push('.fld.row{display:flex;align-items:center;gap:8px}' +
		    '.fld.row>label,.fld.row>.lab{min-width:' + R.range(90,
		    160) + 'px}');
		css.push('.fld.col>label,.fld.col>.lab{display:block}');
		css.push('.float{position:relative;padding-top:10px}.float>label' +
		    '{position:absolute;top:-4px;left:6px;font-size:11px;' +
		    'background:var(--card);padding:0 3px}');
		css.push('header,.top{display:flex;flex-wrap:wrap;align-items:' +
		    'center;gap:var(--gap);padding:var(--pad) calc(var(--pad)*2);' +
		    'background:' + (R.chance(0.5) ? 'var(--acc);color:#fff' :
		    'var(--card)') + '}header a,header .lnk{color:inherit}');
		css.push('header .logo{font-weight:bold;font-size:1.3em;' +
		    'margin-right:auto}');
		css.push('footer{padding:calc(var(--pad)*2);margin-top:40px;' +
		    'font-size:.9em;opacity:.85;display:flex;flex-wrap:wrap;' +
		    'gap:12px}');
		css.push('main{padding:calc(var(--pad)*2);max-width:' +
		    R.pick(['none', '1100px', '900px', '760px']) + ';margin:' +
		    (R.chance(0.6) ? '0 auto' : '0') + '}');
		css.push('.layout{display:flex;gap:calc(var(--gap)*2)}' +
		    '.layout>aside{flex:0 0 ' + R.range(160, 240) + 'px}' +
		    '.layout>div{flex:1;min-width:0}');
		css.push('aside a,aside .lnk{display:block;margin:6px 0}');
		css.push('.lnk{cursor:pointer;color:var(--acc)}');
		css.push('.grid{display:grid;grid-template-columns:repeat(' +
		    'auto-fill,minmax(' + R.range(180, 260) + 'px,1fr));' +
		    'gap:var(--gap)}');
		css.push('.list>*{border-bottom:1px solid rgba(128,128,128,.3);' +
		    'padding:calc(var(--pad)*0.8) 0}');
		css.push('table{border-collapse:collapse;width:100%}td,th{' +
		    'text-align:left;padding:calc(var(--pad)*0.6);' +
		    'border-bottom:1px solid rgba(128,128,128,.35)}');
		css.push('.hidden{display:none!important}');
		css.push('.menu{position:absolute;z-index:20;background:' +
		    'var(--card);color:var(--fg);border:1px solid #aaa;' +
		    'min-width:160px;box-shadow:0 4px 10px rgba(0,0,0,.25);' +
		    'padding:4px 0}.menu>*{display:block;padding:6px 12px;' +
		    'cursor:pointer;white-space:nowrap;color:var(--fg)}' +
		    '.menu>*:hover{background:rgba(128,128,128,.2)}');
		css.push('.overlay{position:fixed;inset:0;background:' +
		    'rgba(0,0,0,.45);z-index:100;display:flex;align-items:' +
		    'center;justify-content:center}.dialog{background:' +
		    'var(--card);color:var(--fg);padding:24px;border-radius:' +
		    'var(--rad);max-width:460px;width:90%;position:relative}');
		css.push('.banner{position:fixed;left:0;right:0;bottom:0;z-index:' +
		    '90;background:#222;color:#fff;padding:14px 20px;display:' +
		    'flex;flex-wrap:wrap;gap:10px;align-items:center}');
		css.push('.tabs{display:flex;gap:2px;border-bottom:2px solid ' +
		    'var(--acc)}.tabs>*{padding:8px 14px;cursor:pointer}.tabs>' +
		    '[aria-selected=true]{background:var(--acc);color:#fff}');
		css.push('.sw{display:inline-block;width:36px;height:20px;' +
		    'border-radius:10px;background:#bbb;position:relative;' +
		    'vertical-align:middle;cursor:pointer}.sw[aria-checked=' +
		    'true]{background:var(--acc)}.sw::after{content:"";' +
		    'position:absolute;top:2px;left:2px;width:16px;height:16px;' +
		    'border-radius:50%;background:#fff}.sw[aria-checked=true]' +
		    '::after{left:18px}');
		css.push('.cbx{display:inline-block;width:16px;height:16px;' +
		    'border:2px solid #666;vertical-align:middle;cursor:' +
		    'pointer;text-align:center;line-height:14px;font-size:12px;' +
		    'margin-right:6px}.cbx[aria-checked=true]{background:' +
		    'var(--acc);color:#fff}.cbx[aria-checked=true]::after{' +
		    'content:"\\2713"}.rdo{border-radius:50%}');
		/* Lists show all their options: SCROLL moves the page only. */
		css.push('.opts{border:1px solid #aaa;background:var(--card);' +
		    'position:absolute;z-index:30;min-width:200px}' +
		    '.opts>*{padding:6px 10px;cursor:pointer}' +
		    '.opts>*:hover{background:rgba(128,128,128,.2)}');
		css.push('.cal{border:1px solid #aaa;background:var(--card);' +
		    'padding:8px;display:inline-block;position:absolute;' +
		    'z-index:30}.cal td{padding:2px;text-align:center}.cal ' +
		    'td>*{min-width:28px;padding:4px;cursor:pointer}');
		css.push('.muted{opacity:.7;font-size:.9em}.price{font-weight:' +
		    'bold}.badge{display:inline-block;padding:1px 6px;' +
		    'border-radius:8px;background:rgba(128,128,128,.25);' +
		    'font-size:.85em}');
		css.push('.status{min-height:1.4em;margin:8px 0;font-style:' +
		    'italic}.err{color:#c22}');
		return css.join('\n');
	}

	/* ---------------------------------------------------------------- */
	/* Widgets, each in the page's implementation style.                */

	/* The implementation of one widget (mixed: random per widget). */
	function implOf(o) {
		if (o && o.impl)
			return o.impl;
		if (G.impl === 'mixed')
			return R.pick(['native', 'role', 'icon', 'listener',
			    'native']);
		return G.impl;
	}

	/*
	 * A clickable thing labelled label: <button>, <a href>, div with
	 * role=button, an icon with aria-label, or an element with a JS
	 * listener only.  o: {fn, icon (glyph key), link (looks like a link),
	 * cls, impl, title, aria (aria-label instead of text), sec}.
	 */
	function button(label, fn, o) {
		var impl, el, glyph, cls;

		o = o || {};
		impl = implOf(o);
		glyph = o.icon ? P.glyph[o.icon] || o.icon : null;
		cls = o.link ? 'lnk' : 'btn' + (o.sec ? ' sec' : '');
		if (o.cls)
			cls += ' ' + o.cls;
		if (impl === 'icon' && glyph) {
			el = h(R.chance(0.8) ? 'button' : 'span', {
				'class': 'btn ico' + (o.sec ? ' sec' : ''),
				'aria-label': R.chance(0.8) ? label : null,
				title: label
			}, glyph);
			if (el.localName === 'span') {
				el.setAttribute('role', 'button');
				el.setAttribute('tabindex', '0');
				el.setAttribute('aria-label', label);
			} else
				el.type = 'button';
		} else if (impl === 'icon') {
			/* No glyph: text plus an aria-label. */
			el = h('button', { 'class': cls, type: 'button',
			    'aria-label': label }, label);
		} else if (impl === 'role') {
			el = h(o.link ? 'span' : 'div', { 'class': cls,
			    role: o.link ? 'link' : 'button', tabindex: '0' },
			    label);
			if (!o.link)
				el.style.display = 'inline-block';
		} else if (impl === 'listener') {
			el = h(R.chance(0.5) ? 'span' : 'div', { 'class': cls },
			    label);
			el.style.display = 'inline-block';
			if (R.chance(0.3))
				el.style.cursor = 'default';
		} else if (o.link) {
			el = h('a', { href: o.href || '#' + label.toLowerCase()
			    .replace(/[^a-z0-9]+/g, '-'), 'class': 'plain' },
			    label);
		} else if (o.submit && R.chance(0.4)) {
			el = h('input', { type: 'submit', value: label,
			    'class': cls });
		} else {
			el = h('button', { type: 'button', 'class': cls },
			    label);
		}
		if (o.title && !el.title)
			el.title = o.title;
		if (o.aria && !el.getAttribute('aria-label'))
			el.setAttribute('aria-label', o.aria);
		el.addEventListener('click', function (ev) {
			ev.preventDefault();
			G.clicks.push(el);
			if (fn)
				fn(ev);
		});
		el.__label = label;
		return el;
	}
	G.button = button;

	/* A link (or something that looks like one). */
	function link(label, fn, o) {
		o = o || {};
		o.link = true;
		if (o.impl === undefined && G.impl === 'icon')
			o.impl = 'native';
		return button(label, fn, o);
	}
	G.link = link;

	var LABEL_STYLES = ['for', 'for', 'wrap', 'placeholder', 'aria',
	    'above', 'left', 'float'];

	/*
	 * A text field with its label: {wrap, el, label, get(), set(v)}.
	 * o: {type, value, placeholder, name, style (label style), textarea,
	 * ph (placeholder text besides the label)}.
	 */
	function field(label, o) {
		var st, el, wrap, id = uid('f'), lab, ph;

		o = o || {};
		st = o.style || G.labelStyle || R.pick(LABEL_STYLES);
		if (o.textarea)
			el = h('textarea', { id: id, rows: 3 });
		else
			el = h('input', { id: id, type: o.type || 'text' });
		if (o.name !== false)
			el.name = o.name || label.toLowerCase().replace(
			    /[^a-z0-9]+/g, R.pick(['_', '-', ''])).replace(
			    /[_-]$/, '');
		el.size = R.range(18, 34);
		if (o.value)
			el.value = o.value;
		ph = o.ph || (R.chance(0.3) ? R.pick(['e.g. ', 'Your ',
		    'Enter ']) + label.toLowerCase() : null);
		switch (st) {
		case 'placeholder':
			el.placeholder = label;
			wrap = h('div.fld', el);
			break;
		case 'aria':
			el.setAttribute('aria-label', label);
			if (ph)
				el.placeholder = ph;
			wrap = h('div.fld', el);
			break;
		case 'wrap':
			if (ph)
				el.placeholder = ph;
			wrap = h('div.fld', h('label', { 'class': 'fld col' },
			    [h('span.lab', label), el]));
			break;
		case 'above':
			if (ph)
				el.placeholder = ph;
			wrap = h('div.fld.col', [h('div.lab', label), el]);
			break;
		case 'left':
			if (ph)
				el.placeholder = ph;
			wrap = h('div.fld.row', [h('span.lab', label), el]);
			break;
		case 'float':
			lab = h('label', { 'for': id }, label);
			wrap = h('div.fld.float', [lab, el]);
			break;
		default:
			if (ph)
				el.placeholder = ph;
			lab = h('label', { 'for': id }, label);
			wrap = h('div.fld.' + (R.chance(0.5) ? 'row' : 'col'),
			    [lab, el]);
			break;
		}
		return {
			wrap: wrap, el: el, label: label,
			get: function () {
				return norm(el.value);
			},
			set: function (v) {
				el.value = v;
			}
		};
	}
	G.field = field;

	/*
	 * A checkbox (or switch) labelled label: native input with a
	 * label, or role=checkbox / role=switch.  {wrap, el (to click),
	 * get(), set(b)}.  o: {switch, checked, impl, radio, name, onchange}
	 */
	function checkbox(label, o) {
		var impl, id = uid('c'), el, box, wrap, role;

		o = o || {};
		impl = implOf(o);
		role = o.radio ? 'radio' : o['switch'] ? 'switch' : 'checkbox';
		if (impl === 'native' || (impl === 'icon' && R.chance(0.5))) {
			box = h('input', { type: o.radio ? 'radio' : 'checkbox',
			    id: id, name: o.name || null });
			box.checked = !!o.checked;
			if (o['switch'] && !o.radio)
				box.setAttribute('role', 'switch');
			if (R.chance(0.75)) {
				wrap = h('div.fld', [box, ' ', h('label',
				    { 'for': id }, label)]);
			} else
				wrap = h('div.fld', h('label', [box, ' ' +
				    label]));
			if (o.onchange)
				box.addEventListener('change', o.onchange);
			return {
				wrap: wrap, el: box, label: label,
				get: function () {
					return box.checked;
				}
			};
		}
		el = h('span', { 'class': o['switch'] && !o.radio ? 'sw' :
		    'cbx' + (o.radio ? ' rdo' : ''), role: impl === 'listener' ?
		    null : role, tabindex: '0',
		    'aria-checked': o.checked ? 'true' : 'false',
		    'aria-label': impl === 'icon' || R.chance(0.3) ? label :
		    null });
		el.addEventListener('click', function () {
			var on = el.getAttribute('aria-checked') === 'true';

			if (o.radio) {
				if (on)
					return;
				D.querySelectorAll('[data-group="' + o.name +
				    '"]').forEach(function (x) {
					x.setAttribute('aria-checked', 'false');
				});
			}
			el.setAttribute('aria-checked', on ? 'false' : 'true');
			G.clicks.push(el);
			if (o.onchange)
				o.onchange();
		});
		if (o.radio)
			el.setAttribute('data-group', o.name);
		wrap = h('div.fld', [el, h('span', { 'class': 'lab' }, ' ' +
		    label)]);
		/* Clicking the text toggles too, as with a native label. */
		if (impl !== 'listener' && R.chance(0.5))
			wrap.lastChild.addEventListener('click', function () {
				el.click();
			});
		return {
			wrap: wrap, el: el, label: label,
			get: function () {
				return el.getAttribute('aria-checked') === 'true';
			}
		};
	}
	G.checkbox = checkbox;

	/*
	 * A native select with a label: {wrap, el, get() (option text)}.
	 */
	function select(label, options, o) {
		var id = uid('s'), el, wrap, i, st;

		o = o || {};
		el = h('select', { id: id, name: label.toLowerCase().replace(
		    /[^a-z0-9]+/g, '_') });
		if (o.prompt)
			el.appendChild(h('option', { value: '' }, o.prompt));
		for (i = 0; i < options.length; i++)
			el.appendChild(h('option', { value: options[i]
			    .toLowerCase().replace(/[^a-z0-9]+/g, '-') },
			    options[i]));
		if (o.value !== undefined)
			el.selectedIndex = options.indexOf(o.value) +
			    (o.prompt ? 1 : 0);
		st = R.pick(['for', 'for', 'above', 'left', 'aria']);
		if (st === 'aria') {
			el.setAttribute('aria-label', label);
			wrap = h('div.fld', el);
		} else if (st === 'above')
			wrap = h('div.fld.col', [h('div.lab', label), el]);
		else if (st === 'left')
			wrap = h('div.fld.row', [h('span.lab', label), el]);
		else
			wrap = h('div.fld.row', [h('label', { 'for': id },
			    label), el]);
		if (o.onchange)
			el.addEventListener('change', o.onchange);
		return {
			wrap: wrap, el: el, label: label, native: true,
			options: options,
			get: function () {
				return el.selectedIndex >= 0 && el.value !== '' ?
				    norm(el.options[el.selectedIndex].text) : '';
			}
		};
	}
	G.select = select;

	/*
	 * A custom dropdown: a trigger showing the current option, a list
	 * that opens on click.  {wrap, el (trigger), get(), items(),
	 * isOpen()}.
	 */
	function dropdown(label, options, o) {
		var impl, trig, list, wrap, cur, st, i, items = [];

		o = o || {};
		impl = implOf(o);
		cur = o.value !== undefined ? o.value : '';
		trig = h(impl === 'native' ? 'button' : 'div', {
			'class': 'btn sec', type: impl === 'native' ? 'button' :
			    null,
			role: impl === 'listener' ? null : 'combobox',
			'aria-haspopup': 'listbox', 'aria-expanded': 'false',
			tabindex: '0',
			'aria-label': R.chance(0.5) ? label : null
		});
		function show() {
			trig.textContent = (cur || o.prompt || 'Select...') +
			    ' \u25be';
		}
		show();
		list = h('div.opts.hidden', { role: impl === 'listener' ? null :
		    'listbox' });
		for (i = 0; i < options.length; i++)
			(function (t) {
				var it = h('div', { role: impl === 'listener' ?
				    null : 'option', 'aria-selected':
				    impl === 'listener' ? null : 'false' }, t);

				it.addEventListener('click', function () {
					cur = t;
					show();
					list.classList.add('hidden');
					trig.setAttribute('aria-expanded',
					    'false');
					if (o.onchange)
						o.onchange();
				});
				items.push(it);
				list.appendChild(it);
			})(options[i]);
		trig.addEventListener('click', function () {
			var open = list.classList.contains('hidden');

			G.closeMenus(list);
			list.classList.toggle('hidden', !open);
			trig.setAttribute('aria-expanded', open ? 'true' :
			    'false');
		});
		G.menus.push({ list: list, trig: trig });
		st = R.pick(['above', 'left', 'left']);
		wrap = h('div.fld' + (st === 'left' ? '.row' : '.col'),
		    [h('span.lab', label), h('div', { style:
		    'position:relative;display:inline-block' }, [trig, list])]);
		G.revealer(list, function () {
			return G.click(trig, 'open the ' + label + ' list');
		});
		return {
			wrap: wrap, el: trig, label: label, native: false,
			options: options,
			get: function () {
				return cur;
			},
			item: function (t) {
				return items[options.indexOf(t)];
			},
			isOpen: function () {
				return !list.classList.contains('hidden');
			}
		};
	}
	G.dropdown = dropdown;

	/* ---------------------------------------------------------------- */
	/* Menus and overlays the oracle knows how to open and close.       */

	G.menus = [];
	/* Closes every open menu but keep. */
	G.closeMenus = function (keep) {
		var i;

		for (i = 0; i < G.menus.length; i++)
			if (G.menus[i].list !== keep &&
			    !G.menus[i].list.contains(keep)) {
				G.menus[i].list.classList.add('hidden');
				if (G.menus[i].trig)
					G.menus[i].trig.setAttribute(
					    'aria-expanded', 'false');
			}
	};

	/*
	 * Revealers: a hidden container and the action that shows it (open
	 * a menu, expand a tree node, switch to a tab).
	 */
	var revealers = [];

	G.revealer = function (container, fn) {
		revealers.push({ el: container, fn: fn });
	};

	/*
	 * Blockers: overlays that must be closed before anything under them
	 * can be reached.  {isOpen(), el, dismiss() -> action}.
	 */
	G.blockers = [];
	/* Fixed bars that may cover a target: {el, dismiss() -> action}. */
	G.occluders = [];

	/* ---------------------------------------------------------------- */
	/* Actions the oracle returns.                                      */

	G.click = function (el, why) {
		return { op: 'click', el: el, why: why || '' };
	};
	G.type = function (el, value, why) {
		return { op: 'type', el: el, value: value, why: why || '' };
	};
	G.choose = function (sel, value, why) {
		return { op: 'select', el: sel, value: value, why: why || '' };
	};

	/* 1 if the boxes of a and b intersect. */
	function overlap(a, b) {
		var p = a.getBoundingClientRect(), q = b.getBoundingClientRect();

		return p.left < q.right && q.left < p.right && p.top < q.bottom &&
		    q.top < p.bottom;
	}

	/*
	 * The action that makes el reachable and acts on it: close a
	 * blocking overlay el is not in, open the hidden container el is
	 * in, else act (act: the action for el itself).
	 */
	function reach(act) {
		var el = act.el, i, b, best = null;

		for (i = 0; i < G.blockers.length; i++) {
			b = G.blockers[i];
			if (b.isOpen() && !b.el.contains(el))
				return b.dismiss();
		}
		/* An open menu that covers el: close it first. */
		for (i = 0; visible(el) && i < G.menus.length; i++) {
			b = G.menus[i];
			if (b.trig && visible(b.list) && !b.list.contains(el) &&
			    !b.trig.contains(el) && overlap(b.list, el))
				return G.click(b.trig, 'close the open menu');
		}
		if (visible(el))
			return act;
		/* The outermost hidden container with a revealer. */
		for (i = 0; i < revealers.length; i++)
			if (revealers[i].el.contains(el) &&
			    !visible(revealers[i].el) &&
			    (best === null || revealers[i].el.contains(
			    best.el)))
				best = revealers[i];
		if (best !== null) {
			act = best.fn();
			return act.el === el ? act : reach(act);
		}
		return { op: 'error', why: 'target not visible and nothing ' +
		    'reveals it' };
	}
	G.reach = reach;

	/* ---------------------------------------------------------------- */
	/* Goals.                                                           */

	/* Typed: field f must hold value v. */
	G.gType = function (f, v) {
		return {
			sat: function () {
				return f.get() === norm(v);
			},
			next: function () {
				return G.type(f.el, v, 'type ' + v);
			}
		};
	};
	/* Selected: select or dropdown s must show option v. */
	G.gSelect = function (s, v) {
		return {
			sat: function () {
				return s.get() === v;
			},
			next: function () {
				if (s.native)
					return G.choose(s.el, v, 'select ' + v);
				if (s.isOpen())
					return G.click(s.item(v), 'option ' + v);
				return G.click(s.el, 'open ' + s.label);
			}
		};
	};
	/* Checked state of checkbox c must be want. */
	G.gCheck = function (c, want) {
		return {
			sat: function () {
				return c.get() === want;
			},
			next: function () {
				return G.click(c.el, (want ? 'check ' :
				    'uncheck ') + c.label);
			}
		};
	};
	/* A click on el that sets flag() true. */
	G.gClick = function (el, flag, why) {
		return {
			sat: flag,
			next: function () {
				return G.click(typeof el === 'function' ? el() :
				    el, why);
			}
		};
	};
	/* A generic goal. */
	G.goal = function (sat, next) {
		return { sat: sat, next: next };
	};

	/* ---------------------------------------------------------------- */
	/* Instructions.                                                    */

	/* Which templates of a list are held out. */
	function heldTpl(i) {
		return i % 5 === 3;
	}
	G.heldTpl = heldTpl;

	/*
	 * Fills template t: {NAME} is replaced by fills[NAME], a string or
	 * {text, value: true (typed: quoted half the time, never noised),
	 * quote: probability}.  Words outside the fills get casing and typo
	 * noise.
	 */
	function render(t, fills) {
		var parts = [], re = /\{([A-Za-z0-9_]+)\}/g, last = 0, m, f, s;
		var q, out = '', i, lower, typo;

		while ((m = re.exec(t)) !== null) {
			if (m.index > last)
				parts.push({ s: t.slice(last, m.index), n: 1 });
			f = fills[m[1]];
			if (f === undefined)
				throw new Error('template ' + t + ': no ' + m[1]);
			if (typeof f === 'string' || typeof f === 'number')
				f = { text: String(f) };
			q = f.quote !== undefined ? f.quote : f.value ? 0.5 :
			    0.12;
			s = f.text;
			if (R.chance(q))
				s = R.chance(0.85) ? '"' + s + '"' :
				    '\'' + s + '\'';
			parts.push({ s: s, n: 0 });
			last = re.lastIndex;
		}
		if (last < t.length)
			parts.push({ s: t.slice(last), n: 1 });
		lower = R.chance(0.12);
		typo = R.chance(0.06);
		for (i = 0; i < parts.length; i++) {
			s = parts[i].s;
			if (parts[i].n) {
				if (lower)
					s = s.toLowerCase();
				if (typo)
					s = s.replace(/\b([a-z])([a-z])([a-z]{3,})/,
					    function (all, a, b, c) {
						typo = false;
						return b + a + c;
					});
			}
			out += s;
		}
		out = out.replace(/\s+/g, ' ').trim();
		if (i > 0 && parts[0].n && !lower && R.chance(0.15))
			out = out[0].toLowerCase() + out.slice(1);
		else if (i > 0 && parts[0].n)
			out = out[0].toUpperCase() + out.slice(1);
		if (R.chance(0.2) && /[a-z0-9"']$/i.test(out))
			out += '.';
		return out;
	}
	G.render = render;

	/* ---------------------------------------------------------------- */
	/* Page chrome: header, footer, sidebar, distractors.               */

	G.chrome = function (o) {
		var top, nav, foot, side, i, names, brand;

		o = o || {};
		brand = o.brand || R.pick(P.company) + (R.chance(0.5) ? '' :
		    ' ' + R.pick(['Inc', 'Labs', 'Store', 'Online', 'Co',
		    'Hub']));
		G.brand = brand;
		top = h('header', h('span.logo', brand));
		names = R.sample(P.nav.filter(function (x) {
			return (o.avoid || []).indexOf(x) < 0;
		}), R.range(o.minNav || 2, o.maxNav || 7));
		nav = h('nav', { style: 'display:flex;gap:14px;flex-wrap:' +
		    'wrap' });
		for (i = 0; i < names.length; i++)
			nav.appendChild(link(names[i], null, { impl:
			    R.chance(0.8) ? 'native' : undefined }));
		top.appendChild(nav);
		if (o.extra)
			add(top, o.extra);
		G.navNames = names;
		foot = h('footer');
		names = R.sample(P.footer, R.range(2, 8));
		for (i = 0; i < names.length; i++)
			foot.appendChild(link(names[i], null, { impl: 'native' }));
		foot.appendChild(h('span.muted', '\u00a9 2024 ' + brand));
		side = null;
		if (o.side !== false && R.chance(o.sideP || 0.3)) {
			side = h('aside');
			names = R.sample(P.nav, R.range(3, 8));
			for (i = 0; i < names.length; i++)
				side.appendChild(link(names[i], null,
				    { impl: R.chance(0.7) ? 'native' :
				    undefined }));
		}
		return { top: top, foot: foot, side: side };
	};

	/* Some distracting buttons, not named in the task. */
	G.distractors = function (n, avoid) {
		var box = h('div', { style: 'margin:10px 0' }), names, i;

		names = R.sample(P.action.filter(function (x) {
			return (avoid || []).indexOf(x) < 0;
		}), n);
		for (i = 0; i < names.length; i++)
			box.appendChild(button(names[i], null, { sec:
			    R.chance(0.5) }));
		return box;
	};

	/* A non-blocking cookie bar (distractor), now and then. */
	G.maybeCookieBar = function (p) {
		var bar, ok;

		if (!R.chance(p === undefined ? 0.12 : p))
			return null;
		ok = button(R.pick(['Accept', 'OK', 'Got it']), function () {
			bar.remove();
		});
		bar = h('div.banner', [h('span', 'We use cookies to improve ' +
		    'your experience.'), ok, link('Learn more', null)]);
		/* It covers the bottom of the page: closed when in the way. */
		G.occluders.push({ el: bar, dismiss: function () {
			return G.click(ok, 'close the cookie bar');
		} });
		return bar;
	};

	/* A paragraph of filler text. */
	G.filler = function (n) {
		var s = [], i;

		for (i = 0; i < n; i++)
			s.push(R.pick(P.word) + ' ' + R.pick(P.noun));
		return h('p.muted', s.join(', ') + '.');
	};

	/*
	 * Clutter as real pages have it, never named by the task: a filter
	 * panel, product cards with their own buttons, a promotion, a
	 * newsletter box.  Each piece carries data-clutter; pieces sharing a
	 * content word with the instruction are removed once it is known
	 * (dropClutter), so the oracle's target stays the only right one.
	 */
	var CLUTTER_CATS = ['Outdoor', 'Kitchen', 'Garden', 'Office',
	    'Kids', 'Pets', 'Beauty', 'Automotive', 'Music', 'Books',
	    'Crafts', 'Lighting', 'Storage', 'Bedding', 'Fitness',
	    'Jewelry', 'Luggage', 'Stationery', 'Tools', 'Snacks'];
	var CLUTTER_BTN = ['Add to basket', 'Quick view', 'Details',
	    'Read more', 'Save for later', 'Wishlist', 'More info',
	    'See options', 'Buy now', 'Learn more'];

	function clutterFilters(fields) {
		var box = h('div.card', { 'data-clutter': '1' }), names, i;
		var lo, hi, st, mm;

		box.appendChild(h('h3', R.pick(['Categories', 'Refine',
		    'Browse', 'Departments', 'Narrow results', 'Filters'])));
		names = R.sample(CLUTTER_CATS, R.range(3, 8));
		for (i = 0; i < names.length; i++) {
			if (R.chance(0.5)) {
				var c = checkbox(names[i], { checked:
				    R.chance(0.2) });

				c.wrap.setAttribute('data-clutter', '1');
				box.appendChild(c.wrap);
			} else
				box.appendChild(h('div', { 'data-clutter': '1' },
				    link(names[i] + (R.chance(0.4) ? ' (' +
				    R.range(2, 90) + ')' : ''), null)));
		}
		/* A price range: two more text fields. */
		if (fields && R.chance(0.45)) {
			st = R.pick(['placeholder', 'aria', 'above']);
			mm = R.pick([['Min', 'Max'], ['Min price', 'Max price'],
			    ['From', 'To'], ['Min $', 'Max $']]);
			lo = G.field(mm[0], {
				style: st, ph: '$', name: 'min_price',
				type: R.chance(0.4) ? 'number' : 'text' });
			hi = G.field(mm[1], {
				style: st, ph: '$', name: 'max_price',
				type: lo.el.type });
			lo.el.style.width = hi.el.style.width = '5.5em';
			box.appendChild(h('div', { 'data-clutter': '1' }, [
			    h('h4', { style: 'margin:8px 0 2px' },
			    R.pick(['Price', 'Price range', 'Price ($)'])),
			    h('div', { style: 'display:flex;gap:6px;' +
			    'align-items:flex-end;flex-wrap:wrap' }, [lo.wrap,
			    hi.wrap])]));
		}
		if (R.chance(0.5))
			box.appendChild(h('div', { 'data-clutter': '1' },
			    button(R.pick(['Show results', 'Refresh list',
			    'Go']), null, { sec: true })));
		return box;
	}

	/* A coupon or promo-code field with its Apply button. */
	function clutterCoupon() {
		var f = G.field(R.pick(['Promo code', 'Coupon code',
		    'Discount code', 'Gift card or promo code', 'Voucher']),
		    { name: R.pick(['coupon', 'promo', 'code']) });

		return h('div.card', { 'data-clutter': '1' }, [R.chance(0.5) ?
		    h('h4', R.pick(['Have a coupon?', 'Promotions',
		    'Got a promo code?', 'Discounts'])) : null, h('div',
		    { style: 'display:flex;gap:6px;align-items:flex-end;' +
		    'flex-wrap:wrap' }, [f.wrap, button(R.pick(['Apply',
		    'Redeem', 'Apply code']), null, { sec: R.chance(0.5) })])]);
	}

	function clutterCards() {
		var row = h('div', { 'data-clutter-group': '1', style:
		    'display:flex;gap:12px;flex-wrap:wrap;margin:14px 0' });
		var items = R.sample(P.product, R.range(2, 6)), i, card;
		var btn = R.pick(CLUTTER_BTN);

		for (i = 0; i < items.length; i++) {
			card = h('div.card', { 'data-clutter': '1', style:
			    'width:170px' }, [h('div', R.chance(0.5) ?
			    link(items[i][0], null) : h('b', items[i][0])),
			    h('div.muted', '$' + items[i][2]),
			    button(btn, null, { sec: R.chance(0.5) })]);
			row.appendChild(card);
		}
		return h('section', [h('h3', R.pick(['You may also like',
		    'Popular now', 'Recommended', 'Trending', 'New arrivals'])),
		    row]);
	}

	function clutterPromo() {
		return h('div.banner', { 'data-clutter': '1', style:
		    'position:static;margin:8px 0' }, [h('span',
		    R.pick(['Free shipping over $50', 'Spring sale: 20% off',
		    'Members save more', 'New season, new colors'])),
		    button(R.pick(['Shop the sale', 'See offers', 'Join free',
		    'Find out more']), null, { sec: true })]);
	}

	function clutterNewsletter() {
		var f = G.field(R.pick(['Your e-mail', 'E-mail address']), {
			type: 'email' });

		return h('div.card', { 'data-clutter': '1' }, [h('h3',
		    R.pick(['Stay in touch', 'Join our mailing list',
		    'Get our letter'])), f.wrap, button(R.pick(['Sign me up',
		    'Join', 'Notify me']), null)]);
	}

	/* Removes clutter that shares a content word with the instruction. */
	var CLUTTER_STOP = { the: 1, and: 1, for: 1, you: 1, our: 1,
	    with: 1, now: 1, more: 1, new: 1, off: 1, over: 1, may: 1 };

	function words(s) {
		return String(s).toLowerCase().split(/[^a-z0-9]+/).filter(
		    function (w) {
			return w.length >= 3 && !CLUTTER_STOP[w];
		});
	}

	function dropClutter(instr) {
		var want = {}, els, i, j, ws;

		words(instr).forEach(function (w) {
			want[w] = 1;
			/* Light stemming: "carts" meets "cart". */
			if (w.length > 4 && w[w.length - 1] === 's')
				want[w.slice(0, -1)] = 1;
		});
		els = D.querySelectorAll('[data-clutter]');
		for (i = 0; i < els.length; i++) {
			if (!els[i].isConnected)
				continue;
			ws = words(els[i].textContent + ' ' + Array.prototype.map
			    .call(els[i].querySelectorAll('[aria-label],' +
			    '[placeholder],[title]'), function (x) {
				return (x.getAttribute('aria-label') || '') + ' ' +
				    (x.getAttribute('placeholder') || '') + ' ' +
				    (x.getAttribute('title') || '');
			    }).join(' '));
			for (j = 0; j < ws.length; j++) {
				if (want[ws[j]] || (ws[j].length > 4 &&
				    want[ws[j].replace(/s$/, '')])) {
					els[i].remove();
					break;
				}
			}
		}
	}

	/*
	 * Assembles header, main and footer into body.  o: {title, side
	 * (false: none), clutter (false: none), fields (false: no text
	 * fields in the clutter, for pages whose task is a search box),
	 * and G.chrome()'s options}.
	 */
	G.mount = function (content, chrome, o) {
		var main, body = D.body, side, after = [], cl, fl;

		o = o || {};
		chrome = chrome || G.chrome(o);
		main = h('main');
		if (o.title)
			main.appendChild(h(R.pick(['h1', 'h2']), o.title));
		side = chrome.side;
		cl = o.clutter !== false && R.chance(0.75);
		fl = cl && o.fields !== false;
		/*
		 * No search box in the header as clutter: on real sites the
		 * header's search box is the search, not a distractor.
		 */
		if (cl && (side || (o.side !== false && R.chance(0.4)))) {
			side = side || h('aside');
			side.appendChild(clutterFilters(fl));
		}
		if (cl && R.chance(0.35))
			main.appendChild(clutterPromo());
		if (side)
			main.appendChild(h('div.layout', [side,
			    h('div', content)]));
		else
			add(main, content);
		if (cl && R.chance(0.6))
			after.push(clutterCards());
		if (cl && R.chance(0.3))
			after.push(clutterNewsletter());
		if (fl && R.chance(0.2)) {
			if (side && R.chance(0.5))
				side.appendChild(clutterCoupon());
			else
				after.unshift(clutterCoupon());
		}
		add(main, after);
		body.appendChild(chrome.top);
		body.appendChild(main);
		body.appendChild(chrome.foot);
		G.main = main;
		D.title = (o.title || G.brand) + (R.chance(0.5) ? ' - ' +
		    G.brand : '');
		return main;
	};

	/* ---------------------------------------------------------------- */
	/* Families.                                                        */

	/* Defines family name; split: 'train' or 'heldout'. */
	G.def = function (name, split, build) {
		FAM[name] = { name: name, split: split, build: build };
	};

	/*
	 * Chooses the phrasing: templates is {kind: [templates]} or a list;
	 * returns {tpl id, text}.
	 */
	function choosePhrase(list, kind) {
		var ids = [], i;

		for (i = 0; i < list.length; i++) {
			if (G.split === 'any' ||
			    (G.split === 'heldout') === heldTpl(i))
				ids.push(i);
		}
		if (ids.length === 0)
			ids = [0];
		i = R.pick(ids);
		return { id: kind + ':' + i, t: list[i] };
	}

	/*
	 * The oracle: done, or the first unmet goal's action, made
	 * reachable.  A goal may be a list of goals that can be met in any
	 * order (the fields of a form): the first unmet one acts, and the
	 * targets of the others that can be acted on right now are
	 * alternatives, equally right.
	 */
	function oracle() {
		var t = G.t, i, j, g, un, a, b;

		if (t.done())
			return { op: 'done', why: 'goal reached' };
		for (i = 0; i < t.goals.length; i++) {
			g = t.goals[i];
			if (!Array.isArray(g)) {
				if (!g.sat())
					return reach(g.next());
				continue;
			}
			un = g.filter(function (x) {
				return !x.sat();
			});
			if (un.length === 0)
				continue;
			b = un[0].next();
			a = reach(b);
			/* Opening or closing something first: no alternatives. */
			if (a !== b)
				return a;
			a.alts = a.alts || [];
			for (j = 1; j < un.length; j++) {
				b = un[j].next();
				if (reach(b) === b && b.op === a.op)
					a.alts.push({ el: b.el, value: b.value });
			}
			return a;
		}
		return { op: 'error', why: 'all goals met but not done' };
	}

	/* The element of els that stands for el: itself, its label, or kin. */
	function refOf(el, els) {
		var i, best = -1;

		if (!el)
			return -1;
		i = els.indexOf(el);
		if (i >= 0)
			return i;
		for (i = 0; i < els.length; i++)
			if (els[i] && els[i].localName === 'label' &&
			    els[i].control === el)
				return i;
		/* The innermost mark around el. */
		for (i = 0; i < els.length; i++)
			if (els[i] && els[i].contains(el) && (best < 0 ||
			    els[best].contains(els[i])))
				best = i;
		if (best >= 0)
			return best;
		for (i = 0; i < els.length; i++)
			if (els[i] && el.contains(els[i]))
				return i;
		return -1;
	}

	/* The occluder (fixed bar) that covers the middle of el, or null. */
	function covering(el) {
		var rc = el.getBoundingClientRect(), i, top;

		top = D.elementFromPoint(rc.left + rc.width / 2, rc.top +
		    rc.height / 2);
		for (i = 0; top && i < G.occluders.length; i++)
			if (G.occluders[i].el.isConnected &&
			    G.occluders[i].el.contains(top) &&
			    !G.occluders[i].el.contains(el))
				return G.occluders[i];
		return null;
	}

	/* oracle() on the marks of the last collect(). */
	function step() {
		var a = oracle(), els, r, out, rect, i, k, x, oc;

		els = W.__webnav && W.__webnav.els ? W.__webnav.els : [];
		/* A target under a fixed bar: close the bar first. */
		if (a.el && refOf(a.el, els) < 0 && (oc = covering(a.el)))
			a = reach(oc.dismiss());
		out = { op: a.op, ref: -1, alts: [], value: a.value || '',
		    dir: 0, why: a.why || '' };
		if (a.op === 'done' || a.op === 'error')
			return out;
		r = refOf(a.el, els);
		if (r >= 0) {
			out.ref = r;
			/* Alternatives: elements, or {el, value} for typing. */
			for (i = 0; a.alts && i < a.alts.length; i++) {
				x = a.alts[i].nodeType ? { el: a.alts[i] } :
				    a.alts[i];
				if ((k = refOf(x.el, els)) >= 0 && k !== r)
					out.alts.push({ ref: k, value: x.value ||
					    '' });
			}
			return out;
		}
		rect = a.el.getBoundingClientRect();
		if (rect.top >= W.innerHeight - 4 || rect.bottom > W.innerHeight) {
			out.op = 'scroll';
			out.dir = 1;
		} else if (rect.bottom <= 4 || rect.top < 0) {
			out.op = 'scroll';
			out.dir = -1;
		} else {
			out.op = 'error';
			out.why = 'target is no mark: ' + a.el.outerHTML.slice(0,
			    120);
		}
		return out;
	}

	var listening = false;

	/* Closes open menus on a click elsewhere (one listener per document). */
	function onDocClick(ev) {
		var i, inside = false;

		for (i = 0; i < G.menus.length; i++)
			if (G.menus[i].list.contains(ev.target) ||
			    (G.menus[i].trig && G.menus[i].trig.contains(ev.target)))
				inside = true;
		if (!inside)
			G.closeMenus(null);
	}

	/*
	 * Builds the page of p = {family, seed, impl, split} into an empty
	 * body (a restart drops everything of the previous page first).
	 */
	function start(p) {
		var fam = p.family || 'buttons', f = FAM[fam], t, ph, k;

		G.ready = false;
		G.error = null;
		G.t = null;
		G.family = fam;
		G.seed = String(p.seed || '1');
		G.split = p.split || 'any';
		G.impl = p.impl || '';
		if (G.split !== 'train' && G.split !== 'heldout')
			G.split = 'any';
		if (G.styleEl)
			G.styleEl.remove();
		D.body.textContent = '';
		D.body.removeAttribute('style');
		G.menus = [];
		G.blockers = [];
		G.occluders = [];
		revealers = [];
		uidn = 0;
		if (D.activeElement && D.activeElement.blur)
			D.activeElement.blur();
		R = new Rng(fam + '/' + G.seed);
		if (IMPLS.indexOf(G.impl) < 0)
			G.impl = R.pick(IMPLS);
		/* The page itself varies with the implementation too. */
		R = new Rng(fam + '/' + G.seed + '/' + G.impl + '/' + G.split);
		G.R = R;
		G.clicks = [];
		G.labelStyle = R.chance(0.6) ? R.pick(LABEL_STYLES) : null;
		G.styleEl = h('style', theme());
		D.head.appendChild(G.styleEl);
		if (!f)
			throw new Error('unknown family ' + fam);
		t = f.build(G);
		k = t.kind || 'main';
		ph = choosePhrase(Array.isArray(t.templates) ? t.templates :
		    t.templates[k], k);
		G.kind = k;
		G.tpl = ph.id;
		/* Families whose goal depends on the wording choose it now. */
		if (t.pickGoal)
			t.pickGoal(ph.t);
		G.instruction = render(ph.t, t.fill || {});
		dropClutter(G.instruction);
		G.t = t;
		if (!listening) {
			D.addEventListener('click', onDocClick);
			listening = true;
		}
		W.scrollTo(0, 0);
		G.ready = true;
	}

	/* The page the URL asks for. */
	G.start = function () {
		start({ family: param('family', 'buttons'),
		    seed: param('seed', '1'), split: param('split', 'any'),
		    impl: param('impl', '') });
	};

	/*
	 * Another page in the same document (saves loading one): the URL
	 * follows.  Returns false with G.error set if the family failed.
	 */
	G.restart = function (p) {
		try {
			history.replaceState(null, '', location.pathname +
			    '?family=' + encodeURIComponent(p.family) + '&seed=' +
			    encodeURIComponent(p.seed) + '&split=' +
			    encodeURIComponent(p.split || 'any'));
			start(p);
			return true;
		} catch (e) {
			G.error = String(e && e.stack || e);
			return false;
		}
	};

	G.done = function () {
		return !!(G.t && G.t.done());
	};
	G.oracle = oracle;
	G.step = step;
	G.families = function () {
		var k, out = [];

		for (k in FAM)
			out.push({ name: k, split: FAM[k].split });
		return out;
	};
	W.__gen = G;
})();
