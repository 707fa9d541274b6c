/*
 * travel.js: Wayfarer, a flight, hotel and car-rental search site.
 * Results are generated from the query by a fixed generator (WF.flights,
 * WF.hotels, WF.cars), so the same search always shows the same offers;
 * bookings are kept in localStorage ("wayfarer").  Dates are typed
 * (DD/MM/YYYY, 14 June 2025, 2025-06-14, ...) or picked from a calendar.
 */
'use strict';

(function () {
	var KEY = 'wayfarer';
	var TODAY = new Date(Date.UTC(2025, 5, 2));
	var MONTHS = ['January', 'February', 'March', 'April', 'May', 'June',
	    'July', 'August', 'September', 'October', 'November', 'December'];
	var DAYS = ['Sunday', 'Monday', 'Tuesday', 'Wednesday', 'Thursday',
	    'Friday', 'Saturday'];
	var AIRPORTS = [['ATL', 'Atlanta', 'Hartsfield-Jackson'], ['BOS', 'Boston', 'Logan International'],
	    ['ORD', 'Chicago', "O'Hare International"], ['MDW', 'Chicago', 'Midway'],
	    ['DFW', 'Dallas', 'Fort Worth International'], ['DEN', 'Denver', 'International'],
	    ['DTW', 'Detroit', 'Metropolitan'], ['IAH', 'Houston', 'George Bush Intercontinental'],
	    ['LAS', 'Las Vegas', 'Harry Reid International'], ['LAX', 'Los Angeles', 'International'],
	    ['MIA', 'Miami', 'International'], ['MSP', 'Minneapolis', 'Saint Paul International'],
	    ['JFK', 'New York', 'John F. Kennedy'], ['LGA', 'New York', 'LaGuardia'],
	    ['EWR', 'Newark', 'Liberty International'], ['PHL', 'Philadelphia', 'International'],
	    ['PHX', 'Phoenix', 'Sky Harbor'], ['PDX', 'Portland', 'International'],
	    ['SLC', 'Salt Lake City', 'International'], ['SAN', 'San Diego', 'International'],
	    ['SFO', 'San Francisco', 'International'], ['SEA', 'Seattle', 'Tacoma International'],
	    ['IAD', 'Washington', 'Dulles International'], ['YYZ', 'Toronto', 'Pearson'],
	    ['YVR', 'Vancouver', 'International'], ['LHR', 'London', 'Heathrow'],
	    ['LGW', 'London', 'Gatwick'], ['EDI', 'Edinburgh', 'Airport'], ['DUB', 'Dublin', 'Airport'],
	    ['CDG', 'Paris', 'Charles de Gaulle'], ['AMS', 'Amsterdam', 'Schiphol'],
	    ['FRA', 'Frankfurt', 'Airport'], ['MUC', 'Munich', 'Airport'], ['MAD', 'Madrid', 'Barajas'],
	    ['LIS', 'Lisbon', 'Humberto Delgado'], ['FCO', 'Rome', 'Fiumicino'],
	    ['ZRH', 'Zurich', 'Airport'], ['CPH', 'Copenhagen', 'Kastrup']];
	var AIRLINES = [['SK', 'Skyline Air'], ['MD', 'Meridian Airways'], ['NW', 'Northwind'],
	    ['BJ', 'Bluejet'], ['PC', 'Pacifica']];

	function $(s, r) { return (r || document).querySelector(s); }
	function $$(s, r) { return Array.prototype.slice.call((r || document).querySelectorAll(s)); }
	function esc(s) {
		return String(s).replace(/[&<>"]/g, function (c) {
			return { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' }[c]; });
	}
	function qp() { return new URLSearchParams(location.search); }
	function hash(s) {
		var h = 2166136261, i;
		for (i = 0; i < s.length; i++)
			h = Math.imul(h ^ s.charCodeAt(i), 16777619);
		return h >>> 0;
	}
	function gen(seedStr) {
		var s = hash(seedStr) || 1;
		return function () {
			s ^= s << 13; s >>>= 0; s ^= s >>> 17; s ^= s << 5; s >>>= 0;
			return s / 4294967296;
		};
	}
	function airport(code) {
		return AIRPORTS.filter(function (a) { return a[0] === code; })[0];
	}
	function apName(code) {
		var a = airport(code);
		return a ? a[1] + ' (' + a[0] + ')' : code;
	}

	/* ---- dates ---- */
	function iso(d) { return d.toISOString().slice(0, 10); }
	function fromIso(s) {
		var m = /^(\d{4})-(\d\d)-(\d\d)$/.exec(s || '');
		return m ? new Date(Date.UTC(+m[1], +m[2] - 1, +m[3])) : null;
	}
	function human(s) {
		var d = fromIso(s);
		return d ? DAYS[d.getUTCDay()].slice(0, 3) + ' ' + d.getUTCDate() + ' ' +
		    MONTHS[d.getUTCMonth()].slice(0, 3) + ' ' + d.getUTCFullYear() : s;
	}
	function monthNo(w) {
		var i;
		w = w.toLowerCase();
		for (i = 0; i < 12; i++)
			if (MONTHS[i].toLowerCase().indexOf(w) === 0 && w.length >= 3)
				return i;
		return -1;
	}
	/* Parses what people type into a date field; returns ISO or null. */
	function parseDate(s) {
		var m, d, mo, y;
		s = (s || '').trim().replace(/,/g, ' ').replace(/\s+/g, ' ');
		if ((m = /^(\d{4})-(\d{1,2})-(\d{1,2})$/.exec(s)))
			y = +m[1], mo = +m[2] - 1, d = +m[3];
		else if ((m = /^(\d{1,2})[\/.](\d{1,2})[\/.](\d{4})$/.exec(s)))
			d = +m[1], mo = +m[2] - 1, y = +m[3];
		else if ((m = /^(?:[a-z]+ )?(\d{1,2})(?:st|nd|rd|th)? ([a-z]+) (\d{4})$/i.exec(s)))
			d = +m[1], mo = monthNo(m[2]), y = +m[3];
		else if ((m = /^(?:[a-z]+ )?([a-z]+) (\d{1,2})(?:st|nd|rd|th)? (\d{4})$/i.exec(s)))
			mo = monthNo(m[1]), d = +m[2], y = +m[3];
		else
			return null;
		var dt = new Date(Date.UTC(y, mo, d));
		if (mo < 0 || dt.getUTCMonth() !== mo || dt.getUTCDate() !== d)
			return null;
		return iso(dt);
	}
	function ddmm(isoS) {
		var d = fromIso(isoS);
		return d ? ('0' + d.getUTCDate()).slice(-2) + '/' + ('0' + (d.getUTCMonth() + 1)).slice(-2) +
		    '/' + d.getUTCFullYear() : '';
	}

	/* A calendar under the button next to a date field. */
	function datePicker(input) {
		var wrap = input.parentNode, btn = $('button', wrap);
		btn.addEventListener('click', function () {
			var open = $('.picker', wrap.parentNode);
			$$('.picker').forEach(function (p) { p.remove(); });
			if (open)
				return;
			var cur = fromIso(parseDate(input.value)) || TODAY;
			var view = new Date(Date.UTC(cur.getUTCFullYear(), cur.getUTCMonth(), 1));
			var pk = document.createElement('div');
			pk.className = 'picker';
			pk.setAttribute('role', 'dialog');
			pk.setAttribute('aria-label', 'Choose ' + input.getAttribute('data-what'));
			function draw() {
				var y = view.getUTCFullYear(), m = view.getUTCMonth(), h, d, i;
				var first = (view.getUTCDay() + 6) % 7, n = new Date(Date.UTC(y, m + 1, 0)).getUTCDate();
				h = '<div class="mh"><button type="button" class="prev" aria-label="Previous month">‹</button><b>' +
				    MONTHS[m] + ' ' + y + '</b><button type="button" class="next" aria-label="Next month">›</button></div>' +
				    '<table role="grid"><tr><th>Mo</th><th>Tu</th><th>We</th><th>Th</th><th>Fr</th><th>Sa</th><th>Su</th></tr><tr>';
				for (i = 0; i < first; i++)
					h += '<td></td>';
				for (d = 1; d <= n; d++) {
					var dt = new Date(Date.UTC(y, m, d)), v = iso(dt);
					h += '<td><button type="button" data-d="' + v + '" aria-label="' + DAYS[dt.getUTCDay()] + ', ' + d +
					    ' ' + MONTHS[m] + ' ' + y + '"' + (dt < TODAY ? ' disabled' : '') +
					    (v === parseDate(input.value) ? ' aria-pressed="true"' : '') + '>' + d + '</button></td>';
					if ((first + d) % 7 === 0 && d < n)
						h += '</tr><tr>';
				}
				h += '</tr></table>';
				pk.innerHTML = h;
				$('.prev', pk).addEventListener('click', function () {
					view = new Date(Date.UTC(y, m - 1, 1)); draw(); });
				$('.next', pk).addEventListener('click', function () {
					view = new Date(Date.UTC(y, m + 1, 1)); draw(); });
				$$('button[data-d]', pk).forEach(function (b) {
					b.addEventListener('click', function () {
						input.value = ddmm(b.dataset.d);
						input.dispatchEvent(new Event('change', { bubbles: true }));
						pk.remove();
					});
				});
			}
			draw();
			wrap.parentNode.appendChild(pk);
		});
	}
	function dateField(name, label, value) {
		return '<div class="field"><label for="' + name + '">' + label + '</label><div class="dateline">' +
		    '<input id="' + name + '" name="' + name + '" data-what="' + label.toLowerCase() +
		    '" placeholder="DD/MM/YYYY" autocomplete="off" value="' + esc(value ? ddmm(value) : '') +
		    '"><button type="button" aria-label="Open calendar for ' + label.toLowerCase() +
		    '">📅</button></div></div>';
	}

	/* An airport field with suggestions. */
	function apField(name, label, value) {
		return '<div class="field wide"><label for="' + name + '">' + label + '</label><input id="' + name +
		    '" name="' + name + '" role="combobox" aria-autocomplete="list" aria-expanded="false" ' +
		    'placeholder="City or airport" autocomplete="off" value="' + esc(value ? apName(value) : '') + '"></div>';
	}
	function suggest(input) {
		var list = null;
		function close() {
			if (list)
				list.remove();
			list = null;
			input.setAttribute('aria-expanded', 'false');
		}
		input.addEventListener('input', function () {
			var v = input.value.trim().toLowerCase();
			close();
			if (v.length < 2)
				return;
			var hits = AIRPORTS.filter(function (a) {
				return a[0].toLowerCase().indexOf(v) === 0 || a[1].toLowerCase().indexOf(v) === 0 ||
				    a[2].toLowerCase().indexOf(v) >= 0;
			}).slice(0, 6);
			if (!hits.length)
				return;
			list = document.createElement('ul');
			list.className = 'suggest';
			list.setAttribute('role', 'listbox');
			hits.forEach(function (a) {
				var li = document.createElement('li');
				li.setAttribute('role', 'option');
				li.textContent = a[1] + ', ' + a[2] + ' (' + a[0] + ')';
				li.addEventListener('mousedown', function (e) {
					e.preventDefault();
					input.value = apName(a[0]);
					close();
				});
				list.appendChild(li);
			});
			input.parentNode.appendChild(list);
			input.setAttribute('aria-expanded', 'true');
		});
		input.addEventListener('blur', function () { setTimeout(close, 150); });
	}
	/* The airport code a field's text stands for, or null. */
	function apCode(s) {
		var m = /\(([A-Z]{3})\)\s*$/.exec(s || ''), v = (s || '').trim().toLowerCase(), hit;
		if (m && airport(m[1]))
			return m[1];
		if (airport(v.toUpperCase()))
			return v.toUpperCase();
		hit = AIRPORTS.filter(function (a) {
			return a[1].toLowerCase() === v || (a[1] + ' ' + a[2]).toLowerCase() === v; })[0];
		return hit ? hit[0] : null;
	}

	/* ---- generated offers ---- */
	function flights(from, to, date, cabin) {
		var r = gen(from + to + date), out = [], i, base = 60 + hash(from + to) % 420;
		var dur0 = 70 + hash(to + from) % 480, mult = { economy: 1, premium: 1.7, business: 3.2, first: 5 }[cabin || 'economy'] || 1;
		for (i = 0; i < 30; i++) {
			var al = AIRLINES[Math.floor(r() * AIRLINES.length)];
			var stops = r() < 0.4 ? 0 : r() < 0.75 ? 1 : 2;
			var dep = 330 + Math.floor(r() * 204) * 5;
			var dur = dur0 + stops * (50 + Math.floor(r() * 20) * 5);
			var price = Math.round((base + r() * 220 + (stops === 0 ? 60 : 0) - stops * 25) * mult);
			var num = al[0] + (100 + Math.floor(r() * 899));
			out.push({ id: num + '-' + date, no: num, airline: al[1], from: from, to: to, date: date,
			    dep: dep, arr: dep + dur, dur: dur, stops: stops, price: price, cabin: cabin || 'economy' });
		}
		return out;
	}
	function hhmm(min) {
		var h = Math.floor(min / 60) % 24, m = min % 60;
		return ('0' + h).slice(-2) + ':' + ('0' + m).slice(-2);
	}
	var HOTEL_WORDS = ['Grand', 'Harbour', 'Park', 'Old Town', 'Riverside', 'Garden', 'Central', 'Plaza',
	    'Boutique', 'Royal', 'Station', 'Bay', 'Hilltop', 'Market', 'Cathedral'];
	var HOTEL_KIND = ['Hotel', 'Suites', 'Inn', 'Residences', 'Hostel', 'Apartments'];
	function hotels(city) {
		var r = gen('h' + city.toLowerCase()), out = [], i;
		for (i = 0; i < 24; i++) {
			var w = HOTEL_WORDS[Math.floor(r() * HOTEL_WORDS.length)], k = HOTEL_KIND[Math.floor(r() * HOTEL_KIND.length)];
			out.push({ id: city.toLowerCase().replace(/\W/g, '') + '-' + i, name: w + ' ' + k + ' ' + city,
			    city: city, stars: 2 + Math.floor(r() * 4), rating: Math.round((6.5 + r() * 3.3) * 10) / 10,
			    price: 55 + Math.floor(r() * 230), freecancel: r() < 0.5, breakfast: r() < 0.4,
			    area: ['City centre', 'Near the station', 'Waterfront', 'Old town', 'Business district'][Math.floor(r() * 5)] });
		}
		if (city.toLowerCase() === 'lisbon')
			out.splice(7, 0, { id: 'casa-do-rio', name: 'Casa do Rio', city: 'Lisbon', stars: 4, rating: 9.1,
			    price: 142, freecancel: true, breakfast: true, area: 'Waterfront' },
			    { id: 'casa-do-rio-lodge', name: 'Casa do Rio Lodge', city: 'Lisbon', stars: 3, rating: 8.2,
			    price: 96, freecancel: false, breakfast: false, area: 'Old town' });
		return out;
	}
	function rooms(h) {
		return [{ id: 'std', name: 'Standard double room', board: 'Room only', price: h.price },
		    { id: 'std-bf', name: 'Standard double room', board: 'Breakfast included', price: h.price + 18 },
		    { id: 'twin', name: 'Twin room', board: 'Room only', price: h.price + 6 },
		    { id: 'sup-bf', name: 'Superior double room, river view', board: 'Breakfast included', price: h.price + 55 },
		    { id: 'suite', name: 'Junior suite', board: 'Breakfast included', price: h.price * 2 }];
	}
	function cars(loc) {
		var r = gen('c' + loc), out = [], i;
		var models = [['Small', 'Fiat 500 or similar'], ['Small', 'VW Polo or similar'], ['Compact', 'Ford Focus or similar'],
		    ['Compact', 'Toyota Corolla or similar'], ['Midsize', 'Hyundai Sonata or similar'],
		    ['SUV', 'Jeep Compass or similar'], ['SUV', 'Toyota RAV4 or similar'], ['SUV', 'Nissan Rogue or similar'],
		    ['SUV', 'Ford Explorer or similar'], ['Van', 'Chrysler Pacifica or similar'], ['Convertible', 'Ford Mustang or similar']];
		var firms = ['Roadly', 'Drivex', 'Autovia', 'Keystone Rentals'];
		for (i = 0; i < models.length * 2; i++) {
			var m = models[i % models.length];
			out.push({ id: 'car-' + loc + '-' + i, cls: m[0], model: m[1], firm: firms[Math.floor(r() * firms.length)],
			    day: ({ Small: 28, Compact: 34, Midsize: 41, SUV: 52, Van: 66, Convertible: 79 })[m[0]] +
			    Math.floor(r() * 25), seats: m[0] === 'Van' ? 7 : m[0] === 'Small' ? 4 : 5 });
		}
		return out;
	}

	/* ---- state ---- */
	function load() {
		var s;
		try { s = JSON.parse(localStorage.getItem(KEY)); } catch (e) { s = null; }
		s = s || {};
		s.bookings = s.bookings || [];
		return s;
	}
	function book(b) {
		var s = load();
		b.ref = 'WF' + (48213 + s.bookings.length * 7);
		s.bookings.push(b);
		localStorage.setItem(KEY, JSON.stringify(s));
		return b.ref;
	}

	/* ---- page chrome ---- */
	function chrome() {
		document.body.insertAdjacentHTML('afterbegin', '<header class="hdr"><div class="in"><a class="brand" href="index.html">Wayfarer</a>' +
		    '<nav aria-label="Main"><a href="index.html">Flights</a><a href="index.html?tab=hotels">Hotels</a>' +
		    '<a href="index.html?tab=cars">Car rental</a><a href="trips.html">My trips</a></nav>' +
		    '<div class="right"><label>Currency <select aria-label="Currency"><option>EUR</option><option>USD</option><option>GBP</option></select></label>' +
		    '<a href="help.html" style="color:#fff">Help</a><a href="help.html" style="color:#fff">Sign in</a></div></div></header>');
		var cols = [['Company', ['About Wayfarer', 'Careers', 'Press room', 'Investors']],
		    ['Support', ['Help centre', 'Cancel a booking', 'Refunds', 'Travel advice']],
		    ['Discover', ['Deals', 'City guides', 'Airlines', 'Airports', 'Gift cards']]];
		var f = '<footer><div class="in">';
		cols.forEach(function (c) {
			f += '<div><b>' + c[0] + '</b>';
			c[1].forEach(function (x) { f += '<a href="help.html">' + x + '</a>'; });
			f += '</div>';
		});
		document.body.insertAdjacentHTML('beforeend', f + '<div>© 2025 Wayfarer Travel Ltd.<br>Prices include taxes and fees.</div></div></footer>');
	}

	var pages = {};
	pages.index = function () {
		var tab = qp().get('tab') || 'flights';
		var h = '<section class="hero"><h1>Where to next?</h1></section><div class="searchbox">' +
		    '<div role="tablist" aria-label="What to search">' +
		    '<button role="tab" id="t-flights" aria-controls="p-flights">✈ Flights</button>' +
		    '<button role="tab" id="t-hotels" aria-controls="p-hotels">🛏 Hotels</button>' +
		    '<button role="tab" id="t-cars" aria-controls="p-cars">🚗 Car rental</button></div>' +
		    '<form role="tabpanel" id="p-flights" aria-labelledby="t-flights" action="flights.html" novalidate>' +
		    '<div class="radios"><label><input type="radio" name="trip" value="round" checked> Round trip</label> ' +
		    '<label><input type="radio" name="trip" value="oneway"> One way</label></div><div class="fields">' +
		    apField('from', 'From') + apField('to', 'To') + dateField('depart', 'Depart') +
		    '<span id="ret-wrap">' + dateField('return', 'Return') + '</span>' +
		    '<div class="field"><label for="adults">Adults</label><select id="adults" name="adults">' +
		    [1, 2, 3, 4, 5, 6].map(function (n) { return '<option>' + n + '</option>'; }).join('') + '</select></div>' +
		    '<div class="field"><label for="children">Children</label><select id="children" name="children">' +
		    [0, 1, 2, 3, 4].map(function (n) { return '<option>' + n + '</option>'; }).join('') + '</select></div>' +
		    '<div class="field"><label for="cabin">Cabin class</label><select id="cabin" name="cabin">' +
		    '<option value="economy">Economy</option><option value="premium">Premium economy</option>' +
		    '<option value="business">Business</option><option value="first">First</option></select></div>' +
		    '<button class="go" type="submit">Search flights</button></div><div class="errs"></div></form>' +
		    '<form role="tabpanel" id="p-hotels" aria-labelledby="t-hotels" action="hotels.html" novalidate><div class="fields">' +
		    '<div class="field wide"><label for="dest">Destination</label><input id="dest" name="dest" placeholder="City" autocomplete="off"></div>' +
		    dateField('in', 'Check-in') + dateField('out', 'Check-out') +
		    '<div class="field"><label for="guests">Guests</label><select id="guests" name="guests">' +
		    [1, 2, 3, 4, 5, 6].map(function (n) { return '<option' + (n === 2 ? ' selected' : '') + '>' + n + '</option>'; }).join('') +
		    '</select></div><div class="field"><label for="rooms">Rooms</label><select id="rooms" name="rooms"><option>1</option><option>2</option><option>3</option></select></div>' +
		    '<button class="go" type="submit">Search hotels</button></div><div class="errs"></div></form>' +
		    '<form role="tabpanel" id="p-cars" aria-labelledby="t-cars" action="cars.html" novalidate><div class="fields">' +
		    apField('loc', 'Pick-up location') + dateField('pick', 'Pick-up date') + dateField('drop', 'Drop-off date') +
		    '<div class="field"><label for="age">Driver age</label><select id="age" name="age"><option>25+</option><option>21-24</option><option>70+</option></select></div>' +
		    '<button class="go" type="submit">Search cars</button></div><div class="errs"></div></form></div>' +
		    '<div class="page"><h2>Trending destinations</h2><p>' + ['Lisbon', 'Denver', 'London', 'Seattle', 'Rome', 'Toronto']
		    .map(function (c) { return '<a href="hotels.html?dest=' + c + '">' + c + '</a>'; }).join(' · ') + '</p></div>';
		$('#main').innerHTML = h;
		function show(t) {
			['flights', 'hotels', 'cars'].forEach(function (x) {
				$('#t-' + x).setAttribute('aria-selected', String(x === t));
				$('#p-' + x).hidden = x !== t;
			});
		}
		['flights', 'hotels', 'cars'].forEach(function (x) {
			$('#t-' + x).addEventListener('click', function () { show(x); });
		});
		show(tab);
		$$('input[role=combobox]').forEach(suggest);
		$$('input[data-what]').forEach(datePicker);
		function trip() {
			$('#ret-wrap').hidden = $('#p-flights').trip.value === 'oneway';
		}
		$('#p-flights').addEventListener('change', trip);
		function fail(form, errs) {
			$('.errs', form).innerHTML = '<div class="err" role="alert">' + errs.join('<br>') + '</div>';
		}
		$('#p-flights').addEventListener('submit', function (e) {
			var f = e.target, errs = [], from = apCode(f.from.value), to = apCode(f.to.value);
			var dep = parseDate(f.depart.value), ret = parseDate(f['return'].value);
			e.preventDefault();
			if (!from) errs.push('Choose where you fly from.');
			if (!to) errs.push('Choose where you fly to.');
			if (from && from === to) errs.push('Departure and destination must differ.');
			if (!dep) errs.push('Enter a departure date (DD/MM/YYYY).');
			else if (dep < iso(TODAY)) errs.push('The departure date is in the past.');
			if (f.trip.value === 'round') {
				if (!ret) errs.push('Enter a return date (DD/MM/YYYY).');
				else if (dep && ret < dep) errs.push('The return date is before the departure date.');
			}
			if (errs.length) return fail(f, errs);
			var u = new URLSearchParams({ trip: f.trip.value, from: from, to: to, depart: dep });
			if (f.trip.value === 'round') u.set('return', ret);
			u.set('adults', f.adults.value);
			u.set('children', f.children.value);
			u.set('cabin', f.cabin.value);
			location.href = 'flights.html?' + u.toString();
		});
		$('#p-hotels').addEventListener('submit', function (e) {
			var f = e.target, errs = [], a = parseDate(f['in'].value), b = parseDate(f.out.value);
			e.preventDefault();
			if (!f.dest.value.trim()) errs.push('Enter a destination.');
			if (!a) errs.push('Enter a check-in date (DD/MM/YYYY).');
			if (!b) errs.push('Enter a check-out date (DD/MM/YYYY).');
			if (a && b && b <= a) errs.push('Check-out must be after check-in.');
			if (errs.length) return fail(f, errs);
			var d = f.dest.value.trim();
			location.href = 'hotels.html?' + new URLSearchParams({ dest: d.charAt(0).toUpperCase() + d.slice(1),
			    'in': a, out: b, guests: f.guests.value, rooms: f.rooms.value }).toString();
		});
		$('#p-cars').addEventListener('submit', function (e) {
			var f = e.target, errs = [], l = apCode(f.loc.value), a = parseDate(f.pick.value), b = parseDate(f.drop.value);
			e.preventDefault();
			if (!l) errs.push('Choose a pick-up location.');
			if (!a || !b) errs.push('Enter pick-up and drop-off dates (DD/MM/YYYY).');
			else if (b <= a) errs.push('Drop-off must be after pick-up.');
			if (errs.length) return fail(f, errs);
			location.href = 'cars.html?' + new URLSearchParams({ loc: l, pick: a, drop: b, age: f.age.value }).toString();
		});
	};

	pages.flights = function () {
		var p = qp(), from = p.get('from'), to = p.get('to'), dep = p.get('depart'), cabin = p.get('cabin') || 'economy';
		if (!airport(from) || !airport(to) || !fromIso(dep)) {
			$('#main').innerHTML = '<div class="page"><h1>Search not understood</h1><p><a href="index.html">Start a new search</a></p></div>';
			return;
		}
		var all = flights(from, to, dep, cabin);
		document.title = apName(from) + ' to ' + apName(to) + ' – Wayfarer';
		var h = '<div class="page"><div class="summary"><div><b>' + apName(from) + ' → ' + apName(to) + '</b><br>' +
		    (p.get('trip') === 'oneway' ? 'One way' : 'Round trip, back ' + human(p.get('return'))) + ' · ' + human(dep) + ' · ' +
		    p.get('adults') + ' adult(s) · ' + ({ economy: 'Economy', premium: 'Premium economy', business: 'Business', first: 'First' }[cabin]) +
		    '</div><a href="index.html">Modify search</a></div><div class="layout"><form class="side" id="flt"><fieldset><legend>Stops</legend>' +
		    '<label><input type="checkbox" name="stops" value="0"> Nonstop</label><label><input type="checkbox" name="stops" value="1"> 1 stop</label>' +
		    '<label><input type="checkbox" name="stops" value="2"> 2+ stops</label></fieldset><fieldset><legend>Airlines</legend>';
		AIRLINES.forEach(function (a) {
			h += '<label><input type="checkbox" name="airline" value="' + a[1] + '"> ' + a[1] + '</label>';
		});
		h += '</fieldset><fieldset><legend>Departure time</legend><label><input type="checkbox" name="time" value="m"> Morning (05:00–11:59)</label>' +
		    '<label><input type="checkbox" name="time" value="a"> Afternoon (12:00–17:59)</label><label><input type="checkbox" name="time" value="e"> Evening (18:00–23:59)</label></fieldset>' +
		    '<fieldset><legend>Price</legend><label>Up to <select name="max" aria-label="Maximum price"><option value="">Any</option><option>200</option><option>300</option><option>500</option><option>800</option></select></label></fieldset></form>' +
		    '<section style="flex:1"><div class="summary"><span id="count"></span><label>Sort by <select id="sort">' +
		    '<option value="best">Best</option><option value="price">Cheapest first</option><option value="dur">Fastest first</option>' +
		    '<option value="dep">Earliest departure</option></select></label></div><div id="list"></div></section></div></div>';
		$('#main').innerHTML = h;
		function draw() {
			var f = $('#flt'), st = $$('input[name=stops]:checked', f).map(function (x) { return +x.value; });
			var al = $$('input[name=airline]:checked', f).map(function (x) { return x.value; });
			var tm = $$('input[name=time]:checked', f).map(function (x) { return x.value; });
			var max = f.max.value, sort = $('#sort').value;
			var rows = all.filter(function (x) {
				var slot = x.dep < 720 ? 'm' : x.dep < 1080 ? 'a' : 'e';
				return (!st.length || st.indexOf(Math.min(x.stops, 2)) >= 0) && (!al.length || al.indexOf(x.airline) >= 0) &&
				    (!tm.length || tm.indexOf(slot) >= 0) && (!max || x.price <= +max);
			});
			rows.sort({ best: function (a, b) { return a.price + a.dur / 3 - b.price - b.dur / 3; },
			    price: function (a, b) { return a.price - b.price; }, dur: function (a, b) { return a.dur - b.dur; },
			    dep: function (a, b) { return a.dep - b.dep; } }[sort]);
			$('#count').textContent = rows.length + ' of ' + all.length + ' flights';
			$('#list').innerHTML = rows.map(function (x) {
				return '<div class="res" data-id="' + x.id + '"><div class="times">' + hhmm(x.dep) + ' – ' + hhmm(x.arr) +
				    (x.arr >= 1440 ? ' <small>+1</small>' : '') + '</div><div class="meta">' + x.airline + ' ' + x.no + '<br>' +
				    Math.floor(x.dur / 60) + 'h ' + (x.dur % 60) + 'm · ' + (x.stops === 0 ? 'Nonstop<span class="tag">Direct</span>' :
				    x.stops + ' stop' + (x.stops > 1 ? 's' : '')) + '</div><div class="price">€' + x.price + '</div>' +
				    '<button type="button" aria-label="Select ' + x.airline + ' ' + x.no + ', departs ' + hhmm(x.dep) + ', €' + x.price +
				    '">Select</button></div>';
			}).join('') || '<p class="box">No flights match your filters.</p>';
			$$('#list button').forEach(function (b) {
				b.addEventListener('click', function () {
					var u = qp();
					u.set('flight', b.parentNode.dataset.id);
					location.href = 'booking.html?' + u.toString();
				});
			});
		}
		$('#flt').addEventListener('change', draw);
		$('#sort').addEventListener('change', draw);
		draw();
	};

	function travellerForm(n) {
		var h = '';
		for (var i = 1; i <= n; i++)
			h += '<fieldset class="box"><legend><b>Passenger ' + i + '</b></legend><div class="grid2">' +
			    '<label>Title<select name="title' + i + '"><option>Ms</option><option>Mr</option><option>Mx</option><option>Dr</option></select></label><span></span>' +
			    '<label>First name<input name="first' + i + '"></label><label>Last name<input name="last' + i + '"></label></div></fieldset>';
		return h;
	}
	pages.booking = function () {
		var p = qp(), fl = flights(p.get('from'), p.get('to'), p.get('depart'), p.get('cabin') || 'economy')
		    .filter(function (x) { return x.id === p.get('flight'); })[0], n = +p.get('adults') || 1;
		if (!fl) {
			$('#main').innerHTML = '<div class="page"><h1>This offer is no longer available</h1><p><a href="index.html">Search again</a></p></div>';
			return;
		}
		document.title = 'Book ' + fl.airline + ' ' + fl.no + ' – Wayfarer';
		$('#main').innerHTML = '<div class="page"><h1>Your flight</h1><div class="box"><b>' + fl.airline + ' ' + fl.no + '</b> · ' +
		    apName(fl.from) + ' ' + hhmm(fl.dep) + ' → ' + apName(fl.to) + ' ' + hhmm(fl.arr) + ' · ' + human(fl.date) + ' · ' +
		    (fl.stops ? fl.stops + ' stop(s)' : 'Nonstop') + ' · <b>€' + (fl.price * n) + '</b> for ' + n + ' adult(s)</div>' +
		    '<form id="bk" novalidate><h2>Who is travelling?</h2>' + travellerForm(n) +
		    '<div class="box"><h2>Contact details</h2><div class="grid2"><label>Email<input type="email" name="email"></label>' +
		    '<label>Phone<input type="tel" name="phone"></label></div></div><div class="box"><h2>Extras</h2>' +
		    '<label><input type="checkbox" name="bag"> Add a checked bag (23 kg) – €35</label><br>' +
		    '<label><input type="checkbox" name="insurance"> Add travel insurance – €19</label></div>' +
		    '<div id="errs"></div><button class="btn" type="submit">Book now</button> <a href="javascript:history.back()">Back to results</a></form></div>';
		$('#bk').addEventListener('submit', function (e) {
			var f = e.target, errs = [], pax = [], i;
			e.preventDefault();
			for (i = 1; i <= n; i++) {
				if (!f['first' + i].value.trim() || !f['last' + i].value.trim())
					errs.push('Enter the first and last name of passenger ' + i + '.');
				pax.push({ title: f['title' + i].value, first: f['first' + i].value.trim(), last: f['last' + i].value.trim() });
			}
			if (!/^[^@\s]+@[^@\s]+\.[^@\s]+$/.test(f.email.value.trim()))
				errs.push('Enter a valid email address.');
			if (errs.length) {
				$('#errs').innerHTML = '<div class="err" role="alert">' + errs.join('<br>') + '</div>';
				return;
			}
			var ref = book({ type: 'flight', flight: fl.id, from: fl.from, to: fl.to, date: fl.date, price: fl.price * n,
			    pax: pax, email: f.email.value.trim(), phone: f.phone.value.trim(), bag: f.bag.checked });
			$('#main').innerHTML = '<div class="page"><div class="ok" role="status"><h1>Booked!</h1><p>Your booking reference is <b>' +
			    ref + '</b>. We sent the e-ticket to ' + esc(f.email.value.trim()) + '.</p></div><p><a href="trips.html">See my trips</a></p></div>';
		});
	};

	pages.hotels = function () {
		var p = qp(), city = (p.get('dest') || '').trim(), all = hotels(city || 'Lisbon');
		document.title = 'Hotels in ' + city + ' – Wayfarer';
		var nights = p.get('in') && p.get('out') ? Math.round((fromIso(p.get('out')) - fromIso(p.get('in'))) / 864e5) : 1;
		var h = '<div class="page"><div class="summary"><div><b>' + esc(city) + '</b> · ' + (p.get('in') ? human(p.get('in')) + ' – ' +
		    human(p.get('out')) + ' (' + nights + ' nights)' : 'Any dates') + ' · ' + (p.get('guests') || 2) + ' guests</div>' +
		    '<a href="index.html?tab=hotels">Change search</a></div><div class="layout"><form class="side" id="hf"><fieldset><legend>Stars</legend>' +
		    [5, 4, 3, 2].map(function (s) { return '<label><input type="checkbox" name="stars" value="' + s + '"> ' + s + ' stars</label>'; }).join('') +
		    '</fieldset><fieldset><legend>Offers</legend><label><input type="checkbox" name="fc"> Free cancellation</label>' +
		    '<label><input type="checkbox" name="bf"> Breakfast available</label></fieldset></form><section style="flex:1">' +
		    '<div class="summary"><span id="count"></span><label>Sort by <select id="sort"><option value="pop">Popularity</option>' +
		    '<option value="price">Price (lowest first)</option><option value="rating">Guest rating</option></select></label></div><div id="list"></div></section></div></div>';
		$('#main').innerHTML = h;
		function draw() {
			var st = $$('input[name=stars]:checked').map(function (x) { return +x.value; });
			var rows = all.filter(function (x) {
				return (!st.length || st.indexOf(x.stars) >= 0) && (!$('#hf').fc.checked || x.freecancel) &&
				    (!$('#hf').bf.checked || x.breakfast);
			});
			var s = $('#sort').value;
			if (s === 'price') rows.sort(function (a, b) { return a.price - b.price; });
			if (s === 'rating') rows.sort(function (a, b) { return b.rating - a.rating; });
			$('#count').textContent = rows.length + ' properties';
			$('#list').innerHTML = rows.map(function (x) {
				var u = qp();
				u.set('id', x.id);
				return '<div class="res"><div class="meta"><a href="hotel.html?' + u.toString() + '" style="font-size:17px;font-weight:bold">' +
				    esc(x.name) + '</a> ' + '★'.repeat(x.stars) + '<br>' + x.area + ' · Guest rating ' + x.rating + '/10' +
				    (x.freecancel ? '<span class="tag">Free cancellation</span>' : '') + (x.breakfast ? '<span class="tag">Breakfast</span>' : '') +
				    '</div><div class="price">€' + x.price + '<br><small style="font-weight:normal">per night</small></div></div>';
			}).join('');
		}
		$('#hf').addEventListener('change', draw);
		$('#sort').addEventListener('change', draw);
		draw();
	};
	pages.hotel = function () {
		var p = qp(), city = p.get('dest') || 'Lisbon', ho = hotels(city).filter(function (x) { return x.id === p.get('id'); })[0];
		if (!ho) {
			$('#main').innerHTML = '<div class="page"><h1>Hotel not found</h1></div>';
			return;
		}
		document.title = ho.name + ' – Wayfarer';
		var h = '<div class="page"><p><a href="hotels.html?' + (function () { var u = qp(); u.delete('id'); return u.toString(); })() +
		    '">← All hotels in ' + esc(city) + '</a></p><h1>' + esc(ho.name) + ' ' + '★'.repeat(ho.stars) + '</h1><p>' + ho.area +
		    ' · Guest rating ' + ho.rating + '/10</p><div class="box"><h2>Choose your room</h2><table class="rooms"><tr><th>Room</th><th>Board</th><th>Price per night</th><th></th></tr>';
		rooms(ho).forEach(function (r) {
			h += '<tr data-room="' + r.id + '"><td>' + r.name + '</td><td>' + r.board + '</td><td>€' + r.price + '</td><td>' +
			    '<button class="btn" type="button" data-room="' + r.id + '" aria-label="Reserve ' + r.name + ', ' + r.board.toLowerCase() +
			    ', €' + r.price + '">Reserve</button></td></tr>';
		});
		h += '</table></div><div id="guest"></div></div>';
		$('#main').innerHTML = h;
		$$('button[data-room]').forEach(function (b) {
			b.addEventListener('click', function () {
				var r = rooms(ho).filter(function (x) { return x.id === b.dataset.room; })[0];
				$('#guest').innerHTML = '<form class="box" id="gf" novalidate><h2>' + r.name + ' – ' + r.board + '</h2><div class="grid2">' +
				    '<label>Guest first name<input name="first"></label><label>Guest last name<input name="last"></label>' +
				    '<label>Email<input type="email" name="email"></label><label>Arrival time<select name="arrival"><option>I don\'t know</option>' +
				    '<option>14:00–16:00</option><option>16:00–18:00</option><option>18:00–20:00</option><option>After 20:00</option></select></label></div>' +
				    '<div id="errs"></div><p><button class="btn" type="submit">Confirm reservation</button></p></form>';
				$('#gf').scrollIntoView();
				$('#gf').addEventListener('submit', function (e) {
					var f = e.target;
					e.preventDefault();
					if (!f.first.value.trim() || !f.last.value.trim() || !/^[^@\s]+@[^@\s]+\.[^@\s]+$/.test(f.email.value.trim())) {
						$('#errs').innerHTML = '<div class="err" role="alert">Enter the guest\'s name and a valid email address.</div>';
						return;
					}
					var ref = book({ type: 'hotel', hotel: ho.id, room: r.id, checkin: p.get('in'), checkout: p.get('out'),
					    guests: +(p.get('guests') || 2), first: f.first.value.trim(), last: f.last.value.trim(), email: f.email.value.trim() });
					$('#main').innerHTML = '<div class="page"><div class="ok" role="status"><h1>Reservation confirmed</h1><p>' + esc(ho.name) +
					    ', ' + r.name + ' (' + r.board.toLowerCase() + '). Reference <b>' + ref + '</b>.</p></div></div>';
				});
			});
		});
	};
	pages.cars = function () {
		var p = qp(), all = cars(p.get('loc') || 'DEN');
		var days = Math.max(1, Math.round((fromIso(p.get('drop')) - fromIso(p.get('pick'))) / 864e5) || 1);
		document.title = 'Cars at ' + apName(p.get('loc')) + ' – Wayfarer';
		var h = '<div class="page"><div class="summary"><div><b>' + apName(p.get('loc')) + '</b> · ' + human(p.get('pick')) + ' – ' +
		    human(p.get('drop')) + ' (' + days + ' days)</div><a href="index.html?tab=cars">Change search</a></div><div class="layout">' +
		    '<form class="side" id="cf"><fieldset><legend>Car type</legend>' + ['Small', 'Compact', 'Midsize', 'SUV', 'Van', 'Convertible']
		    .map(function (c) { return '<label><input type="checkbox" name="cls" value="' + c + '"> ' + c + '</label>'; }).join('') +
		    '</fieldset></form><section style="flex:1"><div class="summary"><span id="count"></span><label>Sort by <select id="sort">' +
		    '<option value="rec">Recommended</option><option value="price">Price (lowest first)</option></select></label></div><div id="list"></div></section></div></div>';
		$('#main').innerHTML = h;
		function draw() {
			var cl = $$('input[name=cls]:checked').map(function (x) { return x.value; });
			var rows = all.filter(function (x) { return !cl.length || cl.indexOf(x.cls) >= 0; });
			if ($('#sort').value === 'price')
				rows.sort(function (a, b) { return a.day - b.day; });
			$('#count').textContent = rows.length + ' cars';
			$('#list').innerHTML = rows.map(function (x) {
				return '<div class="res" data-id="' + x.id + '"><div class="meta"><b>' + x.cls + '</b> · ' + x.model + '<br>' + x.seats +
				    ' seats · ' + x.firm + '</div><div class="price">€' + x.day + '<br><small style="font-weight:normal">per day, €' +
				    x.day * days + ' total</small></div><button type="button" aria-label="Choose ' + x.cls + ' ' + x.model + ' from ' + x.firm +
				    ', €' + x.day + ' per day">Choose</button></div>';
			}).join('');
			$$('#list button').forEach(function (b) {
				b.addEventListener('click', function () {
					var x = all.filter(function (c) { return c.id === b.parentNode.dataset.id; })[0];
					$('#main').innerHTML = '<div class="page"><h1>' + x.cls + ': ' + x.model + '</h1><form class="box" id="df" novalidate>' +
					    '<div class="grid2"><label>Driver first name<input name="first"></label><label>Driver last name<input name="last"></label>' +
					    '<label>Email<input type="email" name="email"></label></div><div id="errs"></div><p><button class="btn">Book this car</button></p></form></div>';
					$('#df').addEventListener('submit', function (e) {
						var f = e.target;
						e.preventDefault();
						if (!f.first.value.trim() || !f.last.value.trim() || !/^[^@\s]+@[^@\s]+\.[^@\s]+$/.test(f.email.value.trim())) {
							$('#errs').innerHTML = '<div class="err" role="alert">Enter the driver\'s name and a valid email address.</div>';
							return;
						}
						var ref = book({ type: 'car', car: x.id, cls: x.cls, day: x.day, loc: p.get('loc'), pick: p.get('pick'),
						    drop: p.get('drop'), first: f.first.value.trim(), last: f.last.value.trim(), email: f.email.value.trim() });
						$('#main').innerHTML = '<div class="page"><div class="ok" role="status"><h1>Car booked</h1><p>Reference <b>' + ref + '</b>.</p></div></div>';
					});
				});
			});
		}
		$('#cf').addEventListener('change', draw);
		$('#sort').addEventListener('change', draw);
		draw();
	};
	pages.trips = function () {
		var b = load().bookings;
		$('#main').innerHTML = '<div class="page"><h1>My trips</h1>' + (b.length ? b.map(function (x) {
			return '<div class="box"><b>' + x.ref + '</b> · ' + x.type + '</div>'; }).join('') : '<p>No trips yet.</p>') + '</div>';
	};
	pages.help = function () {
		$('#main').innerHTML = '<div class="page"><h1>Help centre</h1><p>Our team answers around the clock at help@wayfarer.test.</p></div>';
	};

	window.WF = { flights: flights, hotels: hotels, cars: cars, rooms: rooms, parseDate: parseDate, bookings: function () { return load().bookings; } };
	document.addEventListener('DOMContentLoaded', function () {
		(pages[document.body.dataset.page] || pages.index)();
		chrome();
	});
})();
