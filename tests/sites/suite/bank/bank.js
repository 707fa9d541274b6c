/*
 * bank.js: Harbor Federal Credit Union online banking.  Accounts and
 * about 330 transactions come from a fixed generator plus the ones the
 * suite's tasks name; transfers, payments, payees, disputes and settings
 * are kept in localStorage ("harbor").  Dates are shown and typed as
 * MM/DD/YYYY; "today" is 06/02/2025.
 */
'use strict';

(function () {
	var KEY = 'harbor';
	var TODAY = '2025-06-02';
	var ACCTS = [{ id: 'chk', name: 'Everyday Checking', no: '4821', type: 'Checking', bal: 3482.19 },
	    { id: 'sav', name: 'High-Yield Savings', no: '7730', type: 'Savings', bal: 12940.55 },
	    { id: 'visa', name: 'Rewards Visa', no: '1096', type: 'Credit card', bal: -642.30 }];
	var CATS = ['Groceries', 'Dining', 'Travel', 'Utilities', 'Shopping', 'Entertainment', 'Health',
	    'Transport', 'Income', 'Transfers', 'Fees'];

	function $(s, r) { return (r || document).querySelector(s); }
	function $$(s, r) { return Array.prototype.slice.call((r || document).querySelectorAll(s)); }
	function esc(s) {
		return String(s).replace(/[&<>"]/g, function (c) {
			return { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' }[c]; });
	}
	function qp() { return new URLSearchParams(location.search); }
	function money(v) {
		return (v < 0 ? '−' : '') + '$' + Math.abs(v).toFixed(2).replace(/\B(?=(\d{3})+(?!\d))/g, ',');
	}
	function us(isoS) {
		var m = /^(\d{4})-(\d\d)-(\d\d)$/.exec(isoS || '');
		return m ? m[2] + '/' + m[3] + '/' + m[1] : '';
	}
	/* MM/DD/YYYY, M/D/YYYY or YYYY-MM-DD to ISO, else null. */
	function parseUs(s) {
		var m;
		s = (s || '').trim();
		if ((m = /^(\d{4})-(\d{1,2})-(\d{1,2})$/.exec(s)))
			return m[1] + '-' + ('0' + m[2]).slice(-2) + '-' + ('0' + m[3]).slice(-2);
		if ((m = /^(\d{1,2})\/(\d{1,2})\/(\d{4})$/.exec(s)) && +m[1] <= 12 && +m[2] <= 31)
			return m[3] + '-' + ('0' + m[1]).slice(-2) + '-' + ('0' + m[2]).slice(-2);
		return null;
	}

	/* ---- transactions ---- */
	var TX = (function () {
		var s = 424242, out = [], i, d;
		function r() { s = (s * 16807) % 2147483647; return s / 2147483647; }
		var merchants = [['Groceries', ['Fresh Basket Market', 'Corner Co-op', 'Pacific Foods', 'Trader Lane']],
		    ['Dining', ['Blue Door Cafe', 'Noodle House', 'Harbor Grill', 'Sunrise Bakery', 'Taco Loco']],
		    ['Transport', ['Metro Transit', 'RideNow', 'Shell Station', 'City Parking']],
		    ['Shopping', ['Amble Online', 'Hardware Depot', 'Bookworm Books', 'Pixel Electronics']],
		    ['Entertainment', ['Cineplex 8', 'Gamevault', 'Concert Hall Box Office']],
		    ['Health', ['Walgrove Pharmacy', 'Peak Fitness']],
		    ['Utilities', ['Pacific Power', 'Orbit Mobile', 'Fibernet Internet']]];
		function day(k) {
			var t = Date.UTC(2025, 0, 2) + k * 864e5;
			return new Date(t).toISOString().slice(0, 10);
		}
		for (i = 0; i < 150; i++) {
			var g = merchants[Math.floor(r() * merchants.length)];
			out.push({ acct: 'chk', date: day(Math.floor(r() * 150)), desc: g[1][Math.floor(r() * g[1].length)],
			    cat: g[0], amt: -Math.round((4 + r() * 120) * 100) / 100 });
		}
		for (i = 0; i < 10; i++) {
			out.push({ acct: 'chk', date: day(i * 15 + 12), desc: 'PAYROLL – LANTERN DESIGN CO', cat: 'Income', amt: 2840 });
			out.push({ acct: 'chk', date: day(i * 15 + 13), desc: 'Transfer to High-Yield Savings', cat: 'Transfers', amt: -300 });
			out.push({ acct: 'sav', date: day(i * 15 + 13), desc: 'Transfer from Everyday Checking', cat: 'Transfers', amt: 300 });
		}
		for (i = 0; i < 5; i++)
			out.push({ acct: 'sav', date: day(i * 30 + 28), desc: 'Interest payment', cat: 'Income', amt: Math.round((38 + r() * 8) * 100) / 100 });
		for (i = 0; i < 70; i++) {
			var h = merchants[Math.floor(r() * merchants.length)];
			out.push({ acct: 'visa', date: day(Math.floor(r() * 150)), desc: h[1][Math.floor(r() * h[1].length)],
			    cat: h[0], amt: -Math.round((6 + r() * 180) * 100) / 100 });
		}
		var fixed = [['t-gvg-0303', 'chk', '2025-03-03', 'Green Valley Grocers', 'Groceries', -64.18],
		    ['t-gvg-0317', 'chk', '2025-03-17', 'Green Valley Grocers', 'Groceries', -41.02],
		    ['t-gvg-0403', 'chk', '2025-04-03', 'Green Valley Grocers', 'Groceries', -58.90],
		    ['t-gvg-visa', 'visa', '2025-03-03', 'Green Valley Grocers', 'Groceries', -12.75],
		    ['t-air-0408', 'chk', '2025-04-08', 'Skyline Air – ticket 0162', 'Travel', -412.60],
		    ['t-hotel-0419', 'chk', '2025-04-19', 'Harborview Inn', 'Travel', -289.00],
		    ['t-rail-0425', 'chk', '2025-04-25', 'Coast Rail', 'Travel', -46.50],
		    ['t-air-0312', 'chk', '2025-03-12', 'Skyline Air – ticket 0097', 'Travel', -198.40],
		    ['t-car-0514', 'chk', '2025-05-14', 'Roadly Car Rental', 'Travel', -176.25],
		    ['t-stream-8999', 'visa', '2025-05-09', 'StreamMax Annual Plan', 'Entertainment', -89.99],
		    ['t-stream-0409', 'visa', '2025-04-09', 'StreamMax', 'Entertainment', -15.99],
		    ['t-stream-0309', 'visa', '2025-03-09', 'StreamMax', 'Entertainment', -15.99],
		    ['t-water-0501', 'chk', '2025-05-01', 'City Water Utility', 'Utilities', -118.40]];
		fixed.forEach(function (f) {
			out.push({ id: f[0], acct: f[1], date: f[2], desc: f[3], cat: f[4], amt: f[5] });
		});
		out.sort(function (a, b) { return a.date < b.date ? 1 : a.date > b.date ? -1 : 0; });
		out.forEach(function (t, k) {
			if (!t.id)
				t.id = 't' + (5000 + k);
		});
		return out;
	})();

	function load() {
		var s;
		try { s = JSON.parse(localStorage.getItem(KEY)); } catch (e) { s = null; }
		s = s || {};
		s.transfers = s.transfers || [];
		s.payments = s.payments || [];
		s.disputes = s.disputes || [];
		s.payees = s.payees || [{ name: 'City Water Utility', acct: '0044718', nick: '' },
		    { name: 'Pacific Power', acct: '99100342', nick: 'Electric' },
		    { name: 'Orbit Mobile', acct: '5551234', nick: 'Phone' },
		    { name: 'Maple Street Apartments', acct: '1207', nick: 'Rent' }];
		s.prefs = s.prefs || { paperless: false, lowBalance: true, largePurchase: false, newDevice: true };
		return s;
	}
	function save(s) { localStorage.setItem(KEY, JSON.stringify(s)); }
	function acct(id) { return ACCTS.filter(function (a) { return a.id === id; })[0]; }

	function chrome(page) {
		var s = load();
		var nav = [['accounts', 'Accounts'], ['activity', 'Activity'], ['transfer', 'Transfers'],
		    ['payees', 'Bill pay'], ['settings', 'Settings']];
		document.body.insertAdjacentHTML('afterbegin', '<header class="top"><div class="in"><a class="name" href="accounts.html">⚓ Harbor Federal</a>' +
		    '<nav aria-label="Main">' + nav.map(function (n) {
			    return '<a href="' + n[0] + '.html"' + (n[0] === page ? ' class="on" aria-current="page"' : '') + '>' + n[1] + '</a>';
		    }).join('') + '</nav><div class="me">' + (s.session ? 'Signed in as Dana Whitfield' : 'Demo account') +
		    '<a href="login.html" id="signout">Sign out</a></div></div></header>');
		document.body.insertAdjacentHTML('beforeend', '<footer>Harbor Federal Credit Union · Federally insured by NCUA · ' +
		    '<a href="help.html">Privacy</a><a href="help.html">Security</a><a href="help.html">Locations</a>' +
		    '<a href="help.html">Contact us</a><a href="help.html">Routing number 321076479</a></footer>');
		$('#signout').addEventListener('click', function () {
			var t = load();
			delete t.session;
			save(t);
		});
	}

	var pages = {};
	pages.login = function () {
		$('#main').innerHTML = '<div class="login cardbox"><h1>Sign in to online banking</h1><form id="lf" novalidate>' +
		    '<label for="user">Username</label><input type="text" id="user" autocomplete="username">' +
		    '<label for="pw">Password</label><input type="password" id="pw" autocomplete="current-password">' +
		    '<p><label style="display:inline"><input type="checkbox" id="remember"> Remember my username</label></p>' +
		    '<div id="lerr"></div><button class="btn" type="submit">Sign in</button></form>' +
		    '<p><a href="help.html">Forgot username or password?</a> · <a href="help.html">Enroll now</a></p></div>';
		$('#lf').addEventListener('submit', function (e) {
			e.preventDefault();
			if ($('#user').value.trim().toLowerCase() === 'dwhitfield' && $('#pw').value === 'harbor-2291') {
				var s = load();
				s.session = 'dwhitfield';
				save(s);
				location.href = 'accounts.html';
			} else
				$('#lerr').innerHTML = '<p class="error" role="alert">The username or password is not correct.</p>';
		});
	};
	pages.accounts = function () {
		var h = '<h1>Good morning, Dana</h1><div class="cardbox"><h2>Your accounts</h2><table class="t"><tr><th>Account</th><th>Type</th>' +
		    '<th class="amt">Balance</th><th></th></tr>';
		ACCTS.forEach(function (a) {
			h += '<tr><td><a href="activity.html?acct=' + a.id + '">' + a.name + '</a> ••' + a.no + '</td><td>' + a.type +
			    '</td><td class="amt">' + money(a.bal) + '</td><td><a href="transfer.html?from=' + a.id + '">Transfer</a></td></tr>';
		});
		h += '</table></div><div class="cardbox"><h2>Recent activity</h2><table class="t"><tr><th>Date</th><th>Description</th>' +
		    '<th>Account</th><th class="amt">Amount</th></tr>';
		TX.slice(0, 10).forEach(function (t) {
			h += '<tr><td>' + us(t.date) + '</td><td>' + esc(t.desc) + '</td><td>' + acct(t.acct).name + '</td><td class="amt ' +
			    (t.amt < 0 ? 'neg' : 'pos') + '">' + money(t.amt) + '</td></tr>';
		});
		h += '</table><p><a href="activity.html?acct=chk">See all checking activity</a></p></div>' +
		    '<div class="cardbox"><h2>Quick actions</h2><p><a class="btn" href="transfer.html">Transfer money</a> ' +
		    '<a class="btn sec" href="payees.html">Pay a bill</a> <a class="btn sec" href="settings.html">Statements &amp; documents</a></p></div>';
		$('#main').innerHTML = h;
	};
	pages.activity = function () {
		var p = qp(), a = acct(p.get('acct')) || ACCTS[0], per = 25;
		var f = { q: p.get('q') || '', cat: p.get('cat') || '', from: p.get('from') || '', to: p.get('to') || '',
		    page: parseInt(p.get('page'), 10) || 1 };
		var rows = TX.filter(function (t) {
			return t.acct === a.id && (!f.cat || t.cat === f.cat) && (!f.from || t.date >= f.from) &&
			    (!f.to || t.date <= f.to) && (!f.q || t.desc.toLowerCase().indexOf(f.q.toLowerCase()) >= 0);
		});
		var pages_ = Math.max(1, Math.ceil(rows.length / per));
		if (f.page > pages_)
			f.page = pages_;
		document.title = a.name + ' activity – Harbor Federal';
		var h = '<h1>' + a.name + ' ••' + a.no + '</h1><p>Balance: <b>' + money(a.bal) + '</b> · Switch account: ' +
		    ACCTS.map(function (x) { return x.id === a.id ? '<b>' + x.name + '</b>' : '<a href="activity.html?acct=' + x.id + '">' + x.name + '</a>'; })
		    .join(' · ') + '</p><div class="cardbox"><form class="filters" id="ff" novalidate><label>Search descriptions<input name="q" value="' +
		    esc(f.q) + '"></label><label>Category<select name="cat"><option value="">All categories</option>' +
		    CATS.map(function (c) { return '<option' + (c === f.cat ? ' selected' : '') + '>' + c + '</option>'; }).join('') +
		    '</select></label><label>From date<input name="from" placeholder="MM/DD/YYYY" value="' + us(f.from) + '"></label>' +
		    '<label>To date<input name="to" placeholder="MM/DD/YYYY" value="' + us(f.to) + '"></label>' +
		    '<button class="btn" type="submit">Apply filters</button> <a href="activity.html?acct=' + a.id + '">Reset</a></form><div id="ferr"></div></div>' +
		    '<div class="cardbox"><p>' + rows.length + ' transactions</p><table class="t" aria-label="Transactions"><tr><th>Date</th><th>Description</th>' +
		    '<th>Category</th><th class="amt">Amount</th></tr>';
		rows.slice((f.page - 1) * per, f.page * per).forEach(function (t) {
			h += '<tr data-id="' + t.id + '"><td>' + us(t.date) + '</td><td><button class="linkish" data-id="' + t.id + '">' +
			    esc(t.desc) + '</button></td><td>' + t.cat + '</td><td class="amt ' + (t.amt < 0 ? 'neg' : 'pos') + '">' +
			    money(t.amt) + '</td></tr>';
		});
		h += '</table><nav class="pager" aria-label="Pages"><button type="button" data-p="' + (f.page - 1) + '"' +
		    (f.page <= 1 ? ' disabled' : '') + '>‹ Previous</button>';
		for (var i = 1; i <= pages_; i++)
			h += '<button type="button" data-p="' + i + '"' + (i === f.page ? ' aria-current="page"' : '') +
			    ' aria-label="Page ' + i + '">' + i + '</button>';
		h += '<button type="button" data-p="' + (f.page + 1) + '"' + (f.page >= pages_ ? ' disabled' : '') + '>Next ›</button></nav></div>';
		$('#main').innerHTML = h;
		function go(u) {
			location.search = u.toString();
		}
		$('#ff').addEventListener('submit', function (e) {
			var ff = e.target, u = new URLSearchParams({ acct: a.id }), fr = ff.from.value.trim(), to = ff.to.value.trim();
			e.preventDefault();
			if ((fr && !parseUs(fr)) || (to && !parseUs(to))) {
				$('#ferr').innerHTML = '<p class="error" role="alert">Enter dates as MM/DD/YYYY.</p>';
				return;
			}
			if (ff.q.value.trim()) u.set('q', ff.q.value.trim());
			if (ff.cat.value) u.set('cat', ff.cat.value);
			if (fr) u.set('from', parseUs(fr));
			if (to) u.set('to', parseUs(to));
			go(u);
		});
		$$('.pager button').forEach(function (b) {
			b.addEventListener('click', function () {
				var u = qp();
				u.set('page', b.dataset.p);
				go(u);
			});
		});
		$$('button.linkish').forEach(function (b) {
			b.addEventListener('click', function () { details(b.dataset.id); });
		});
	};
	function details(id) {
		var t = TX.filter(function (x) { return x.id === id; })[0], s = load();
		var old = $('#txn-details');
		if (old)
			old.remove();
		var dis = s.disputes.filter(function (d) { return d.txn === id; })[0];
		var d = document.createElement('aside');
		d.className = 'drawer';
		d.id = 'txn-details';
		d.dataset.id = id;
		d.setAttribute('role', 'dialog');
		d.setAttribute('aria-label', 'Transaction details');
		d.innerHTML = '<button class="btn sec" id="dclose" style="float:right">Close</button><h2>Transaction details</h2>' +
		    '<table class="t"><tr><th>Description</th><td>' + esc(t.desc) + '</td></tr><tr><th>Date</th><td>' + us(t.date) +
		    '</td></tr><tr><th>Amount</th><td>' + money(t.amt) + '</td></tr><tr><th>Category</th><td>' + t.cat +
		    '</td></tr><tr><th>Account</th><td>' + acct(t.acct).name + ' ••' + acct(t.acct).no + '</td></tr><tr><th>Reference</th><td>' +
		    t.id.toUpperCase() + '</td></tr></table>' + (dis ? '<p class="success">Dispute submitted on ' + us(TODAY) +
		    '. We will contact you within 10 business days.</p>' : t.amt < 0 ? '<p><button class="btn" id="dispute">Dispute this transaction</button></p>' : '') +
		    '<div id="dform"></div>';
		document.body.appendChild(d);
		$('#dclose').addEventListener('click', function () { d.remove(); });
		if ($('#dispute'))
			$('#dispute').addEventListener('click', function () {
				$('#dform').innerHTML = '<form id="df" novalidate><h2>Dispute</h2><p><label>Reason<br><select id="reason">' +
				    '<option value="">Choose a reason</option><option>I don\'t recognise this charge</option>' +
				    '<option>Cancelled subscription</option><option>Duplicate charge</option><option>Wrong amount</option>' +
				    '<option>Item not received</option></select></label></p><p><label>Tell us more (optional)<br>' +
				    '<textarea id="more" rows="4" cols="40"></textarea></label></p><div id="derr"></div>' +
				    '<button class="btn" type="submit">Submit dispute</button></form>';
				$('#df').addEventListener('submit', function (e) {
					e.preventDefault();
					if (!$('#reason').value) {
						$('#derr').innerHTML = '<p class="error" role="alert">Choose a reason.</p>';
						return;
					}
					var s2 = load();
					s2.disputes.push({ txn: id, reason: $('#reason').value, more: $('#more').value });
					save(s2);
					details(id);
				});
			});
	}
	pages.transfer = function () {
		var p = qp();
		function opts(sel) {
			return '<option value="">Choose an account</option>' + ACCTS.map(function (a) {
				return '<option value="' + a.id + '"' + (a.id === sel ? ' selected' : '') + '>' + a.name + ' ••' + a.no +
				    ' (' + money(a.bal) + ')</option>'; }).join('');
		}
		$('#main').innerHTML = '<h1>Transfer money</h1><div class="cardbox" id="tbox"><form id="tf" class="form" novalidate>' +
		    '<label for="from">From</label><select id="from">' + opts(p.get('from')) + '</select>' +
		    '<label for="to">To</label><select id="to">' + opts('') + '</select>' +
		    '<label for="amount">Amount ($)</label><input id="amount" inputmode="decimal" placeholder="0.00">' +
		    '<label for="date">Date (MM/DD/YYYY)</label><input id="date" value="' + us(TODAY) + '">' +
		    '<label for="freq">Frequency</label><select id="freq"><option>Once</option><option>Weekly</option><option>Every two weeks</option><option>Monthly</option></select>' +
		    '<label for="memo">Memo (optional)</label><input id="memo" maxlength="40">' +
		    '<span></span><span><button class="btn" type="submit">Review transfer</button> <a href="accounts.html">Cancel</a></span></form>' +
		    '<div id="terr"></div></div><div class="cardbox"><h2>Scheduled and recent transfers</h2><div id="hist"></div></div>';
		function hist() {
			var t = load().transfers;
			$('#hist').innerHTML = t.length ? '<table class="t"><tr><th>Date</th><th>From</th><th>To</th><th class="amt">Amount</th><th>Memo</th></tr>' +
			    t.map(function (x) { return '<tr><td>' + us(x.date) + '</td><td>' + acct(x.from).name + '</td><td>' + acct(x.to).name +
			    '</td><td class="amt">' + money(x.amount) + '</td><td>' + esc(x.memo) + '</td></tr>'; }).join('') + '</table>' : '<p>None yet.</p>';
		}
		hist();
		$('#tf').addEventListener('submit', function (e) {
			var errs = [], amt = parseFloat($('#amount').value.replace(/[$,\s]/g, '')), d = parseUs($('#date').value);
			var fr = $('#from').value, to = $('#to').value;
			e.preventDefault();
			if (!fr) errs.push('Choose the account to transfer from.');
			if (!to) errs.push('Choose the account to transfer to.');
			if (fr && fr === to) errs.push('Choose two different accounts.');
			if (!(amt > 0)) errs.push('Enter an amount greater than $0.00.');
			if (!d) errs.push('Enter the date as MM/DD/YYYY.');
			else if (d < TODAY) errs.push('The date cannot be in the past.');
			if (errs.length) {
				$('#terr').innerHTML = '<div class="error" role="alert">' + errs.join('<br>') + '</div>';
				return;
			}
			var x = { from: fr, to: to, amount: Math.round(amt * 100) / 100, date: d, freq: $('#freq').value, memo: $('#memo').value.trim() };
			var back = document.createElement('div');
			back.className = 'modal-back';
			back.innerHTML = '<div class="modal" role="dialog" aria-modal="true" aria-labelledby="rv"><h2 id="rv">Review your transfer</h2>' +
			    '<table class="t"><tr><th>From</th><td>' + acct(fr).name + '</td></tr><tr><th>To</th><td>' + acct(to).name +
			    '</td></tr><tr><th>Amount</th><td>' + money(x.amount) + '</td></tr><tr><th>Date</th><td>' + us(d) + '</td></tr>' +
			    '<tr><th>Frequency</th><td>' + x.freq + '</td></tr><tr><th>Memo</th><td>' + esc(x.memo || '—') + '</td></tr></table>' +
			    '<p><button class="btn" id="confirm">Confirm transfer</button> <button class="btn sec" id="edit">Edit</button></p></div>';
			document.body.appendChild(back);
			$('#edit').addEventListener('click', function () { back.remove(); });
			$('#confirm').addEventListener('click', function () {
				var s = load();
				x.conf = 'TR' + (771200 + s.transfers.length);
				s.transfers.push(x);
				save(s);
				back.remove();
				$('#terr').innerHTML = '<div class="success" role="status">Transfer scheduled. Confirmation number ' + x.conf + '.</div>';
				$('#tf').reset();
				hist();
			});
		});
	};
	pages.payees = function () {
		var s = load();
		var h = '<h1>Bill pay</h1><div class="cardbox"><h2>Your payees</h2><table class="t"><tr><th>Payee</th><th>Account</th><th>Nickname</th><th></th></tr>';
		s.payees.forEach(function (p, i) {
			h += '<tr><td>' + esc(p.name) + '</td><td>••' + esc(p.acct.slice(-4)) + '</td><td>' + esc(p.nick || '') +
			    '</td><td><button class="btn sec" data-i="' + i + '" aria-label="Pay ' + esc(p.name) + '">Pay</button></td></tr>';
		});
		h += '</table><p><button class="btn" id="addp">+ Add payee</button></p><div id="pmsg"></div></div><div id="payform"></div>' +
		    '<div class="cardbox"><h2>Payment history</h2>' + (s.payments.length ? '<table class="t">' + s.payments.map(function (x) {
			    return '<tr><td>' + us(x.date) + '</td><td>' + esc(x.payee) + '</td><td class="amt">' + money(x.amount) + '</td></tr>';
		    }).join('') + '</table>' : '<p>No payments yet.</p>') + '</div>';
		$('#main').innerHTML = h;
		$$('button[data-i]').forEach(function (b) {
			b.addEventListener('click', function () {
				var p = s.payees[+b.dataset.i];
				$('#payform').innerHTML = '<div class="cardbox"><h2>Pay ' + esc(p.name) + '</h2><form id="pf" class="form" novalidate>' +
				    '<label for="pfrom">Pay from</label><select id="pfrom"><option value="chk">Everyday Checking ••4821</option><option value="sav">High-Yield Savings ••7730</option></select>' +
				    '<label for="pamt">Amount ($)</label><input id="pamt" inputmode="decimal">' +
				    '<label for="pdate">Deliver by (MM/DD/YYYY)</label><input id="pdate" placeholder="MM/DD/YYYY">' +
				    '<span></span><span><button class="btn" type="submit">Schedule payment</button></span></form><div id="perr"></div></div>';
				$('#payform').scrollIntoView();
				$('#pf').addEventListener('submit', function (e) {
					var amt = parseFloat($('#pamt').value.replace(/[$,\s]/g, '')), d = parseUs($('#pdate').value);
					e.preventDefault();
					if (!(amt > 0) || !d || d < TODAY) {
						$('#perr').innerHTML = '<p class="error" role="alert">Enter an amount and a delivery date (MM/DD/YYYY) from today on.</p>';
						return;
					}
					var s2 = load();
					s2.payments.push({ payee: p.name, from: $('#pfrom').value, amount: Math.round(amt * 100) / 100, date: d });
					save(s2);
					render();
					$('#pmsg').innerHTML = '<p class="success" role="status">Payment of ' + money(amt) + ' to ' + esc(p.name) + ' scheduled for ' + us(d) + '.</p>';
				});
			});
		});
		$('#addp').addEventListener('click', function () {
			var back = document.createElement('div');
			back.className = 'modal-back';
			back.innerHTML = '<div class="modal" role="dialog" aria-modal="true" aria-labelledby="ap"><h2 id="ap">Add a payee</h2>' +
			    '<form id="af" class="form" novalidate><label for="pname">Payee name</label><input id="pname">' +
			    '<label for="pacct">Account number</label><input id="pacct" inputmode="numeric">' +
			    '<label for="pacct2">Confirm account number</label><input id="pacct2" inputmode="numeric">' +
			    '<label for="pzip">Payee ZIP code</label><input id="pzip" inputmode="numeric">' +
			    '<label for="pnick">Nickname (optional)</label><input id="pnick">' +
			    '<span></span><span><button class="btn" type="submit">Save payee</button> <button class="btn sec" type="button" id="acancel">Cancel</button></span></form>' +
			    '<div id="aerr"></div></div>';
			document.body.appendChild(back);
			$('#acancel').addEventListener('click', function () { back.remove(); });
			$('#af').addEventListener('submit', function (e) {
				var errs = [];
				e.preventDefault();
				if (!$('#pname').value.trim()) errs.push('Enter the payee name.');
				if (!/^\d{4,17}$/.test($('#pacct').value.trim())) errs.push('Enter the account number (digits only).');
				else if ($('#pacct').value.trim() !== $('#pacct2').value.trim()) errs.push('The account numbers do not match.');
				if (!/^\d{5}$/.test($('#pzip').value.trim())) errs.push('Enter a 5-digit ZIP code.');
				if (errs.length) {
					$('#aerr').innerHTML = '<div class="error" role="alert">' + errs.join('<br>') + '</div>';
					return;
				}
				var s2 = load();
				s2.payees.push({ name: $('#pname').value.trim(), acct: $('#pacct').value.trim(), zip: $('#pzip').value.trim(), nick: $('#pnick').value.trim() });
				save(s2);
				back.remove();
				render();
				$('#pmsg').innerHTML = '<p class="success" role="status">Payee added.</p>';
			});
		});
	};
	pages.settings = function () {
		var s = load(), pr = JSON.parse(JSON.stringify(s.prefs));
		function sw(key, label, hint) {
			return '<p><button type="button" class="switch" role="switch" data-k="' + key + '" aria-checked="' + pr[key] +
			    '"><span class="track"></span> ' + label + '</button><br><small>' + hint + '</small></p>';
		}
		$('#main').innerHTML = '<h1>Settings</h1><div class="cardbox"><h2>Contact information</h2><p>Email: dana.whitfield@larkmail.test<br>' +
		    'Phone: (503) 555-0148 <a href="help.html">Edit</a></p></div><div class="cardbox"><h2>Statements and documents</h2>' +
		    sw('paperless', 'Paperless statements', 'Get statements online instead of by mail.') + '</div><div class="cardbox"><h2>Alerts</h2>' +
		    sw('lowBalance', 'Low balance alert', 'When checking falls below $100.') +
		    sw('largePurchase', 'Large purchase alert', 'Card purchases over $500.') +
		    sw('newDevice', 'New device sign-in alert', 'When someone signs in from a new device.') +
		    '</div><p><button class="btn" id="savep">Save preferences</button> <span id="smsg" role="status"></span></p>';
		$$('.switch').forEach(function (b) {
			b.addEventListener('click', function () {
				pr[b.dataset.k] = !pr[b.dataset.k];
				b.setAttribute('aria-checked', String(pr[b.dataset.k]));
				$('#smsg').textContent = 'You have unsaved changes.';
			});
		});
		$('#savep').addEventListener('click', function () {
			var s2 = load();
			s2.prefs = pr;
			save(s2);
			$('#smsg').textContent = 'Preferences saved.';
		});
	};
	pages.help = function () {
		$('#main').innerHTML = '<h1>Help</h1><p>Call (800) 555-0100, 24 hours a day.</p>';
	};
	function render() {
		var page = document.body.dataset.page;
		$$('body > header, body > footer').forEach(function (e) { e.remove(); });
		pages[page]();
		if (page !== 'login')
			chrome(page);
	}
	window.HF = { tx: TX, state: load };
	document.addEventListener('DOMContentLoaded', render);
})();
