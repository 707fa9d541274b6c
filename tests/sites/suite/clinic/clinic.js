/*
 * clinic.js: Brightside Health appointment booking.  Clinicians'
 * free times come from a fixed function of (clinician, date, time), with
 * a few fixed exceptions the suite's tasks rely on; "today" is Monday
 * 2 June 2025.  Appointments and the waiting list are kept in
 * localStorage ("brightside"), seeded with three appointments.
 */
'use strict';

(function () {
	var KEY = 'brightside';
	var TODAY = '2025-06-02';
	var MONTHS = ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December'];
	var WD = ['Sunday', 'Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday'];
	var SERVICES = [['gp', 'GP consultation', 15, true], ['dental', 'Dental check-up', 30, false],
	    ['physio', 'Physiotherapy', 30, false], ['derm', 'Dermatology', 20, true],
	    ['eye', 'Eye exam', 30, false], ['vacc', 'Vaccination', 15, false]];
	var DOCS = [['haddad', 'Dr. Omar Haddad', 'gp', ['English', 'Arabic', 'French']],
	    ['novak', 'Dr. Eva Novak', 'gp', ['English', 'Polish', 'German']],
	    ['reyes', 'Dr. Lucia Reyes', 'gp', ['English', 'Spanish']],
	    ['brooks', 'Dr. Sam Brooks', 'gp', ['English']],
	    ['park', 'Dr. Lena Park', 'dental', ['English', 'Korean']],
	    ['oyelaran', 'Dr. Tunde Oyelaran', 'dental', ['English', 'Yoruba']],
	    ['fischer', 'Dr. Jonas Fischer', 'dental', ['English', 'German']],
	    ['mills', 'Hannah Mills', 'physio', ['English']],
	    ['santos', 'Bruno Santos', 'physio', ['English', 'Portuguese', 'Spanish']],
	    ['kowal', 'Agata Kowal', 'physio', ['English', 'Polish']],
	    ['moreno', 'Dr. Isabel Moreno', 'derm', ['English', 'Spanish']],
	    ['chen', 'Dr. Wei Chen', 'derm', ['English', 'Mandarin']],
	    ['patel', 'Dr. Anil Patel', 'eye', ['English', 'Hindi', 'Gujarati']],
	    ['lind', 'Dr. Karin Lind', 'eye', ['English', 'Swedish']],
	    ['ward', 'Nurse Joe Ward', 'vacc', ['English']],
	    ['amari', 'Nurse Leila Amari', 'vacc', ['English', 'Arabic']]];
	/* Exceptions: [doc, date, 'full' | list of free times]. */
	var FIXED = [['park', '2025-06-18', ['09:00', '10:30', '11:00', '14:30']],
	    ['haddad', '2025-06-10', 'full'],
	    ['chen', '2025-06-19', ['09:20', '14:00', '15:40']],
	    ['moreno', '2025-06-16', ['10:40', '11:00', '13:20', '15:00']]];

	function $(s, r) { return (r || document).querySelector(s); }
	function $$(s, r) { return Array.prototype.slice.call((r || document).querySelectorAll(s)); }
	function esc(s) {
		return String(s).replace(/[&<>"]/g, function (c) {
			return { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' }[c]; });
	}
	function h32(s) {
		var h = 2166136261, i;
		for (i = 0; i < s.length; i++)
			h = Math.imul(h ^ s.charCodeAt(i), 16777619);
		return h >>> 0;
	}
	function dt(iso) { var m = iso.split('-'); return new Date(Date.UTC(+m[0], +m[1] - 1, +m[2])); }
	function isoOf(d) { return d.toISOString().slice(0, 10); }
	function nice(iso) {
		var d = dt(iso);
		return WD[d.getUTCDay()] + ' ' + d.getUTCDate() + ' ' + MONTHS[d.getUTCMonth()] + ' ' + d.getUTCFullYear();
	}
	function service(id) { return SERVICES.filter(function (s) { return s[0] === id; })[0]; }
	function doc(id) { return DOCS.filter(function (d) { return d[0] === id; })[0]; }

	function load() {
		var s;
		try { s = JSON.parse(localStorage.getItem(KEY)); } catch (e) { s = null; }
		if (!s || !s.appts)
			s = { appts: [{ id: 'a-eye', service: 'eye', doc: 'patel', date: '2025-06-24', time: '11:30', mode: 'person', patient: 'Dana Whitfield', status: 'booked' },
			    { id: 'a-derm', service: 'derm', doc: 'chen', date: '2025-06-12', time: '10:00', mode: 'person', patient: 'Dana Whitfield', status: 'booked' },
			    { id: 'a-physio', service: 'physio', doc: 'mills', date: '2025-06-20', time: '08:30', mode: 'person', patient: 'Dana Whitfield', status: 'booked' }],
			    waitlist: [] };
		return s;
	}
	function save(s) { localStorage.setItem(KEY, JSON.stringify(s)); }
	function taken(s, d, date, time, except) {
		return s.appts.some(function (a) {
			return a.id !== except && a.status === 'booked' && a.doc === d && a.date === date && a.time === time; });
	}
	/* Free times of clinician d on date (ISO). */
	function slots(d, date, s, except) {
		var x = doc(d), sv = service(x[2]), out = [], m, wd = dt(date).getUTCDay(), i;
		if (date <= TODAY || wd === 0 || wd === 6)
			return [];
		for (i = 0; i < FIXED.length; i++)
			if (FIXED[i][0] === d && FIXED[i][1] === date)
				return FIXED[i][2] === 'full' ? [] : FIXED[i][2].filter(function (t) {
					return !taken(s || load(), d, date, t, except); });
		if (h32(d + date) % 7 === 0)
			return [];
		for (m = 8 * 60 + 30; m + sv[2] <= 17 * 60; m += sv[2]) {
			var t = ('0' + Math.floor(m / 60)).slice(-2) + ':' + ('0' + m % 60).slice(-2);
			if (m >= 12 * 60 + 30 && m < 13 * 60 + 30)
				continue;
			if (h32(d + date + t) % 3 === 0 && !taken(s || load(), d, date, t, except))
				out.push(t);
		}
		return out;
	}
	/* Free times of any clinician of service sv: [{time, doc}] by time. */
	function anySlots(sv, date, mode) {
		var by = {};
		DOCS.forEach(function (x) {
			if (x[2] !== sv)
				return;
			slots(x[0], date).forEach(function (t) {
				if (!by[t])
					by[t] = x[0];
			});
		});
		return Object.keys(by).sort().map(function (t) { return { time: t, doc: by[t] }; });
	}
	function dayFull(d, date) {
		var wd = dt(date).getUTCDay();
		return date > TODAY && wd !== 0 && wd !== 6 && slots(d, date).length === 0;
	}

	function chrome() {
		document.body.insertAdjacentHTML('afterbegin', '<header class="hdr"><div class="in"><a class="brand" href="book.html">✚ Brightside Health</a>' +
		    '<nav aria-label="Main"><a href="book.html">Book an appointment</a><a href="appointments.html">My appointments</a>' +
		    '<a href="help.html">Services</a><a href="help.html">Find us</a></nav><span class="call">Urgent? Call 0800 555 0199</span></div></header>');
		document.body.insertAdjacentHTML('beforeend', '<footer><a href="help.html">Opening hours</a><a href="help.html">Accessibility</a>' +
		    '<a href="help.html">Privacy notice</a><a href="help.html">Complaints</a><p>Brightside Health Centre, 14 Elm Row</p></footer>');
	}

	/*
	 * A month calendar in el.  opts: {avail(date) -> 'free'|'full'|'none',
	 * pick(date), start (ISO month), sel (ISO)}.
	 */
	function calendar(el, opts) {
		var view = dt((opts.sel || opts.start || TODAY).slice(0, 8) + '01');
		function draw() {
			var y = view.getUTCFullYear(), m = view.getUTCMonth(), first = (view.getUTCDay() + 6) % 7;
			var n = new Date(Date.UTC(y, m + 1, 0)).getUTCDate(), h, d;
			h = '<div class="cal" role="group" aria-label="Choose a date"><div class="mh"><button type="button" class="prev" aria-label="Previous month">‹</button>' +
			    '<b aria-live="polite">' + MONTHS[m] + ' ' + y + '</b><button type="button" class="next" aria-label="Next month">›</button></div>' +
			    '<table><tr><th>Mon</th><th>Tue</th><th>Wed</th><th>Thu</th><th>Fri</th><th>Sat</th><th>Sun</th></tr><tr>';
			for (d = 0; d < first; d++)
				h += '<td></td>';
			for (d = 1; d <= n; d++) {
				var iso = isoOf(new Date(Date.UTC(y, m, d))), a = opts.avail(iso);
				h += '<td><button type="button" data-d="' + iso + '" aria-label="' + nice(iso) + (a === 'full' ? ', fully booked' :
				    a === 'free' ? ', times available' : ', no times') + '"' + (a === 'none' ? ' disabled' : '') + (a === 'full' ? ' class="full"' : '') +
				    (iso === opts.sel ? ' aria-pressed="true"' : '') + '>' + d + '</button></td>';
				if ((first + d) % 7 === 0 && d < n)
					h += '</tr><tr>';
			}
			el.innerHTML = h + '</tr></table><p style="font-size:13px;margin:6px 0 0">Blue: times free · Yellow: fully booked</p></div>';
			$('.prev', el).disabled = y * 12 + m <= 2025 * 12 + 5;
			$('.prev', el).addEventListener('click', function () { view = new Date(Date.UTC(y, m - 1, 1)); draw(); });
			$('.next', el).addEventListener('click', function () { view = new Date(Date.UTC(y, m + 1, 1)); draw(); });
			$$('button[data-d]', el).forEach(function (b) {
				b.addEventListener('click', function () {
					opts.sel = b.dataset.d;
					draw();
					opts.pick(b.dataset.d);
				});
			});
		}
		draw();
	}
	function dobFields() {
		var h = '<span class="dob"><select id="dob-d" aria-label="Day of birth"><option value="">Day</option>';
		for (var i = 1; i <= 31; i++)
			h += '<option>' + i + '</option>';
		h += '</select><select id="dob-m" aria-label="Month of birth"><option value="">Month</option>' +
		    MONTHS.map(function (m, k) { return '<option value="' + (k + 1) + '">' + m + '</option>'; }).join('') +
		    '</select><select id="dob-y" aria-label="Year of birth"><option value="">Year</option>';
		for (i = 2025; i >= 1920; i--)
			h += '<option>' + i + '</option>';
		return h + '</select></span>';
	}

	var pages = {};
	pages.book = function () {
		var st = { sv: '', mode: 'person', doc: '', date: '', time: '', lang: '' };
		$('#main').innerHTML = '<h1>Book an appointment</h1>' +
		    '<section class="step" id="s1"><h2><span class="n">1</span>What do you need?</h2><label>Service <select id="service"><option value="">Choose a service</option>' +
		    SERVICES.map(function (s) { return '<option value="' + s[0] + '">' + s[1] + '</option>'; }).join('') + '</select></label>' +
		    '<p id="modes" hidden>How would you like to be seen? <label><input type="radio" name="mode" value="person" checked> In person</label> ' +
		    '<label><input type="radio" name="mode" value="video"> Video call</label></p></section>' +
		    '<section class="step off" id="s2"><h2><span class="n">2</span>Choose a clinician</h2><div id="docs">Choose a service first.</div></section>' +
		    '<section class="step off" id="s3"><h2><span class="n">3</span>Choose a date and time</h2><div id="cal"></div><div id="times"></div></section>' +
		    '<section class="step off" id="s4"><h2><span class="n">4</span>Your details</h2><form id="pf" class="form" novalidate>' +
		    '<label for="pname">Full name</label><input id="pname" autocomplete="name"><span>Date of birth</span>' + dobFields() +
		    '<label for="phone">Phone number</label><input id="phone" type="tel"><label for="pemail">Email (optional)</label><input id="pemail" type="email">' +
		    '<label for="reason">Reason for visit (optional)</label><textarea id="reason" rows="3"></textarea><span></span>' +
		    '<span><button class="btn" type="submit">Book appointment</button></span></form><div id="perr"></div></section>';
		function docs() {
			var list = DOCS.filter(function (d) { return d[2] === st.sv && (!st.lang || d[3].indexOf(st.lang) >= 0); });
			var langs = {};
			DOCS.forEach(function (d) { if (d[2] === st.sv) d[3].forEach(function (l) { langs[l] = 1; }); });
			$('#docs').innerHTML = '<p><label>Speaks <select id="lang"><option value="">Any language</option>' + Object.keys(langs).sort().map(function (l) {
				return '<option' + (l === st.lang ? ' selected' : '') + '>' + l + '</option>'; }).join('') + '</select></label></p><div class="docs">' +
			    '<div class="doc' + (st.doc === 'any' ? ' sel' : '') + '"><b>Any available clinician</b><p>Shows the earliest times of everyone.</p>' +
			    '<button type="button" data-doc="any" aria-pressed="' + (st.doc === 'any') + '">Choose any clinician</button></div>' +
			    list.map(function (d) {
				    return '<div class="doc' + (st.doc === d[0] ? ' sel' : '') + '"><b>' + d[1] + '</b><p>' + service(d[2])[1] + '</p><p>Speaks ' +
				    d[3].join(', ') + '</p><button type="button" data-doc="' + d[0] + '" aria-pressed="' + (st.doc === d[0]) + '">Choose ' + d[1] + '</button></div>';
			    }).join('') + '</div>';
			$('#lang').addEventListener('change', function () { st.lang = this.value; docs(); });
			$$('#docs button[data-doc]').forEach(function (b) {
				b.addEventListener('click', function () {
					st.doc = b.dataset.doc;
					st.date = st.time = '';
					docs();
					cal();
					$('#s3').scrollIntoView({ block: 'start' });
				});
			});
		}
		function avail(date) {
			if (st.doc === 'any') {
				var wd = dt(date).getUTCDay();
				if (date <= TODAY || wd === 0 || wd === 6)
					return 'none';
				return anySlots(st.sv, date).length ? 'free' : 'full';
			}
			return slots(st.doc, date).length ? 'free' : dayFull(st.doc, date) ? 'full' : 'none';
		}
		function cal() {
			$('#s3').className = 'step';
			$('#times').innerHTML = '';
			calendar($('#cal'), { avail: avail, sel: st.date, start: TODAY, pick: function (d) {
				st.date = d;
				st.time = '';
				times();
				$('#times').scrollIntoView({ block: 'nearest' });
			} });
		}
		function times() {
			var list = st.doc === 'any' ? anySlots(st.sv, st.date) : slots(st.doc, st.date).map(function (t) { return { time: t, doc: st.doc }; });
			if (!list.length) {
				$('#times').innerHTML = '<p><b>' + nice(st.date) + '</b>: no times left on this day.</p>' + (st.doc !== 'any' ?
				    '<p><button class="btn ghost" id="wl">Join the waiting list for ' + nice(st.date) + '</button></p><div id="wlf"></div>' : '');
				if ($('#wl'))
					$('#wl').addEventListener('click', function () {
						$('#wlf').innerHTML = '<form id="wf" class="form" novalidate><label for="wname">Full name</label><input id="wname">' +
						    '<label for="wphone">Phone number</label><input id="wphone" type="tel"><span></span><span><button class="btn">Add me to the waiting list</button></span></form><div id="werr"></div>';
						$('#wf').addEventListener('submit', function (e) {
							e.preventDefault();
							if (!$('#wname').value.trim() || !$('#wphone').value.trim()) {
								$('#werr').innerHTML = '<p class="err" role="alert">Enter your name and phone number.</p>';
								return;
							}
							var s = load();
							s.waitlist.push({ doc: st.doc, date: st.date, name: $('#wname').value.trim(), phone: $('#wphone').value.trim() });
							save(s);
							$('#times').innerHTML = '<p class="ok" role="status">You are on the waiting list for ' + doc(st.doc)[1] + ' on ' + nice(st.date) +
							    '. We will text you if a time frees up.</p>';
						});
					});
				return;
			}
			$('#times').innerHTML = '<p><b>' + nice(st.date) + '</b> – choose a time:</p><div class="slots">' + list.map(function (x) {
				return '<button type="button" class="slot" data-t="' + x.time + '" data-doc="' + x.doc + '" aria-pressed="' + (x.time === st.time) +
				    '" aria-label="' + x.time + (st.doc === 'any' ? ' with ' + doc(x.doc)[1] : '') + '">' + x.time + '</button>';
			}).join('') + '</div>';
			$$('.slot').forEach(function (b) {
				b.addEventListener('click', function () {
					st.time = b.dataset.t;
					st.slotDoc = b.dataset.doc;
					$$('.slot').forEach(function (x) { x.setAttribute('aria-pressed', String(x === b)); });
					$('#s4').className = 'step';
					$('#s4').scrollIntoView({ block: 'start' });
				});
			});
		}
		$('#service').addEventListener('change', function () {
			st.sv = this.value;
			st.doc = st.date = st.time = '';
			st.lang = '';
			$('#modes').hidden = !st.sv || !service(st.sv)[3];
			$('#s2').className = st.sv ? 'step' : 'step off';
			$('#s3').className = $('#s4').className = 'step off';
			$('#cal').innerHTML = $('#times').innerHTML = '';
			if (st.sv)
				docs();
		});
		$$('input[name=mode]').forEach(function (r) {
			r.addEventListener('change', function () { st.mode = r.value; });
		});
		$('#pf').addEventListener('submit', function (e) {
			var errs = [];
			e.preventDefault();
			if (!st.sv || !st.doc || !st.date || !st.time) errs.push('Choose a service, a clinician, a date and a time.');
			if (!$('#pname').value.trim()) errs.push('Enter your full name.');
			if (!$('#dob-d').value || !$('#dob-m').value || !$('#dob-y').value) errs.push('Enter your date of birth.');
			if (!/^\+?[\d\s()-]{7,}$/.test($('#phone').value.trim())) errs.push('Enter a phone number.');
			if (errs.length) {
				$('#perr').innerHTML = '<div class="err" role="alert">' + errs.join('<br>') + '</div>';
				return;
			}
			var s = load(), d = st.doc === 'any' ? st.slotDoc : st.doc;
			var a = { id: 'a' + (100 + s.appts.length), service: st.sv, doc: d, date: st.date, time: st.time,
			    mode: service(st.sv)[3] ? st.mode : 'person', patient: $('#pname').value.trim(),
			    dob: $('#dob-y').value + '-' + ('0' + $('#dob-m').value).slice(-2) + '-' + ('0' + $('#dob-d').value).slice(-2),
			    phone: $('#phone').value.trim(), status: 'booked' };
			s.appts.push(a);
			save(s);
			$('#main').innerHTML = '<div class="ok" role="status"><h1>You are booked in</h1><p>' + service(a.service)[1] + ' with ' + doc(d)[1] +
			    ' on ' + nice(a.date) + ' at ' + a.time + (a.mode === 'video' ? ' (video call: we will text you a link)' : '') +
			    '.</p></div><p><a href="appointments.html">See my appointments</a></p>';
		});
	};
	pages.appointments = function () {
		var s = load();
		var up = s.appts.filter(function (a) { return a.status === 'booked'; }).sort(function (a, b) {
			return (a.date + a.time) < (b.date + b.time) ? -1 : 1; });
		$('#main').innerHTML = '<h1>My appointments</h1><div id="msg" role="status"></div>' + (up.length ? up.map(function (a) {
			return '<div class="appt" data-id="' + a.id + '"><div class="when">' + nice(a.date) + '<br>' + a.time + '</div><div class="what">' +
			    service(a.service)[1] + ' with ' + doc(a.doc)[1] + (a.mode === 'video' ? ' (video)' : '') + '</div>' +
			    '<button class="btn ghost" data-act="move" aria-label="Reschedule ' + service(a.service)[1] + ' on ' + nice(a.date) + '">Reschedule</button>' +
			    '<button class="btn warn" data-act="cancel" aria-label="Cancel ' + service(a.service)[1] + ' on ' + nice(a.date) + '">Cancel</button></div>';
		}).join('') : '<p>You have no upcoming appointments. <a href="book.html">Book one</a></p>') +
		    '<p><a class="btn" href="book.html">Book another appointment</a></p>';
		$$('button[data-act]').forEach(function (b) {
			b.addEventListener('click', function () {
				var id = b.parentNode.dataset.id, a = s.appts.filter(function (x) { return x.id === id; })[0];
				var back = document.createElement('div');
				back.className = 'back';
				if (b.dataset.act === 'cancel') {
					back.innerHTML = '<div class="modal" role="dialog" aria-modal="true" aria-labelledby="mt"><h2 id="mt">Cancel this appointment?</h2><p>' +
					    service(a.service)[1] + ' with ' + doc(a.doc)[1] + ' on ' + nice(a.date) + ' at ' + a.time + '.</p><p><label>Why are you cancelling? ' +
					    '<select id="why"><option>I no longer need it</option><option>I can\'t make this time</option><option>I booked by mistake</option>' +
					    '<option>Other</option></select></label></p><p><button class="btn warn" id="yes">Cancel appointment</button> ' +
					    '<button class="btn ghost" id="no">Keep appointment</button></p></div>';
					document.body.appendChild(back);
					$('#no').addEventListener('click', function () { back.remove(); });
					$('#yes').addEventListener('click', function () {
						var s2 = load();
						s2.appts.forEach(function (x) { if (x.id === id) { x.status = 'cancelled'; x.why = $('#why').value; } });
						save(s2);
						back.remove();
						pages.appointments();
						$('#msg').innerHTML = '<p class="ok">Your appointment was cancelled.</p>';
					});
					return;
				}
				var pick = { date: '', time: '' };
				back.innerHTML = '<div class="modal" role="dialog" aria-modal="true" aria-labelledby="mt"><h2 id="mt">Reschedule: ' + service(a.service)[1] +
				    ' with ' + doc(a.doc)[1] + '</h2><p>Now: ' + nice(a.date) + ' at ' + a.time + '</p><div id="mcal"></div><div id="mtimes"></div>' +
				    '<p><button class="btn" id="mok" disabled>Confirm new time</button> <button class="btn ghost" id="mno">Close</button></p></div>';
				document.body.appendChild(back);
				$('#mno').addEventListener('click', function () { back.remove(); });
				calendar($('#mcal'), { start: a.date, avail: function (d) {
					return slots(a.doc, d, null, a.id).length ? 'free' : dayFull(a.doc, d) ? 'full' : 'none';
				}, pick: function (d) {
					pick.date = d;
					pick.time = '';
					$('#mok').disabled = true;
					var l = slots(a.doc, d, null, a.id);
					$('#mtimes').innerHTML = l.length ? '<div class="slots">' + l.map(function (t) {
						return '<button type="button" class="slot" data-t="' + t + '" aria-pressed="false">' + t + '</button>'; }).join('') + '</div>' :
					    '<p>No times left on this day.</p>';
					$$('#mtimes .slot').forEach(function (x) {
						x.addEventListener('click', function () {
							pick.time = x.dataset.t;
							$$('#mtimes .slot').forEach(function (y) { y.setAttribute('aria-pressed', String(y === x)); });
							$('#mok').disabled = false;
						});
					});
				} });
				$('#mok').addEventListener('click', function () {
					var s2 = load();
					s2.appts.forEach(function (x) { if (x.id === id) { x.date = pick.date; x.time = pick.time; } });
					save(s2);
					back.remove();
					pages.appointments();
					$('#msg').innerHTML = '<p class="ok">Moved to ' + nice(pick.date) + ' at ' + pick.time + '.</p>';
				});
			});
		});
	};
	pages.help = function () {
		$('#main').innerHTML = '<h1>Services and opening hours</h1><p>Monday to Friday, 8:30–17:00. Closed at weekends.</p><ul>' +
		    SERVICES.map(function (s) { return '<li>' + s[1] + '</li>'; }).join('') + '</ul>';
	};
	window.BH = { slots: slots, anySlots: anySlots, docs: DOCS, state: load,
	    /* The earliest free {date, time} of service sv in month (YYYY-MM). */
	    first: function (sv, month) {
		    var d = dt(month + '-01'), iso, l;
		    for (; isoOf(d).slice(0, 7) === month; d = new Date(d.getTime() + 864e5)) {
			    iso = isoOf(d);
			    l = anySlots(sv, iso);
			    if (l.length)
				    return { date: iso, time: l[0].time };
		    }
		    return null;
	    } };
	document.addEventListener('DOMContentLoaded', function () {
		(pages[document.body.dataset.page] || pages.book)();
		chrome();
	});
})();
