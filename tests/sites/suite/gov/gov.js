/*
 * gov.js: Riverton City Council online services.  The parking permit
 * application runs over four pages (details, address, permit, check your
 * answers); the answers so far are kept in sessionStorage
 * ("riverton.permit"), submitted applications and the other requests in
 * localStorage ("riverton").  RV.seedPermit(answers) replaces the answers
 * and redraws (tasks' setup_js).
 */
'use strict';

(function () {
	var KEY = 'riverton', DRAFT = 'riverton.permit';
	var MONTHS = ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December'];
	var MAKES = ['Audi', 'BMW', 'Citroën', 'Fiat', 'Ford', 'Honda', 'Hyundai', 'Kia', 'Mazda', 'Mercedes-Benz', 'MINI', 'Nissan',
	    'Peugeot', 'Renault', 'SEAT', 'Skoda', 'Tesla', 'Toyota', 'Vauxhall', 'Volkswagen', 'Volvo', 'Other'];
	var STREETS = ['Alder Road', 'Brook Street', 'Church Lane', 'Dene Avenue', 'Elm Grove', 'Forge Close', 'Granary Way',
	    'Hawthorn Drive', 'Mill Lane', 'Quarry Hill', 'Station Road', 'Weir View'];
	var FIXED_PC = { 'RV4 2QT': 'Alder Road', 'RV2 8LS': 'Brook Street', 'RV1 5JD': 'Mill Lane' };

	function $(s, r) { return (r || document).querySelector(s); }
	function $$(s, r) { return Array.prototype.slice.call((r || document).querySelectorAll(s)); }
	function esc(s) {
		return String(s).replace(/[&<>"]/g, function (c) {
			return { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' }[c]; });
	}
	function qp() { return new URLSearchParams(location.search); }
	function store() {
		var s;
		try { s = JSON.parse(localStorage.getItem(KEY)); } catch (e) { s = null; }
		s = s || {};
		['permits', 'potholes', 'bulky', 'dogs'].forEach(function (k) { s[k] = s[k] || []; });
		return s;
	}
	function keep(s) { localStorage.setItem(KEY, JSON.stringify(s)); }
	function draft() {
		try { return JSON.parse(sessionStorage.getItem(DRAFT)) || {}; } catch (e) { return {}; }
	}
	function setDraft(d) { sessionStorage.setItem(DRAFT, JSON.stringify(d)); }
	function normPc(s) {
		s = (s || '').toUpperCase().replace(/\s+/g, '');
		return /^RV\d[A-Z0-9]?\d[A-Z]{2}$/.test(s) ? s.slice(0, -3) + ' ' + s.slice(-3) : null;
	}
	function normReg(s) { return (s || '').toUpperCase().replace(/\s+/g, ''); }
	function addresses(pc) {
		var st = FIXED_PC[pc], h = 0, i, out = [];
		for (i = 0; i < pc.length; i++)
			h = (h * 31 + pc.charCodeAt(i)) % 9973;
		st = st || STREETS[h % STREETS.length];
		for (i = 1; i <= 40; i++)
			out.push(i + ' ' + st + ', Riverton ' + pc);
		return out;
	}

	function chrome() {
		document.body.insertAdjacentHTML('afterbegin', '<header class="masthead"><div class="in"><a class="logo" href="index.html">♜ Riverton City Council</a>' +
		    '<nav aria-label="Council"><a href="index.html">Services</a><a href="fees.html">Fees and charges</a><a href="help.html">Contact us</a>' +
		    '<a href="help.html">Sign in</a></nav></div></header><div class="phase"><b>BETA</b>This is a new service – your ' +
		    '<a href="help.html">feedback</a> will help us to improve it.</div>');
		document.body.insertAdjacentHTML('beforeend', '<footer><div class="in"><a href="help.html">Accessibility statement</a><a href="help.html">Cookies</a>' +
		    '<a href="help.html">Privacy</a><a href="help.html">Council tax</a><a href="help.html">Jobs</a><p>© Riverton City Council</p></div></footer>');
	}
	/* Shows an error summary and marks the fields named in errs {id: msg}. */
	function showErrors(errs) {
		var ids = Object.keys(errs);
		$$('.field.err').forEach(function (f) { f.classList.remove('err'); });
		$$('.errmsg').forEach(function (e) { e.remove(); });
		var old = $('.error-summary');
		if (old)
			old.remove();
		if (!ids.length)
			return false;
		var box = document.createElement('div');
		box.className = 'error-summary';
		box.setAttribute('role', 'alert');
		box.innerHTML = '<h2>There is a problem</h2><ul>' + ids.map(function (k) {
			return '<li><a href="#' + k + '">' + esc(errs[k]) + '</a></li>'; }).join('') + '</ul>';
		$('#main').insertBefore(box, $('#main').firstChild);
		ids.forEach(function (k) {
			var f = document.getElementById(k), w = f && f.closest('.field');
			if (w) {
				w.classList.add('err');
				w.insertAdjacentHTML('afterbegin', '<p class="errmsg"><span class="visually-hidden">Error:</span> ' + esc(errs[k]) + '</p>');
			}
		});
		window.scrollTo(0, 0);
		return true;
	}
	function text(id, label, val, cls, hint) {
		return '<div class="field"><label for="' + id + '">' + label + '</label>' + (hint ? '<div class="hint">' + hint + '</div>' : '') +
		    '<input type="text" id="' + id + '" class="' + (cls || 'w20') + '" value="' + esc(val || '') + '"></div>';
	}
	function radios(name, legend, opts, val, hint) {
		return '<fieldset class="field" id="' + name + '"><legend>' + legend + '</legend>' + (hint ? '<div class="hint">' + hint + '</div>' : '') +
		    '<div class="radios">' + opts.map(function (o) {
			    return '<label><input type="radio" name="' + name + '" value="' + o[0] + '"' + (val === o[0] ? ' checked' : '') + '> ' + o[1] + '</label>';
		    }).join('') + '</div></fieldset>';
	}
	function val(name) {
		var r = $('input[name=' + name + ']:checked');
		return r ? r.value : '';
	}
	function next(url) {
		location.href = qp().get('return') === 'check' ? 'permit-4.html' : url;
	}
	function backLink(href) {
		return '<a class="back" href="' + href + '">‹ Back</a>';
	}

	var pages = {};
	pages.index = function () {
		$('#main').innerHTML = '<h1>Riverton City Council services</h1><div class="cards">' +
		    '<div><h3>Parking and roads</h3><a href="parking.html">Parking permits</a><a href="pothole.html">Report a pothole</a>' +
		    '<a href="help.html">Pay a parking fine</a><a href="help.html">Road works and closures</a></div>' +
		    '<div><h3>Bins and recycling</h3><a href="bulky.html">Book a bulky waste collection</a><a href="help.html">Find your bin day</a>' +
		    '<a href="help.html">Order a new bin</a><a href="help.html">Recycling centres</a></div>' +
		    '<div><h3>Pets and animals</h3><a href="dog.html">Get a dog licence</a><a href="help.html">Report a stray dog</a>' +
		    '<a href="help.html">Pest control</a></div>' +
		    '<div><h3>Council tax</h3><a href="help.html">Pay your council tax</a><a href="help.html">Discounts and exemptions</a>' +
		    '<a href="help.html">Moving home</a></div><div><h3>Housing</h3><a href="help.html">Apply for housing</a>' +
		    '<a href="help.html">Report a repair</a></div><div><h3>Your council</h3><a href="fees.html">Fees and charges</a>' +
		    '<a href="help.html">Councillors</a><a href="help.html">Budget and spending</a></div></div>';
	};
	pages.parking = function () {
		$('#main').innerHTML = '<p><a href="index.html">Services</a> › Parking</p><h1>Parking permits</h1><p>You need a permit to park in a ' +
		    'controlled parking zone in Riverton between 8am and 6:30pm, Monday to Saturday.</p><h2>Types of permit</h2><ul>' +
		    '<li><b>Resident permit</b> – for people who live in a zone.</li><li><b>Visitor permit</b> – for a guest\'s car, up to 3 months.</li>' +
		    '<li><b>Business permit</b> – for firms based in a zone.</li></ul><p>Prices depend on the permit and how long it lasts: see ' +
		    '<a href="fees.html">fees and charges</a>.</p><h2>Before you start</h2><p>You will need the vehicle registration and your address.</p>' +
		    '<p><a class="button" href="permit-1.html" role="button">Start now ›</a></p>';
	};
	pages.fees = function () {
		$('#main').innerHTML = '<h1>Fees and charges 2025/26</h1><p>On this page: <a href="#parking-fees">Parking</a> · <a href="#waste-fees">Waste</a> · ' +
		    '<a href="#pet-fees">Pets</a></p><h2 id="waste-fees">Bins and waste</h2><table class="fees"><tr><th>Service</th><th>Fee</th></tr>' +
		    '<tr><td>Bulky waste, first 3 items</td><td>£36.00</td></tr><tr><td>Each further item</td><td>£9.50</td></tr>' +
		    '<tr><td>Extra garden waste bin (year)</td><td>£52.00</td></tr></table><h2 id="pet-fees">Pets and animals</h2><table class="fees">' +
		    '<tr><th>Service</th><th>Fee</th></tr><tr><td>Dog licence (neutered)</td><td>£12.00</td></tr><tr><td>Dog licence</td><td>£24.00</td></tr>' +
		    '<tr><td>Stray dog collection</td><td>£85.00</td></tr></table><h2 id="parking-fees">Parking permits</h2><table class="fees"><tr><th>Permit</th><th>3 months</th>' +
		    '<th>6 months</th><th>12 months</th></tr><tr><td>Resident permit</td><td>£28.00</td><td>£52.00</td><td>£96.00</td></tr>' +
		    '<tr><td>Visitor permit</td><td>£35.00</td><td>–</td><td>–</td></tr><tr id="business-permit-fee"><td>Business permit</td><td>£110.00</td>' +
		    '<td>£205.00</td><td>£390.00</td></tr></table>';
	};
	pages['permit-1'] = function () {
		var d = draft();
		document.title = 'Your details – Apply for a parking permit';
		$('#main').innerHTML = backLink('parking.html') + '<span class="caption">Step 1 of 4</span><h1>Your details</h1><form id="f" novalidate>' +
		    text('first', 'First name', d.first) + text('last', 'Last name', d.last) +
		    '<fieldset class="field" id="dob"><legend>Date of birth</legend><div class="hint">For example, 27 3 1985</div><div class="date">' +
		    '<label>Day<input type="text" id="dob-d" class="w4" inputmode="numeric" value="' + esc(d.dobD || '') + '"></label>' +
		    '<label>Month<input type="text" id="dob-m" class="w4" inputmode="numeric" value="' + esc(d.dobM || '') + '"></label>' +
		    '<label>Year<input type="text" id="dob-y" class="w4" inputmode="numeric" value="' + esc(d.dobY || '') + '"></label></div></fieldset>' +
		    '<div class="field"><label for="email">Email address</label><input type="email" id="email" class="w20" value="' + esc(d.email || '') + '"></div>' +
		    '<div class="field"><label for="phone">Phone number</label><input type="tel" id="phone" class="w10" value="' + esc(d.phone || '') + '"></div>' +
		    '<button class="button" type="submit">Continue</button></form>';
		$('#f').addEventListener('submit', function (e) {
			var errs = {}, dd = +$('#dob-d').value, mm = +$('#dob-m').value, yy = +$('#dob-y').value;
			e.preventDefault();
			if (!$('#first').value.trim()) errs.first = 'Enter your first name';
			if (!$('#last').value.trim()) errs.last = 'Enter your last name';
			var dt = new Date(Date.UTC(yy, mm - 1, dd));
			if (!(yy > 1900 && yy < 2008 && dt.getUTCMonth() === mm - 1 && dt.getUTCDate() === dd)) errs['dob-d'] = 'Date of birth must be a real date, and you must be 17 or over';
			if (!/^[^@\s]+@[^@\s]+\.[^@\s]+$/.test($('#email').value.trim())) errs.email = 'Enter an email address in the correct format, like name@example.com';
			if (!/^[\d\s+()]{10,}$/.test($('#phone').value.trim())) errs.phone = 'Enter a phone number, like 01632 960 001 or 07700 900 982';
			if (showErrors(errs))
				return;
			var n = draft();
			n.first = $('#first').value.trim(); n.last = $('#last').value.trim();
			n.dobD = String(dd); n.dobM = String(mm); n.dobY = String(yy);
			n.email = $('#email').value.trim(); n.phone = $('#phone').value.trim();
			setDraft(n);
			next('permit-2.html');
		});
	};
	pages['permit-2'] = function () {
		var d = draft();
		document.title = 'Your address – Apply for a parking permit';
		$('#main').innerHTML = backLink('permit-1.html') + '<span class="caption">Step 2 of 4</span><h1>What is your address?</h1><form id="f" novalidate>' +
		    '<div class="field"><label for="postcode">Postcode</label><input type="text" id="postcode" class="w10" value="' + esc(d.postcode || '') + '"> ' +
		    '<button type="button" class="button secondary" id="find">Find address</button></div><div id="pick"></div>' +
		    '<button class="button" type="submit">Continue</button></form>';
		function pick(pc, sel) {
			$('#pick').innerHTML = '<div class="field"><label for="address">Select an address</label><select id="address"><option value="">' +
			    '40 addresses found</option>' + addresses(pc).map(function (a) {
				    return '<option' + (a === sel ? ' selected' : '') + '>' + a + '</option>'; }).join('') + '</select></div>';
		}
		if (d.postcode && d.address)
			pick(d.postcode, d.address);
		$('#find').addEventListener('click', function () {
			var pc = normPc($('#postcode').value);
			if (!pc) {
				showErrors({ postcode: 'Enter a Riverton postcode, like RV4 2QT' });
				return;
			}
			showErrors({});
			$('#postcode').value = pc;
			pick(pc, '');
		});
		$('#f').addEventListener('submit', function (e) {
			e.preventDefault();
			if (!$('#address') || !$('#address').value) {
				showErrors($('#address') ? { address: 'Select your address' } : { postcode: 'Find your address using your postcode' });
				return;
			}
			var n = draft();
			n.postcode = normPc($('#postcode').value);
			n.address = $('#address').value;
			setDraft(n);
			next('permit-3.html');
		});
	};
	pages['permit-3'] = function () {
		var d = draft();
		document.title = 'Permit details – Apply for a parking permit';
		$('#main').innerHTML = backLink('permit-2.html') + '<span class="caption">Step 3 of 4</span><h1>About the permit</h1><form id="f" novalidate>' +
		    radios('type', 'Which permit do you need?', [['resident', 'Resident permit'], ['visitor', 'Visitor permit'], ['business', 'Business permit']], d.type) +
		    text('reg', 'Vehicle registration number', d.reg, 'w10', 'For example, CV19 ABC') +
		    '<div class="field"><label for="make">Vehicle make</label><select id="make"><option value="">Select a make</option>' +
		    MAKES.map(function (m) { return '<option' + (m === d.make ? ' selected' : '') + '>' + m + '</option>'; }).join('') + '</select></div>' +
		    radios('duration', 'How long do you need it for?', [['3', '3 months'], ['6', '6 months'], ['12', '12 months']], d.duration,
		    'Visitor permits last at most 3 months.') + '<button class="button" type="submit">Continue</button></form>';
		$('#f').addEventListener('submit', function (e) {
			var errs = {}, reg = normReg($('#reg').value);
			e.preventDefault();
			if (!val('type')) errs.type = 'Select the type of permit';
			if (!/^[A-Z0-9]{2,8}$/.test(reg)) errs.reg = 'Enter a registration number, like CV19 ABC';
			if (!$('#make').value) errs.make = 'Select the vehicle make';
			if (!val('duration')) errs.duration = 'Select how long you need the permit for';
			else if (val('type') === 'visitor' && val('duration') !== '3') errs.duration = 'Visitor permits last at most 3 months';
			if (showErrors(errs))
				return;
			var n = draft();
			n.type = val('type'); n.reg = $('#reg').value.trim().toUpperCase(); n.make = $('#make').value; n.duration = val('duration');
			setDraft(n);
			location.href = 'permit-4.html';
		});
	};
	pages['permit-4'] = function () {
		var d = draft();
		document.title = 'Check your answers – Apply for a parking permit';
		function row(k, v, href) {
			return '<div><dt>' + k + '</dt><dd>' + esc(v || '—') + '</dd><dd class="act"><a href="' + href + '?return=check">Change<span class="visually-hidden"> ' +
			    k.toLowerCase() + '</span></a></dd></div>';
		}
		var dob = d.dobD ? d.dobD + ' ' + MONTHS[+d.dobM - 1] + ' ' + d.dobY : '';
		$('#main').innerHTML = backLink('permit-3.html') + '<span class="caption">Step 4 of 4</span><h1>Check your answers before sending your application</h1>' +
		    '<h2>Your details</h2><dl class="summary">' + row('Name', (d.first || '') + ' ' + (d.last || ''), 'permit-1.html') +
		    row('Date of birth', dob, 'permit-1.html') + row('Email', d.email, 'permit-1.html') + row('Phone', d.phone, 'permit-1.html') +
		    row('Address', d.address, 'permit-2.html') + '</dl><h2>Permit</h2><dl class="summary">' +
		    row('Permit type', d.type ? d.type.charAt(0).toUpperCase() + d.type.slice(1) + ' permit' : '', 'permit-3.html') +
		    row('Vehicle registration', d.reg, 'permit-3.html') + row('Vehicle make', d.make, 'permit-3.html') +
		    row('Duration', d.duration ? d.duration + ' months' : '', 'permit-3.html') + '</dl><h2>Declaration</h2><form id="f" novalidate>' +
		    '<div class="field checks" id="declare-f"><label><input type="checkbox" id="declare"> I confirm the information I have given is correct</label></div>' +
		    '<button class="button" type="submit">Accept and send</button></form>';
		$('#f').addEventListener('submit', function (e) {
			var errs = {};
			e.preventDefault();
			if (!d.first || !d.address || !d.type || !d.reg)
				errs.declare = 'Some answers are missing: use the Change links to complete them';
			else if (!$('#declare').checked)
				errs.declare = 'Confirm that the information is correct';
			if (showErrors(errs))
				return;
			var s = store(), ref = 'RVP-' + (40717 + s.permits.length * 13);
			d.ref = ref;
			d.regNorm = normReg(d.reg);
			s.permits.push(d);
			keep(s);
			sessionStorage.removeItem(DRAFT);
			location.href = 'permit-done.html?ref=' + ref;
		});
	};
	pages['permit-done'] = function () {
		$('#main').innerHTML = '<div class="panel"><h1>Application complete</h1>Your reference number<br><strong>' + esc(qp().get('ref') || '') +
		    '</strong></div><p>We have sent you a confirmation email.</p><h2>What happens next</h2><p>We will check your application within 5 working days ' +
		    'and post the permit to you.</p><p><a href="index.html">Back to council services</a></p>';
	};
	pages.pothole = function () {
		$('#main').innerHTML = '<p><a href="index.html">Services</a> › Report a pothole</p><h1>Report a pothole</h1><form id="f" novalidate>' +
		    text('road', 'Road or street name', '', 'w20') + text('near', 'Nearest house number or landmark', '', 'w20', 'For example, outside number 12') +
		    radios('severity', 'How bad is it?', [['Minor', 'Minor – a small crack or dip'], ['Significant', 'Significant – deep enough to damage a tyre'],
		    ['Dangerous', 'Dangerous – a risk to cyclists or pedestrians']], '') +
		    '<div class="field"><label for="desc">Describe the problem</label><textarea id="desc" rows="4" cols="50"></textarea></div>' +
		    radios('updates', 'Do you want updates about this report?', [['yes', 'Yes, by email'], ['no', 'No']], '') +
		    '<div class="field" id="email-f" hidden><label for="email">Email address</label><input type="email" id="email" class="w20"></div>' +
		    '<button class="button" type="submit">Send report</button></form>';
		$$('input[name=updates]').forEach(function (r) {
			r.addEventListener('change', function () { $('#email-f').hidden = val('updates') !== 'yes'; });
		});
		$('#f').addEventListener('submit', function (e) {
			var errs = {};
			e.preventDefault();
			if (!$('#road').value.trim()) errs.road = 'Enter the road name';
			if (!val('severity')) errs.severity = 'Select how bad the pothole is';
			if (!$('#desc').value.trim()) errs.desc = 'Describe the problem';
			if (!val('updates')) errs.updates = 'Select whether you want updates';
			else if (val('updates') === 'yes' && !/^[^@\s]+@[^@\s]+\.[^@\s]+$/.test($('#email').value.trim())) errs.email = 'Enter your email address';
			if (showErrors(errs))
				return;
			var s = store(), ref = 'PH-' + (90311 + s.potholes.length);
			s.potholes.push({ ref: ref, road: $('#road').value.trim(), near: $('#near').value.trim(), severity: val('severity'),
			    desc: $('#desc').value.trim(), updates: val('updates'), email: $('#email').value.trim() });
			keep(s);
			$('#main').innerHTML = '<div class="panel"><h1>Report sent</h1>Your reference<br><strong>' + ref + '</strong></div>' +
			    '<p>Dangerous potholes are made safe within 24 hours.</p><p><a href="index.html">Back to council services</a></p>';
		});
	};
	var ITEMS = [['sofa', 'Sofa'], ['armchair', 'Armchair'], ['mattress', 'Mattress'], ['bedframe', 'Bed frame'], ['fridge', 'Fridge or freezer'],
	    ['washer', 'Washing machine'], ['wardrobe', 'Wardrobe'], ['table', 'Table'], ['chair', 'Dining chair'], ['carpet', 'Carpet or rug']];
	/* Collection days: Tuesdays and Thursdays from 5 June 2025; some full. */
	function days() {
		var out = [], d = Date.UTC(2025, 5, 3), i = 0;
		while (out.length < 8) {
			var x = new Date(d + i * 864e5), wd = x.getUTCDay();
			if (wd === 2 || wd === 4)
				out.push({ iso: x.toISOString().slice(0, 10), full: out.length < 3 && out.length !== 5,
				    label: ['Sunday', 'Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday'][wd] + ' ' + x.getUTCDate() + ' ' + MONTHS[x.getUTCMonth()] + ' 2025' });
			i++;
		}
		return out;
	}
	pages.bulky = function () {
		$('#main').innerHTML = '<p><a href="index.html">Services</a> › Bulky waste</p><h1>Book a bulky waste collection</h1>' +
		    '<p class="inset">£36 for up to 3 items, then £9.50 for each further item.</p><form id="f" novalidate><fieldset class="field" id="items">' +
		    '<legend>What do you want us to collect?</legend><div class="hint">Choose how many of each.</div><table class="fees">' + ITEMS.map(function (it) {
			    return '<tr><td><label for="q-' + it[0] + '">' + it[1] + '</label></td><td><select id="q-' + it[0] + '">' + [0, 1, 2, 3, 4].map(function (n) {
				    return '<option>' + n + '</option>'; }).join('') + '</select></td></tr>'; }).join('') + '</table></fieldset>' +
		    '<fieldset class="field" id="day"><legend>Collection day</legend><div class="radios">' + days().map(function (d) {
			    return '<label><input type="radio" name="day" value="' + d.iso + '"' + (d.full ? ' disabled' : '') + '> ' + d.label +
			    (d.full ? ' (fully booked)' : '') + '</label>'; }).join('') + '</div></fieldset>' +
		    text('name', 'Full name', '', 'w20') + text('addr', 'Collection address', '', 'w20', 'House number, street and postcode') +
		    '<div class="field"><label for="phone">Phone number</label><input type="tel" id="phone" class="w10"></div>' +
		    '<button class="button" type="submit">Book collection</button></form>';
		$('#f').addEventListener('submit', function (e) {
			var errs = {}, items = {}, n = 0;
			e.preventDefault();
			ITEMS.forEach(function (it) {
				var q = +$('#q-' + it[0]).value;
				if (q) { items[it[0]] = q; n += q; }
			});
			if (!n) errs.items = 'Choose at least one item';
			if (!val('day')) errs.day = 'Choose a collection day';
			if (!$('#name').value.trim()) errs.name = 'Enter your full name';
			if (!/RV\d/i.test($('#addr').value)) errs.addr = 'Enter the address with its Riverton postcode';
			if (!/^[\d\s+()]{10,}$/.test($('#phone').value.trim())) errs.phone = 'Enter a phone number';
			if (showErrors(errs))
				return;
			var s = store(), ref = 'BW-' + (5120 + s.bulky.length);
			s.bulky.push({ ref: ref, items: items, day: val('day'), name: $('#name').value.trim(), addr: $('#addr').value.trim(),
			    phone: $('#phone').value.trim(), fee: 36 + Math.max(0, n - 3) * 9.5 });
			keep(s);
			$('#main').innerHTML = '<div class="panel"><h1>Collection booked</h1>Your reference<br><strong>' + ref + '</strong></div>' +
			    '<p>Put the items outside your property by 7am on the day.</p>';
		});
	};
	var BREEDS = ['Beagle', 'Bichon Frise', 'Border Collie', 'Boxer', 'Bulldog', 'Cavalier King Charles Spaniel', 'Chihuahua', 'Cocker Spaniel',
	    'Cockapoo', 'Dachshund', 'Dalmatian', 'German Shepherd', 'Golden Retriever', 'Greyhound', 'Jack Russell Terrier', 'Labrador Retriever',
	    'Lurcher', 'Miniature Schnauzer', 'Pug', 'Rottweiler', 'Shih Tzu', 'Springer Spaniel', 'Staffordshire Bull Terrier', 'Whippet',
	    'Yorkshire Terrier', 'Crossbreed or other'];
	pages.dog = function () {
		var ys = '';
		for (var y = 2025; y >= 2005; y--)
			ys += '<option>' + y + '</option>';
		$('#main').innerHTML = '<p><a href="index.html">Services</a> › Dog licence</p><h1>Get a dog licence</h1><form id="f" novalidate>' +
		    '<h2>About the dog</h2>' + text('dname', 'Dog\'s name', '', 'w20') +
		    '<div class="field"><label for="breed">Breed</label><select id="breed"><option value="">Select a breed</option>' +
		    BREEDS.map(function (b) { return '<option>' + b + '</option>'; }).join('') + '</select></div>' +
		    radios('sex', 'Sex', [['male', 'Male'], ['female', 'Female']], '') +
		    radios('neutered', 'Is the dog neutered or spayed?', [['yes', 'Yes'], ['no', 'No']], '', 'Neutered dogs pay a lower fee.') +
		    '<fieldset class="field" id="born"><legend>When was the dog born?</legend><div class="date"><label>Month<select id="born-m"><option value="">Month</option>' +
		    MONTHS.map(function (m, i) { return '<option value="' + (i + 1) + '">' + m + '</option>'; }).join('') + '</select></label>' +
		    '<label>Year<select id="born-y"><option value="">Year</option>' + ys + '</select></label></div></fieldset>' +
		    text('chip', 'Microchip number', '', 'w20', '15 digits') + '<h2>About you</h2>' + text('owner', 'Owner\'s full name', '', 'w20') +
		    '<button class="button" type="submit">Apply for licence</button></form>';
		$('#f').addEventListener('submit', function (e) {
			var errs = {}, chip = $('#chip').value.replace(/\s+/g, '');
			e.preventDefault();
			if (!$('#dname').value.trim()) errs.dname = 'Enter the dog\'s name';
			if (!$('#breed').value) errs.breed = 'Select the breed';
			if (!val('sex')) errs.sex = 'Select the dog\'s sex';
			if (!val('neutered')) errs.neutered = 'Select whether the dog is neutered';
			if (!$('#born-m').value || !$('#born-y').value) errs['born-m'] = 'Enter when the dog was born';
			if (!/^\d{15}$/.test(chip)) errs.chip = 'Enter the 15-digit microchip number';
			if (!$('#owner').value.trim()) errs.owner = 'Enter your full name';
			if (showErrors(errs))
				return;
			var s = store(), ref = 'DL-' + (3301 + s.dogs.length);
			s.dogs.push({ ref: ref, name: $('#dname').value.trim(), breed: $('#breed').value, sex: val('sex'), neutered: val('neutered'),
			    born: $('#born-y').value + '-' + ('0' + $('#born-m').value).slice(-2), chip: chip, owner: $('#owner').value.trim() });
			keep(s);
			$('#main').innerHTML = '<div class="panel"><h1>Licence applied for</h1>Your reference<br><strong>' + ref + '</strong></div>' +
			    '<p>The fee is £' + (val('neutered') === 'yes' ? '12.00' : '24.00') + '.</p>';
		});
	};
	pages.help = function () {
		$('#main').innerHTML = '<h1>Contact us</h1><p>Call 01632 960 000, Monday to Friday, 9am to 5pm.</p>';
	};
	window.RV = {
		state: store, days: days,
		seedPermit: function (d) { setDraft(d); render(); return true; }
	};
	function render() {
		$$('body > header, body > .phase, body > footer').forEach(function (e) { e.remove(); });
		(pages[document.body.dataset.page] || pages.index)();
		chrome();
	}
	document.addEventListener('DOMContentLoaded', render);
})();
