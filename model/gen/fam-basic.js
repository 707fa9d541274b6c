/*
 * fam-basic.js: generator families "buttons", "form", "login" and
 * "search" (see core.js for the contract).
 */
(function () {
	'use strict';

	var G = window.__gen, P = G.P, h = G.h;

	/* Lower-case first letter ("Email" -> "email") for running text. */
	function lc(s) {
		return /^[A-Z][a-z]/.test(s) ? s[0].toLowerCase() + s.slice(1) :
		    s;
	}

	/* "a, b and c" */
	function joinAnd(a, R) {
		if (a.length < 2)
			return a.join('');
		return a.slice(0, -1).join(', ') + (R.chance(0.3) ? ', and ' :
		    ' and ') + a[a.length - 1];
	}

	/* A value as it appears in running text: quoted half the time. */
	function qv(R, v) {
		return R.chance(0.5) ? (R.chance(0.85) ? '"' + v + '"' :
		    '\'' + v + '\'') : v;
	}
	G.qv = qv;
	G.lc = lc;
	G.joinAnd = joinAnd;

	/* ---------------------------------------------------------------- */
	/* buttons: buttons and links by text, card, ordinal, icon, goal.   */

	G.def('buttons', 'train', function (G) {
		var R = G.R, t = {}, bar, cards, names, i, c, lab, tgt = null;
		var cardTitles, cardBtn, icons, iconBar, k, pool, kind, ch, n;
		var ordBtns = [];

		ch = G.chrome({ maxNav: 8 });
		kind = R.weighted([[3, 'text'], [2, 'card'], [1.5, 'ordinal'],
		    [1.5, 'icon'], [2, 'goal']]);
		pool = R.shuffle(P.action);
		names = pool.slice(0, R.range(4, 12));
		bar = h('div', { style: 'margin:10px 0;display:flex;' +
		    'flex-wrap:wrap;gap:6px' });
		for (i = 0; i < names.length; i++)
			bar.appendChild(G.button(names[i], null,
			    { sec: R.chance(0.4), link: R.chance(0.2) }));
		cardTitles = R.sample(P.product.map(function (p) {
			return p[0];
		}).concat(P.topic.map(function (x) {
			return x[0].toUpperCase() + x.slice(1) + ' ' +
			    R.pick(P.noun);
		})), R.range(3, 6));
		cardBtn = R.pick(['Read more', 'View', 'Add', 'Details',
		    'Open', 'Select', 'Buy now', 'Learn more', 'Add to list',
		    'Download', 'Remove', 'Edit', 'Share']);
		cards = h('div.' + (R.chance(0.6) ? 'grid' : 'list'));
		for (i = 0; i < cardTitles.length; i++) {
			lab = G.button(cardBtn, null, { sec: R.chance(0.3) });
			ordBtns.push(lab);
			c = h('div.card', [h(R.pick(['h3', 'h4', 'strong']),
			    R.chance(0.5) ? G.link(cardTitles[i], null,
			    { impl: 'native' }) : cardTitles[i]),
			    G.filler(R.range(1, 3)), lab]);
			if (R.chance(0.3))
				c.appendChild(G.button(R.pick(['Share', 'Save',
				    'Like', 'Compare']), null, { sec: true }));
			cards.appendChild(c);
		}
		icons = R.sample(['close', 'settings', 'share', 'print', 'star',
		    'edit', 'del', 'search', 'download', 'bell', 'mail',
		    'user', 'home', 'flag', 'info', 'more'], R.range(3, 7));
		iconBar = h('div', { style: 'margin:8px 0' });
		var iconNames = {
			close: 'Close', settings: 'Settings', share: 'Share',
			print: 'Print', star: 'Favorite', edit: 'Edit',
			del: 'Delete', search: 'Search', download: 'Download',
			bell: 'Notifications', mail: 'Messages', user: 'Account',
			home: 'Home', flag: 'Report', info: 'Information',
			more: 'More options'
		};
		var iconEls = [];
		for (i = 0; i < icons.length; i++) {
			k = G.button(iconNames[icons[i]], null, { icon: icons[i],
			    impl: kind === 'icon' && G.impl !== 'listener' &&
			    G.impl !== 'role' ? 'icon' : R.chance(0.5) ?
			    'icon' : undefined, sec: true });
			iconEls.push(k);
			iconBar.appendChild(k);
		}
		G.mount([G.maybeCookieBar(), iconBar, h('p', G.brand + ' ' +
		    R.pick(['dashboard', 'workspace', 'home', 'portal'])), bar,
		    cards, R.chance(0.5) ? G.filler(R.range(3, 12)) : null], ch,
		    { title: R.chance(0.5) ? R.pick(P.word) + ' ' +
		    R.pick(P.noun) : null });

		function uniqueIn(list, el) {
			var j, m = 0;

			for (j = 0; j < list.length; j++)
				if (list[j].__label === el.__label)
					m++;
			return m === 1;
		}
		var all = Array.prototype.slice.call(document.querySelectorAll(
		    '*')).filter(function (e) {
			return e.__label;
		});
		if (kind === 'text') {
			var cand = all.filter(function (e) {
				/* Clutter goes when the task names it. */
				return uniqueIn(all, e) && e.__label !== cardBtn &&
				    iconEls.indexOf(e) < 0 && !e.closest(
				    '[data-clutter],[data-clutter-group]');
			});
			tgt = R.pick(cand);
			t.fill = { T: tgt.__label };
		} else if (kind === 'card') {
			n = R.int(ordBtns.length);
			tgt = ordBtns[n];
			t.fill = { B: cardBtn, C: cardTitles[n] };
		} else if (kind === 'ordinal') {
			n = R.int(Math.min(ordBtns.length, 5));
			if (R.chance(0.2))
				n = ordBtns.length - 1;
			tgt = ordBtns[n];
			t.fill = { B: cardBtn, ORD: n === ordBtns.length - 1 &&
			    R.chance(0.6) ? 'last' : P.ordinal[n],
			    ORDN: n === ordBtns.length - 1 && R.chance(0.5) ?
			    'last' : P.ordinalNum[n], N: String(n + 1) };
		} else if (kind === 'icon') {
			tgt = R.pick(iconEls);
			t.fill = { L: { text: lc(tgt.__label), quote: 0.1 } };
		} else {
			var navs = all.filter(function (e) {
				return uniqueIn(all, e) &&
				    G.navNames.indexOf(e.__label) >= 0;
			});
			tgt = navs.length ? R.pick(navs) : R.pick(all.filter(
			    function (e) {
				return uniqueIn(all, e);
			}));
			kind = navs.length ? 'goal' : 'text';
			t.fill = { T: tgt.__label };
		}
		t.kind = kind;
		t.templates = {
			text: ['Click {T}', 'Click the {T} button',
			    'Press {T}', 'Hit the {T} button', 'Tap {T}',
			    'Click on {T}', 'Select {T}', '{T}',
			    'Please click {T}', 'Can you press the {T} ' +
			    'button?', 'Find the {T} button and click it',
			    'I want to click {T}', 'Go ahead and press {T}',
			    'Use the {T} button', 'Push {T}',
			    'Activate {T}', 'Trigger {T}', 'Select the {T} option',
			    'Click {T} please', 'Just press {T}',
			    'Go with {T}', 'I\'d like to hit {T}',
			    'The {T} button, click it'],
			card: ['Click {B} on the {C} card', 'Press {B} for {C}',
			    'In the {C} section, click {B}',
			    'Click the {B} button under {C}', '{B} {C}',
			    'Hit {B} next to {C}', 'Choose {B} in the {C} box',
			    'For {C}, press {B}', 'Click {B} for the {C} item',
			    'Tap {B} on {C}'],
			ordinal: ['Click the {ORD} {B} button',
			    'Press {B} number {N}', 'Click the {ORD} {B}',
			    'Hit the {ORDN} {B} button',
			    'Select the {ORD} {B} link',
			    'Press the {ORD} of the {B} buttons',
			    'Click the {ORDN} {B}', 'Tap {B} #{N}',
			    'Choose the {ORDN} {B} in the list',
			    'There are several {B} buttons; press the {ORD}',
			    'Go for the {ORD} {B} one',
			    'Use {B} on item {N}'],
			icon: ['Click the {L} icon', 'Press the {L} icon button',
			    'Tap the {L} icon', 'Use the {L} icon',
			    'Click the icon for {L}', 'Hit the {L} button'],
			goal: ['Go to the {T} page', 'Take me to {T}',
			    'Open the {T} page', 'Navigate to {T}',
			    'Show me the {T} section', 'I need the {T} page',
			    'Visit {T}', 'Follow the {T} link']
		};
		t.goals = [G.gClick(tgt, function () {
			return G.clicks.indexOf(tgt) >= 0;
		}, 'target')];
		t.done = t.goals[0].sat;
		return t;
	});

	/* ---------------------------------------------------------------- */
	/* form: forms of many fields.                                      */

	/* Field kinds with value makers. */
	function fieldKinds(R) {
		var fn = R.pick(P.first), ln = R.pick(P.last);

		return [
			['First name', fn], ['Last name', ln],
			['Full name', fn + ' ' + ln],
			['Email', (fn + '.' + ln).toLowerCase() + '@' +
			    R.pick(P.domain)],
			['Phone', R.chance(0.5) ? '555-' + R.range(1000, 9999) :
			    R.range(200, 989) + '-555-' + R.range(1000, 9999)],
			['Address', R.range(1, 999) + ' ' + R.pick(P.street)],
			['City', R.pick(P.city)],
			['Zip code', String(R.range(10000, 99999))],
			['Company', R.pick(P.company)],
			['Job title', R.pick(P.job)],
			['Website', 'www.' + R.pick(P.company).toLowerCase()
			    .replace(/ /g, '') + '.com'],
			['Age', String(R.range(18, 80))],
			['Username', fn.toLowerCase() + R.range(1, 99)],
			['Nickname', R.pick(P.word) + R.pick(P.noun)],
			['Country', R.pick(['France', 'Germany', 'Canada',
			    'Japan', 'Brazil', 'Kenya', 'Spain', 'India',
			    'Mexico', 'Norway'])],
			['Message', R.pick(['Please call me back',
			    'Need help with my order', 'Great service',
			    'See you on Monday', 'Thanks for the quick reply'])]
		];
	}

	/* "label value" pairs in one of several styles. */
	function pairText(R, label, v, style) {
		var l = lc(label);

		switch (style) {
		case 0:
			return l + ' ' + qv(R, v);
		case 1:
			return l + ': ' + qv(R, v);
		case 2:
			return qv(R, v) + ' as ' + R.pick(['', 'the ', 'my ']) + l;
		case 3:
			return l + ' set to ' + qv(R, v);
		case 4:
			return qv(R, v) + ' for ' + R.pick(['', 'the ']) + l;
		default:
			return R.pick(['the ', '']) + l + ' ' + qv(R, v);
		}
	}
	G.pairText = pairText;

	/* Option controls of forms: label, switch, wording of on and off. */
	var OPTION_CONTROLS = [
		{ label: 'Subscribe to the newsletter', on: ['subscribe to ' +
		    'the newsletter', 'check subscribe to the newsletter',
		    'sign me up for the newsletter'], off: ['do not ' +
		    'subscribe to the newsletter', 'uncheck the newsletter ' +
		    'box', 'no newsletter'] },
		{ label: 'Send me special offers', on: ['tick send me ' +
		    'special offers', 'I want special offers'], off: ['untick ' +
		    'send me special offers', 'no special offers'] },
		{ label: 'I agree to the terms', on: ['accept the terms',
		    'check I agree to the terms', 'agree to the terms'],
		    off: ['uncheck I agree to the terms'] },
		{ label: 'Remember my details', on: ['remember my details',
		    'check remember my details'], off: ['do not remember my ' +
		    'details', 'uncheck remember my details'] },
		{ label: 'Make my profile public', on: ['make my profile ' +
		    'public', 'check make my profile public'], off: ['keep my ' +
		    'profile private', 'uncheck make my profile public'] },
		{ label: 'Email notifications', sw: true, on: ['turn on email ' +
		    'notifications', 'enable email notifications'],
		    off: ['turn off email notifications', 'disable email ' +
		    'notifications'] },
		{ label: 'Two-factor authentication', sw: true, on: ['enable ' +
		    'two-factor authentication', 'switch on two-factor ' +
		    'authentication'], off: ['disable two-factor ' +
		    'authentication', 'switch off two-factor authentication'] },
		{ label: 'Contact method', radio: ['Email', 'Phone', 'Text'] },
		{ label: 'Account type', radio: ['Personal', 'Business'] },
		{ label: 'Plan', radio: ['Basic', 'Standard', 'Premium'] }
	];

	/*
	 * A number set in the middle of the task ("Set the guests to 6 for
	 * the booking", "Scale the recipe to 4 servings", "Change the
	 * quantity of the blue mug to 3") on a page full of other numbers
	 * and of the task's other words: a booking, a recipe, a cart.
	 */
	var AMOUNT_TPL = {
		guests: ['Set the guests to {N} for the {BK}',
		    'Change the number of guests to {N}',
		    'Make the {BK} for {N} guests',
		    'Update the {BK} to {N} guests',
		    'We are {N} guests; change the {BK}',
		    'Set {N} as the number of guests on the {BK}',
		    'The {BK} should be for {N} guests',
		    'Put {N} in the guests field of the {BK}',
		    'Change the guests on my {BK} to {N}',
		    'Guests: {N}',
		    'Change the guest count to {N} for this {BK}',
		    'Adjust the {BK} so it has {N} guests',
		    'I need the {BK} for {N} guests, please',
		    'Enter {N} guests for the {BK}',
		    'Set the party size of the {BK} to {N} guests',
		    'Book for {N} guests instead',
		    'Type {N} as the guest count for the {BK}',
		    'Switch the {BK} to {N} guests',
		    'Our group is {N} guests; update the {BK}',
		    'Edit the {BK}: {N} guests',
		    'Let the {BK} be for {N} guests',
		    'Please set guests to {N} on the {BK}'],
		servings: ['Scale the recipe to {N} servings',
		    'Change the servings to {N}',
		    'Make the {RC} for {N} people',
		    'Set the recipe to {N} servings',
		    'Adjust the {RC} to serve {N}',
		    'I am cooking for {N}; scale the recipe',
		    'Update the servings of the {RC} to {N}',
		    'Servings: {N}',
		    'Resize the recipe for {N} servings',
		    'Put {N} in the servings field',
		    'The {RC} should make {N} servings',
		    'Scale the {RC} up or down to {N} servings',
		    'Enter {N} servings for the recipe',
		    'Cook the {RC} for {N}: set the servings',
		    'Recalculate the recipe for {N} servings',
		    'Set servings to {N} on the {RC} recipe',
		    'Type {N} as the number of servings',
		    'Change the recipe so it serves {N}',
		    'We will be {N} at dinner; scale the {RC}',
		    'Make {N} servings of the {RC}',
		    'Let the recipe yield {N} servings',
		    'Please scale the {RC} recipe to {N} servings'],
		qty: ['Change the quantity of the {IT} to {N}',
		    'Set the {IT} quantity to {N}',
		    'I want {N} of the {IT}',
		    'Make it {N} {IT} in the cart',
		    'Update the {IT} to a quantity of {N}',
		    'Change the {IT} to {N} in my cart',
		    'Set the quantity for the {IT} to {N}',
		    'Order {N} of the {IT} instead',
		    'Put {N} as the quantity of the {IT}',
		    'The cart should have {N} of the {IT}',
		    'Type {N} in the quantity of the {IT}',
		    'Adjust the {IT} quantity to {N}',
		    'Increase or decrease the {IT} to {N}',
		    'Quantity of the {IT}: {N}',
		    'Change how many {IT} I get to {N}',
		    'For the {IT}, set the quantity to {N}',
		    'Edit the quantity of the {IT} in the cart to {N}',
		    'Make the {IT} line {N}',
		    'Update my cart: {N} of the {IT}',
		    'I need {N} of the {IT}, not more',
		    'Set {N} for the {IT} quantity',
		    'Please change the {IT} quantity to {N}']
	};

	function amountPage(G, R, t) {
		var f, others = [], c = [], kind, cur, n, sum, items, i, upd;
		var status = h('div.status'), bk, rc;

		kind = R.pick(['guests', 'servings', 'qty']);
		function num(lo, hi, not) {
			var x;

			do {
				x = R.range(lo, hi);
			} while (not.indexOf(x) >= 0);
			return x;
		}
		if (kind === 'guests') {
			bk = R.pick(['booking', 'reservation', 'table booking',
			    'room booking']);
			cur = R.range(1, 6);
			n = num(2, 12, [cur]);
			c.push(h('h2', R.pick(['Your booking', 'Reservation',
			    'Edit booking', 'Trip details', 'Book a table'])));
			sum = h('p.muted');
			c.push(h('div', [h('strong', R.pick(['Harbor Inn',
			    'Grand Hotel', 'Olive Tree Bistro', 'Maple Lodge',
			    'Riverside Suites', 'Casa Verde'])), ' · ' +
			    P.monthShort[R.int(12)] + ' ' + R.range(1, 28)]),
			    sum);
			f = G.field(R.pick(['Guests', 'Number of guests',
			    'Guests (adults)']), { value: String(cur),
			    type: R.chance(0.5) ? 'number' : 'text' });
			others.push(G.field(R.pick(['Nights', 'Rooms',
			    'Children']), { value: String(R.range(0, 4)),
			    type: f.el.type }));
			if (R.chance(0.5))
				others.push(G.field(R.pick(['Time', 'Arrival time']),
				    { value: R.range(5, 9) + ':' + R.pick(['00',
				    '30']) + ' pm' }));
		} else if (kind === 'servings') {
			rc = R.pick(['lemon pasta', 'chicken curry',
			    'banana bread', 'tomato soup', 'veggie chili',
			    'pancakes', 'mushroom risotto', 'apple pie']);
			cur = R.pick([2, 4, 6]);
			n = num(1, 12, [cur]);
			c.push(h('h2', rc[0].toUpperCase() + rc.slice(1)));
			sum = h('p.muted');
			f = G.field(R.pick(['Servings', 'Number of servings',
			    'Serves']), { value: String(cur), type:
			    R.chance(0.5) ? 'number' : 'text' });
			others.push(G.field(R.pick(['Timer (minutes)',
			    'Oven temperature', 'Rating']), { value:
			    String(R.range(3, 45)) }));
			items = R.sample(['200 g pasta', '2 tbsp olive oil',
			    '3 cloves garlic', '1 lemon', '4 eggs', '2 cups flour',
			    '500 ml milk', '1 tsp salt', '3 tomatoes',
			    '250 g rice', '1 onion', '2 carrots', '100 g butter'],
			    R.range(3, 7));
			c.push(sum, h('h3', 'Ingredients'), h('ul', items.map(
			    function (x) {
				return h('li', x);
			    })), h('p.muted', 'Prep ' + R.range(5, 30) +
			    ' min · Cook ' + R.range(10, 60) + ' min'));
		} else {
			items = R.sample(P.product, R.range(3, 5)).map(
			    function (p) {
				return { name: R.pick(P.color) + ' ' + p[0],
				    price: p[2], q: R.range(1, 3) };
			    });
			i = R.int(items.length);
			cur = items[i].q;
			n = num(1, 9, [cur]);
			c.push(h('h2', R.pick(['Your cart', 'Shopping cart',
			    'Basket'])));
			items.forEach(function (it, j) {
				var q = G.field(R.pick(['Quantity', 'Qty']), {
					value: String(it.q), style: R.pick(['aria',
					    'left', 'above', 'placeholder']),
					type: R.chance(0.5) ? 'number' : 'text' });

				q.el.style.width = '4em';
				if (j === i)
					f = q;
				else
					others.push(q);
				c.push(h('div', { style: 'display:flex;gap:14px;' +
				    'align-items:center;flex-wrap:wrap' },
				    [h('strong', it.name), h('span', '$' +
				    it.price), q.wrap, h('span', '$' + it.price *
				    it.q)]));
			});
			sum = h('p.price');
			t.fill = { IT: { text: R.chance(0.5) ?
			    items[i].name.toLowerCase() : items[i].name,
			    quote: 0.1 } };
		}
		function show() {
			if (kind === 'guests')
				sum.textContent = f.get() + ' guests · ' +
				    others[0].get() + ' ' + others[0].label
				    .toLowerCase() + ' · $' + R.range(80, 900) +
				    ' total';
			else if (kind === 'servings')
				sum.textContent = 'Serves ' + f.get() + ' · ' +
				    R.range(200, 800) + ' kcal per serving';
			else
				sum.textContent = 'Subtotal: $' + R.range(20, 400);
		}
		show();
		c.splice(kind === 'qty' ? c.length : 2, 0, f.wrap);
		others.forEach(function (o) {
			if (kind !== 'qty')
				c.push(o.wrap);
		});
		upd = G.button(R.pick(['Update', 'Save', 'Apply',
		    'Recalculate']), function () {
			show();
			status.textContent = 'Updated.';
		}, { sec: R.chance(0.5) });
		c.push(sum.isConnected ? null : sum, upd, status);
		G.mount([G.maybeCookieBar(), h('div.card', c), R.chance(0.4) ?
		    G.distractors(R.range(1, 3), [upd]) : null], null, {});
		t.kind = kind;
		t.fill = t.fill || {};
		t.fill.N = { text: String(n), value: true, quote: 0.15 };
		t.fill.BK = { text: bk || '', quote: 0 };
		t.fill.RC = { text: rc || '', quote: 0 };
		t.fill.IT = t.fill.IT || { text: '', quote: 0 };
		t.templates = AMOUNT_TPL;
		t.goals = [[G.gType(f, String(n))]];
		t.done = function () {
			return f.get() === String(n);
		};
		return t;
	}

	G.def('form', 'train', function (G) {
		var R = G.R, t = {}, kinds, fs = [], form, i, n, want, sub;
		var snap = null, status, kind, pairs, k, box, prefill;
		var snapOpt = null;

		if (R.chance(0.25))
			return amountPage(G, R, t);
		kinds = R.sample(fieldKinds(R), R.range(3, 8));
		kind = R.weighted([[3, 'fill'], [2, 'one'], [1.5, 'update']]);
		form = h('form', { onsubmit: null });
		form.addEventListener('submit', function (ev) {
			ev.preventDefault();
		});
		for (i = 0; i < kinds.length; i++) {
			prefill = kind === 'update' || R.chance(0.15) ?
			    fieldKinds(R)[R.int(16)][1] : '';
			fs.push(G.field(kinds[i][0], { value: prefill,
			    textarea: kinds[i][0] === 'Message' }));
			form.appendChild(fs[i].wrap);
		}
		/* Checkboxes, switches and radios, as real forms have. */
		var opts = [], optWant = null;
		if (kind === 'fill' && R.chance(0.6))
			opts = R.sample(OPTION_CONTROLS, R.range(1, 2)).map(
			    function (o) {
				var c;

				if (o.radio) {
					var name = G.uid('r'), init = R.int(
					    o.radio.length + 1), grp;

					grp = o.radio.map(function (x, j) {
						return G.checkbox(x, { radio: true,
						    name: name, checked: j === init });
					});
					form.appendChild(h('fieldset', [h('legend',
					    o.label)].concat(grp.map(function (x) {
						return x.wrap;
					}))));
					return { o: o, grp: grp };
				}
				c = G.checkbox(o.label, { 'switch': o.sw,
				    checked: R.chance(0.5) });
				form.appendChild(c.wrap);
				return { o: o, c: c };
			});
		sub = R.pick(['Submit', 'Save', 'Send', 'Continue',
		    'Save changes', 'Update', 'Register', 'Apply', 'Next',
		    'Done', 'Confirm']);
		status = h('div.status');
		box = h('div', [G.button(sub, function () {
			snap = fs.map(function (f) {
				return f.get();
			});
			snapOpt = optWant === null ? null : optWant.get();
			status.textContent = R.pick(['Saved.', 'Thank you!',
			    'Form submitted.', 'Your details were sent.']);
		}, { submit: true }), R.chance(0.6) ? G.button(R.pick(['Cancel',
		    'Reset', 'Clear', 'Back']), function () {
			if (R.chance(0.5))
				fs.forEach(function (f) {
					f.set('');
				});
		}, { sec: true }) : null]);
		form.appendChild(box);
		form.appendChild(status);
		G.mount([G.maybeCookieBar(), h('div.card', [h('h2',
		    R.pick(['Contact us', 'Your details', 'Profile',
		    'Registration', 'Application form', 'Account settings',
		    'Shipping details', 'Get in touch', 'Request a quote'])),
		    form]), R.chance(0.4) ? G.distractors(R.range(1, 4),
		    [sub]) : null], null, {});

		/* The fields to fill, in instruction order. */
		n = kind === 'fill' ? R.range(1, Math.min(4, fs.length)) : 1;
		want = R.sample(fs.map(function (f, j) {
			return j;
		}), n);
		if (kind === 'update')
			want = [want[0]];
		var vals = {};
		for (i = 0; i < want.length; i++) {
			k = kinds[want[i]][1];
			if (kind === 'update' && fs[want[i]].get() === k)
				k = fieldKinds(R)[want[i] % 16][1];
			if (fs[want[i]].get() === k)
				k = k + '2';
			vals[want[i]] = k;
		}
		var st = R.int(6);
		pairs = want.map(function (j) {
			return pairText(R, kinds[j][0], vals[j], st);
		});
		/* One of the option controls wanted in some state. */
		if (opts.length > 0 && R.chance(0.8)) {
			var oc = R.pick(opts), ph;

			if (oc.grp) {
				var ri = R.int(oc.grp.length);

				if (oc.grp[ri].get())
					ri = (ri + 1) % oc.grp.length;
				optWant = { get: function () {
					return oc.grp[ri].get();
				}, goal: G.gCheck(oc.grp[ri], true) };
				ph = R.pick(['choose ' + oc.o.radio[ri] + ' as ' +
				    lc(oc.o.label), 'select ' + oc.o.radio[ri] +
				    ' for ' + lc(oc.o.label), lc(oc.o.label) + ' ' +
				    oc.o.radio[ri], 'pick ' + oc.o.radio[ri]]);
			} else {
				var on = R.chance(0.75) ? !oc.c.get() : oc.c.get();

				optWant = { get: function () {
					return oc.c.get() === on;
				}, goal: G.gCheck(oc.c, on) };
				ph = on ? R.pick(oc.o.on) : R.pick(oc.o.off);
			}
			pairs.splice(R.int(pairs.length + 1), 0, ph);
		}
		t.kind = kind;
		t.fill = {
			PAIRS: { text: joinAnd(pairs, R), quote: 0 },
			S: sub,
			L: { text: lc(kinds[want[0]][0]), quote: 0.05 },
			V: { text: vals[want[0]], value: true }
		};
		t.templates = {
			fill: ['Fill in {PAIRS} and click {S}',
			    'Enter {PAIRS}, then press {S}',
			    'Complete the form with {PAIRS}, then submit',
			    'Please fill out the form: {PAIRS}. Hit {S}',
			    'Use {PAIRS} and submit the form',
			    '{PAIRS}, then {S}',
			    'Type {PAIRS} and press {S}',
			    'Put {PAIRS} in the form and submit it',
			    'Fill the form ({PAIRS}) and click the {S} button',
			    'I need the form filled with {PAIRS}; then click {S}',
			    'Set {PAIRS}, and finish with {S}',
			    'Submit the form with {PAIRS}',
			    'Provide {PAIRS}, then hit {S}',
			    'Key in {PAIRS} and send the form with {S}',
			    'The form needs {PAIRS}; submit it',
			    'Enter the details {PAIRS} and press {S}',
			    'Write {PAIRS} into the form, then {S}'],
			one: ['Type {V} into the {L} field', 'Enter {V} in {L}',
			    'Fill {L} with {V}', 'Put {V} in the {L} box',
			    '{L}: {V}', 'Set the {L} to {V}',
			    'Write {V} as your {L}', 'Input {V} into {L}',
			    'My {L} is {V}', 'Use {V} for the {L}',
			    'Type {V} in the {L} input',
			    'Key {V} into the {L} field', '{L} should be {V}',
			    'Put down {V} as {L}', 'Fill in the {L}: {V}',
			    'Provide {V} for {L}'],
			update: ['Change the {L} to {V} and save',
			    'Update {L} to {V}, then click {S}',
			    'Replace the {L} with {V} and press {S}',
			    'My {L} changed to {V}, please update it and ' +
			    'click {S}', 'Edit the {L} field to say {V} and ' +
			    'submit', 'Correct the {L}: it should be {V}. ' +
			    'Then {S}']
		};
		t.goals = [want.map(function (j) {
			return G.gType(fs[j], vals[j]);
		})];
		if (optWant !== null)
			t.goals[0].push(optWant.goal);
		function snapOk() {
			return snap !== null && want.every(function (j) {
				return snap[j] === vals[j];
			}) && (optWant === null || snapOpt === true);
		}
		if (kind !== 'one')
			t.goals.push(G.gClick(box.firstChild, snapOk, 'submit'));
		t.done = kind === 'one' ? function () {
			return t.goals[0][0].sat();
		} : snapOk;
		return t;
	});

	/* ---------------------------------------------------------------- */
	/* login: log in, sign up, reset the password.                      */

	function password(R) {
		return R.pick(P.word) + R.range(10, 999) + (R.chance(0.4) ?
		    R.pick(['Fox', 'Moon', 'Star', 'Rock', 'Tree', 'Bay']) : '');
	}

	/* A newsletter or promo popup in front of the page (a blocker). */
	function popup(G, R) {
		var ov, dlg, close, no;

		close = G.button('Close', null, { icon: 'close', sec: true });
		no = G.button(R.pick(['No thanks', 'Maybe later', 'Not now',
		    'Dismiss']), null, { sec: true, link: R.chance(0.4) });
		dlg = h('div.dialog', { role: R.chance(0.7) ? 'dialog' : null,
		    'aria-modal': 'true' }, [h('div', { style: 'position:' +
		    'absolute;right:8px;top:8px' }, close), h('h3',
		    R.pick(['Join our newsletter', 'Get 10% off',
		    'Before you go', 'Special offer', 'Stay in touch'])),
		    h('p', R.pick(['Sign up for deals and news.',
		    'Subscribe to hear about new products.',
		    'Enter your email to get a discount.'])),
		    G.field('Your email', { style: 'placeholder' }).wrap,
		    G.button(R.pick(['Subscribe', 'Sign me up', 'Get offer']),
		    null), no]);
		ov = h('div.overlay', dlg);
		function shut() {
			ov.remove();
		}
		close.addEventListener('click', shut);
		no.addEventListener('click', shut);
		G.blockers.push({
			el: ov,
			isOpen: function () {
				return ov.isConnected;
			},
			dismiss: function () {
				var a = G.click(R.chance(0.5) ? close : no,
				    'dismiss the popup');

				a.alts = [close, no];
				return a;
			}
		});
		return ov;
	}
	G.popup = popup;

	G.def('login', 'train', function (G) {
		var R = G.R, t = {}, kind, fn, ln, user, pw, email, rem, card;
		var f = {}, view, views = {}, loginDone = null, signed = null;
		var reset = null, remWanted, useEmail, status, terms, tgo;

		fn = R.pick(P.first);
		ln = R.pick(P.last);
		email = (fn[0] + ln).toLowerCase() + R.range(1, 99) + '@' +
		    R.pick(P.domain);
		useEmail = R.chance(0.4);
		user = useEmail ? email : (fn + R.pick(['', '.', '_']) + ln)
		    .toLowerCase() + (R.chance(0.5) ? R.range(1, 99) : '');
		pw = password(R);
		kind = R.weighted([[4, 'login'], [2.5, 'signup'], [1, 'reset']]);
		remWanted = kind === 'login' && R.chance(0.35);
		status = h('div.status');

		/* Login view. */
		f.user = G.field(useEmail ? R.pick(['Email', 'Email address']) :
		    R.pick(['Username', 'User name', 'Login']), {});
		f.pw = G.field('Password', { type: 'password' });
		rem = G.checkbox(R.pick(['Remember me', 'Keep me signed in',
		    'Stay logged in']), {});
		var forgot = G.link(R.pick(['Forgot password?',
		    'Forgot your password?', 'Reset password']), function () {
			show('reset');
		});
		var toSignup = G.link(R.pick(['Create account', 'Sign up',
		    'Register', 'New here? Join']), function () {
			show('signup');
		});
		var loginBtn = G.button(R.pick(['Sign in', 'Log in', 'Login',
		    'Continue']), function () {
			loginDone = { u: f.user.get(), p: f.pw.el.value,
			    r: rem.get() };
			status.textContent = loginDone.u === user &&
			    loginDone.p === pw ? 'Welcome back!' :
			    'Invalid username or password.';
		}, { submit: true });
		views.login = h('div', [h('h2', R.pick(['Sign in', 'Log in',
		    'Welcome back', 'Member login'])), f.user.wrap, f.pw.wrap,
		    rem.wrap, loginBtn, h('div', [forgot, ' ', toSignup])]);

		/* Signup view. */
		f.name = G.field(R.pick(['Full name', 'Name', 'Your name']), {});
		f.email = G.field(R.pick(['Email', 'Email address']), {});
		f.spw = G.field(R.pick(['Password', 'Choose a password']),
		    { type: 'password' });
		f.spw2 = G.field(R.pick(['Confirm password',
		    'Repeat password']), { type: 'password' });
		terms = G.checkbox(R.pick(['I agree to the terms',
		    'I accept the terms and conditions',
		    'Accept terms of service']), {});
		var signBtn = G.button(R.pick(['Create account', 'Sign up',
		    'Register', 'Join now']), function () {
			if (!terms.get()) {
				status.textContent = 'Please accept the terms.';
				return;
			}
			signed = { n: f.name.get(), e: f.email.get(),
			    p: f.spw.el.value, p2: f.spw2.el.value };
			status.textContent = 'Account created.';
		}, { submit: true });
		var toLogin = G.link(R.pick(['Back to sign in',
		    'Already have an account? Log in']), function () {
			show('login');
		});
		views.signup = h('div', [h('h2', 'Create your account'),
		    f.name.wrap, f.email.wrap, f.spw.wrap, f.spw2.wrap,
		    terms.wrap, signBtn, h('div', toLogin)]);

		/* Reset view. */
		f.remail = G.field(R.pick(['Email', 'Email address',
		    'Your email']), {});
		var resetBtn = G.button(R.pick(['Send reset link',
		    'Reset password', 'Send link', 'Email me']), function () {
			reset = f.remail.get();
			status.textContent = 'If the address is known, a link ' +
			    'was sent.';
		}, { submit: true });
		var back = G.link(R.pick(['Back to sign in', 'Cancel']),
		    function () {
			show('login');
		});
		views.reset = h('div', [h('h2', 'Reset your password'),
		    f.remail.wrap, resetBtn, h('div', back)]);

		card = h('div.card', { style: 'max-width:420px' }, [views.login,
		    views.signup, views.reset, status]);
		function show(v) {
			var k;

			view = v;
			for (k in views)
				views[k].classList.toggle('hidden', k !== v);
			status.textContent = '';
		}
		show(kind === 'signup' && R.chance(0.5) ? 'signup' : 'login');
		/*
		 * Now and then a landing page first: the form is reached by
		 * the header's account link.
		 */
		var landing = null, acct = null;

		if (R.chance(0.3)) {
			acct = G.link(kind === 'signup' && view === 'signup' &&
			    R.chance(0.5) ? R.pick(['Sign up', 'Register',
			    'Create account', 'Join']) : R.pick(['Sign in',
			    'Log in', 'My account', 'Account', 'Login',
			    'Sign in / Register']), function () {
				if (landing)
					landing.classList.add('hidden');
				card.classList.remove('hidden');
			}, { impl: R.chance(0.7) ? 'native' : undefined,
			    icon: 'user' });
			landing = h('section', [h('h1', R.pick(['The ',
			    'Your ', 'A ']) + R.pick(P.word) + ' ' +
			    R.pick(['way to work', 'home for your ideas',
			    'place to shop', 'platform for teams',
			    'app for everything'])), h('p', R.pick(['Simple',
			    'Smart', 'Fast', 'Secure', 'Modern', 'Creative']) +
			    ' ' + R.pick(P.noun) + ' and ' + R.pick(P.word) +
			    ' ' + R.pick(P.noun) + ', all in one place.'),
			    G.button(R.pick(['Learn more', 'Take the tour',
			    'See pricing', 'Watch the video']), null),
			    h('div.grid', R.sample(P.noun, 3).map(function (x) {
				return h('div.card', [h('h3', x[0].toUpperCase() +
				    x.slice(1)), G.filler(R.range(1, 3))]);
			    }))]);
			card.classList.add('hidden');
			/* The form is reached from the header only. */
			G.revealer(card, function () {
				return G.click(acct, 'open the sign-in form');
			});
		}
		/*
		 * A real site's header over the form, now and then: its own
		 * search box, a sign-in link (to the form the page shows
		 * anyway), help and a cart.  Credentials go into the form,
		 * never into the header's search box.
		 */
		var extra = [acct];

		if (R.chance(0.6)) {
			var hs = G.field(R.pick(['Search', 'Search the site',
			    'Search products', 'What are you looking for?']), {
				style: R.pick(['placeholder', 'aria',
				    'placeholder']), name: R.pick(['q', 'search']),
				type: R.chance(0.5) ? 'search' : 'text' });

			hs.el.size = R.range(14, 24);
			extra.push(h('span', { style: 'display:flex;gap:4px;' +
			    'align-items:center' }, [hs.wrap, R.chance(0.6) ?
			    G.button('Search', null, { icon: 'search',
			    sec: true }) : null]));
		}
		if (!acct && R.chance(0.6))
			extra.push(G.link(R.pick(['Sign in', 'Log in',
			    'Sign in / Register', 'My account']), function () {
				show('login');
			}, { impl: R.chance(0.7) ? 'native' : undefined,
			    icon: 'user' }));
		if (R.chance(0.5))
			extra.push(G.link('Help', null, { impl: 'native' }));
		if (R.chance(0.5))
			extra.push(G.button(R.pick(['Cart', 'Basket',
			    'Shopping cart']), null, { icon: 'cart',
			    impl: R.chance(0.7) ? 'icon' : undefined,
			    link: R.chance(0.5) }));
		extra = R.shuffle(extra);
		G.mount([landing, card, R.chance(0.3) ? G.distractors(R.range(1,
		    3), ['Sign in', 'Log in', 'Sign up', 'Register']) :
		    null, R.chance(0.25) ? popup(G, R) : G.maybeCookieBar()],
		    null, { avoid: ['Sign up', 'Log in', 'Account', 'Profile',
		    'Dashboard', 'Help'], extra: extra });

		t.kind = kind;
		t.fill = {
			U: { text: user, value: true },
			PW: { text: pw, value: true },
			N: { text: fn + ' ' + ln, value: true },
			E: { text: email, value: true },
			REM: remWanted ? R.pick([' and keep me signed in',
			    ', remember me', ' and tick remember me',
			    ' (stay logged in)']) : ''
		};
		if (remWanted)
			t.fill.REM = { text: t.fill.REM, quote: 0 };
		else
			t.fill.REM = { text: '', quote: 0 };
		t.templates = {
			login: ['Log in as {U} with password {PW}{REM}',
			    'Sign in with username {U} and password {PW}{REM}',
			    'Login: {U} / {PW}{REM}',
			    'Use {U} and {PW} to log in{REM}',
			    'Sign into my account ({U}, password {PW}){REM}',
			    'Enter username {U}, password {PW} and sign in{REM}',
			    'Log me in{REM}. User: {U}, pass: {PW}',
			    'Authenticate as {U} using the password {PW}{REM}',
			    'Please sign in as {U}; my password is {PW}{REM}',
			    'Log into the site with {U} and password {PW}{REM}',
			    'Access the account {U} with password {PW}{REM}',
			    'Username {U}, password {PW}: log in{REM}',
			    'Log on with {U} / {PW}{REM}',
			    'Enter my credentials ({U} and {PW}) and sign in{REM}',
			    'Sign in{REM}: the user is {U} and the password {PW}'],
			signup: ['Create an account for {N} with email {E} and ' +
			    'password {PW}',
			    'Sign up as {N}, {E}, password {PW}, and accept ' +
			    'the terms',
			    'Register {N} ({E}) with the password {PW}',
			    'Make a new account: name {N}, email {E}, ' +
			    'password {PW}',
			    'Join with name {N}, email address {E} and ' +
			    'password {PW}',
			    'I want to sign up. Name: {N}. Email: {E}. ' +
			    'Password: {PW}.',
			    'Open an account for {N} using {E} and {PW}',
			    'Register as {N} with {E}, choose {PW} as the ' +
			    'password and agree to the terms',
			    'Create a profile: {N}, {E}, password {PW}',
			    'Sign {N} up with the email {E} and the password {PW}',
			    'New account please. Name {N}, email {E}, ' +
			    'password {PW}; accept the terms'],
			reset: ['I forgot my password; send a reset link to {E}',
			    'Reset the password for {E}',
			    'Request a password reset for {E}',
			    'Recover my account, email {E}',
			    'Send a password reset email to {E}',
			    'I can\'t log in; reset the password of {E}',
			    'Use forgot password for {E}']
		};
		function inView(v, g) {
			return G.goal(g.sat, function () {
				if (view !== v) {
					if (v === 'login')
						return G.click(view === 'signup' ?
						    toLogin : back, 'to login');
					if (view !== 'login')
						return G.click(view === 'signup' ?
						    toLogin : back, 'to login');
					return G.click(v === 'signup' ? toSignup :
					    forgot, 'to ' + v);
				}
				return g.next();
			});
		}
		if (kind === 'login') {
			tgo = function () {
				return loginDone !== null && loginDone.u === user &&
				    loginDone.p === pw &&
				    (!remWanted || loginDone.r);
			};
			t.goals = [[inView('login', G.gType(f.user, user)),
			    inView('login', G.goal(function () {
				return f.pw.el.value === pw;
			}, function () {
				return G.type(f.pw.el, pw);
			}))]];
			if (remWanted)
				t.goals[0].push(inView('login', G.gCheck(rem,
				    true)));
			t.goals.push(inView('login', G.gClick(loginBtn, tgo)));
		} else if (kind === 'signup') {
			tgo = function () {
				return signed !== null && signed.n === fn + ' ' +
				    ln && signed.e === email && signed.p === pw &&
				    signed.p2 === pw;
			};
			t.goals = [[inView('signup', G.gType(f.name, fn + ' ' +
			    ln)), inView('signup', G.gType(f.email, email)),
			    inView('signup', G.goal(function () {
				return f.spw.el.value === pw;
			}, function () {
				return G.type(f.spw.el, pw);
			})), inView('signup', G.goal(function () {
				return f.spw2.el.value === pw;
			}, function () {
				return G.type(f.spw2.el, pw);
			}))], inView('signup', G.gCheck(terms, true)),
			    inView('signup', G.gClick(signBtn, tgo))];
		} else {
			tgo = function () {
				return reset === email;
			};
			t.goals = [inView('reset', G.gType(f.remail, email)),
			    inView('reset', G.gClick(resetBtn, tgo))];
		}
		t.done = tgo;
		return t;
	});

	/* ---------------------------------------------------------------- */
	/* search: a search box, results, pages.                            */

	G.def('search', 'train', function (G) {
		var R = G.R, t = {}, kind, q, box, btn, res, pager, cur = null;
		var page = 1, opened = null, want, wantPage, titles = {};
		var qs, sform, bform;

		qs = P.product.map(function (p) {
			return p[0].toLowerCase();
		}).concat(P.city.map(function (c) {
			return 'hotels in ' + c;
		}), P.topic.map(function (x) {
			return x + ' ' + R.pick(P.noun);
		}), ['cheap flights', 'vegan recipes', 'python tutorial',
		    'weather tomorrow', 'used cars', 'best laptops',
		    'yoga classes', 'pizza near me', 'jazz concerts',
		    'science fiction books', 'gardening tools']);
		q = R.pick(qs);
		if (R.chance(0.3))
			q = q[0].toUpperCase() + q.slice(1);
		kind = R.weighted([[3, 'search'], [3, 'open'], [1, 'page']]);
		box = G.field(R.pick(['Search', 'Search the site',
		    'What are you looking for?', 'Keywords']), {
			type: R.chance(0.5) ? 'search' : 'text',
			style: R.pick(['placeholder', 'aria', 'placeholder',
			    'left']), name: R.pick(['q', 'query', 'search', 's'])
		});
		btn = G.button(R.pick(['Search', 'Go', 'Find']), function () {
			cur = box.get();
			page = 1;
			opened = null;
			render();
		}, { icon: 'search', submit: true });
		res = h('div.list');
		pager = h('div', { style: 'margin:12px 0' });
		function titlesFor(query, p) {
			var key = query + '/' + p, a = [], j, Rq;

			if (titles[key])
				return titles[key];
			Rq = new (G.R.constructor)(key);
			for (j = 0; j < 8; j++)
				a.push(Rq.pick([query + ' ' + Rq.pick(P.noun),
				    Rq.pick(['Best', 'Top', 'Cheap', 'Local',
				    'Popular', 'New']) + ' ' + query,
				    query + ': ' + Rq.pick(P.word) + ' ' +
				    Rq.pick(P.noun), Rq.pick(P.company) + ' ' +
				    query, query + ' in ' + Rq.pick(P.city)]) +
				    (Rq.chance(0.3) ? ' (' + (2015 +
				    Rq.int(10)) + ')' : ''));
			titles[key] = a;
			return a;
		}
		var resEls = [];
		function render() {
			var a, j, el;

			res.textContent = '';
			pager.textContent = '';
			resEls = [];
			if (cur === null)
				return;
			if (cur === '') {
				res.appendChild(h('p', 'Type something to ' +
				    'search.'));
				return;
			}
			res.appendChild(h('p.muted', 'Results for "' + cur +
			    '" - page ' + page));
			a = titlesFor(cur, page);
			for (j = 0; j < a.length; j++)
				(function (j) {
					el = G.link(a[j], function () {
						opened = { q: cur, p: page, i: j };
					}, { impl: R.chance(0.85) ? 'native' :
					    undefined });
					resEls.push(el);
					res.appendChild(h('div', [h('div', el),
					    h('div.muted', G.filler(R.range(1,
					    2)).textContent)]));
				})(j);
			for (j = 1; j <= 4; j++)
				(function (j) {
					if (j === page)
						pager.appendChild(h('b', ' ' + j +
						    ' '));
					else
						pager.appendChild(G.link(String(j),
						    function () {
							page = j;
							render();
						}, { impl: 'native' }));
					pager.appendChild(document.createTextNode(
					    ' '));
				})(j);
			if (page < 4)
				pager.appendChild(G.link(R.pick(['Next',
				    'Next page', 'More results']), function () {
					page++;
					render();
				}, { impl: 'native' }));
		}
		sform = h('div', { style: 'display:flex;gap:6px;align-items:' +
		    'center;margin:12px 0' }, [box.wrap, btn]);
		bform = R.chance(0.5);
		G.mount([bform ? null : sform, res, pager], G.chrome({
			extra: bform ? sform : null }), { title: R.chance(0.4) ?
			    G.brand + ' search' : null, fields: false });

		want = R.int(5);
		wantPage = R.range(2, 4);
		t.kind = kind;
		t.fill = {
			Q: { text: q, value: true },
			ORD: want === 0 && R.chance(0.3) ? 'top' : P.ordinal[want],
			ORDN: P.ordinalNum[want],
			TITLE: { text: titlesFor(q, 1)[want], quote: 0.5 },
			N: String(wantPage)
		};
		t.templates = {
			search: ['Search for {Q}', 'Look up {Q}', 'Find {Q}',
			    'Search {Q}', 'Do a search for {Q}',
			    'Type {Q} in the search box and search',
			    'Query {Q}', 'I\'m looking for {Q}',
			    'Use the search to find {Q}',
			    'Enter {Q} into search and press the search button',
			    'Can you search the site for {Q}?'],
			open: ['Search for {Q} and open the {ORD} result',
			    'Find {Q} and click the {ORD} result',
			    'Look up {Q}, then open the result titled {TITLE}',
			    'Search {Q} and click on {TITLE}',
			    'Search for {Q} and open the {ORDN} hit',
			    'Find {Q} and show me {TITLE}',
			    'Look for {Q}; click the {ORD} link in the results'],
			page: ['Search for {Q} and go to page {N} of the ' +
			    'results', 'Look up {Q} and show results page {N}',
			    'Find {Q}, then move to page {N}',
			    'Search {Q} and open page {N}']
		};
		var searched = function () {
			return cur === q;
		};
		t.goals = [G.goal(function () {
			return searched() || box.get() === q;
		}, function () {
			return G.type(box.el, q, 'type the query');
		}), G.gClick(btn, searched, 'search')];
		if (kind === 'open') {
			t.goals.push(G.goal(function () {
				return opened !== null && opened.q === q &&
				    opened.p === 1 && opened.i === want;
			}, function () {
				if (page !== 1)
					return G.click(pager.querySelector(
					    '*') , 'back to page 1');
				return G.click(resEls[want], 'open result');
			}));
			t.done = t.goals[2].sat;
		} else if (kind === 'page') {
			t.goals.push(G.goal(function () {
				return searched() && page === wantPage;
			}, function () {
				var links = Array.prototype.slice.call(
				    pager.querySelectorAll('*')).filter(
				    function (e) {
					return e.__label === String(wantPage);
				});

				return G.click(links[0], 'page ' + wantPage);
			}));
			t.done = t.goals[2].sat;
		} else
			t.done = searched;
		return t;
	});
})();
