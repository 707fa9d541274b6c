/*
 * jobs.js: Hireloop, a job board.  About 170 jobs from a fixed generator
 * plus the ones the suite's tasks name; searches and filters live in the
 * URL; saved jobs, applications and job alerts are kept in localStorage
 * ("hireloop").  HL.seed(state) replaces the stored state and redraws.
 */
'use strict';

(function () {
	var KEY = 'hireloop';
	var TYPES = [['full-time', 'Full-time'], ['part-time', 'Part-time'], ['contract', 'Contract'], ['internship', 'Internship']];
	var J = [];
	function add(id, title, co, city, remote, type, sal, days, tags, desc) {
		J.push({ id: id, title: title, co: co, city: city, remote: remote, type: type, sal: sal, days: days, tags: tags || [], desc: desc || '' });
	}
	add('ferrous-rust', 'Rust Developer', 'Ferrous Labs', 'Berlin', true, 'full-time', 78000, 3, ['Rust', 'Tokio', 'PostgreSQL'],
	    'Build the storage engine of our time-series database. Fully remote within Europe.');
	add('oxide-rust', 'Rust Developer', 'Oxide Works', 'Munich', false, 'full-time', 72000, 5, ['Rust', 'Embedded']);
	add('crabtree-rust', 'Senior Rust Engineer', 'Crabtree Systems', 'Amsterdam', true, 'full-time', 95000, 12, ['Rust', 'WebAssembly']);
	add('meridian-analyst', 'Data Analyst', 'Meridian Health', 'Leeds', false, 'full-time', 38000, 2, ['SQL', 'Power BI'],
	    'Turn hospital data into reports that help clinicians plan care.');
	add('meridian-senior', 'Senior Data Analyst', 'Meridian Health', 'Leeds', false, 'full-time', 52000, 6, ['SQL', 'Python']);
	add('meridian-bank-analyst', 'Data Analyst', 'Meridian Bank', 'Leeds', false, 'contract', 45000, 4, ['Excel', 'SQL']);
	add('willow-designer', 'Product Designer', 'Willow & Co', 'London', false, 'full-time', 62000, 1, ['Figma', 'Research']);
	add('willowbrook-designer', 'Product Designer', 'Willowbrook Studio', 'London', true, 'contract', 58000, 9, ['Figma']);
	add('beanthere-barista', 'Barista', 'Bean There', 'Bristol', false, 'part-time', 21000, 8, ['Coffee']);
	add('leeds-nurse', 'Staff Nurse – Cardiology', 'Leeds General Infirmary', 'Leeds', false, 'full-time', 33000, 3, ['NHS', 'Band 5']);
	var titles = ['Software Engineer', 'Frontend Developer', 'Backend Developer', 'DevOps Engineer', 'QA Engineer', 'Data Scientist',
	    'Product Manager', 'UX Researcher', 'Marketing Manager', 'Sales Executive', 'Customer Success Manager', 'Accountant',
	    'HR Advisor', 'Registered Nurse', 'Warehouse Operative', 'Delivery Driver', 'Chef de Partie', 'Teaching Assistant',
	    'Office Manager', 'Graphic Designer'];
	var cos = ['Brightwave', 'Copperleaf', 'Driftwood Digital', 'Elmstone', 'Fernway', 'Granite Health', 'Harbourline', 'Ironbark',
	    'Juniper Retail', 'Kestrel Analytics', 'Lumen Labs', 'Maplewood Group', 'Northstar Foods', 'Oakridge Care', 'Pinecrest'];
	var cities = ['London', 'Manchester', 'Leeds', 'Bristol', 'Berlin', 'Munich', 'Amsterdam', 'Dublin', 'Glasgow', 'Birmingham'];
	var s = 1234567;
	function r() { s = (s * 48271) % 2147483647; return s / 2147483647; }
	for (var i = 0; i < 150; i++) {
		var t = titles[Math.floor(r() * titles.length)], c = cos[Math.floor(r() * cos.length)], city = cities[Math.floor(r() * cities.length)];
		var tp = r() < 0.7 ? 'full-time' : r() < 0.5 ? 'part-time' : r() < 0.7 ? 'contract' : 'internship';
		add('job-' + (100 + i), t, c, city, r() < 0.25, tp, Math.round((24 + r() * 80)) * 1000, 1 + Math.floor(r() * 40),
		    [t.split(' ')[0]]);
	}
	for (i = 0; i < 24; i++)
		add('wh-' + i, ['Warehouse Operative', 'Warehouse Team Leader', 'Warehouse Picker', 'Forklift Driver (Warehouse)'][i % 4],
		    cos[(i * 5) % cos.length] + ' Logistics', cities[(i * 3) % cities.length], false, i % 3 ? 'full-time' : 'part-time',
		    22000 + i * 500, 2 + i, ['Warehouse']);
	add('northgate-supervisor', 'Warehouse Supervisor', 'Northgate Logistics', 'Manchester', false, 'full-time', 34000, 20, ['Warehouse'],
	    'Lead a team of twelve on the night shift at our Trafford Park site.');
	add('northgate-supervisor-leeds', 'Warehouse Supervisor', 'Northgate Logistics', 'Leeds', false, 'full-time', 33000, 22, ['Warehouse']);
	function job(id) { return J.filter(function (x) { return x.id === id; })[0]; }

	function $(q, root) { return (root || document).querySelector(q); }
	function $$(q, root) { return Array.prototype.slice.call((root || document).querySelectorAll(q)); }
	function esc(x) {
		return String(x).replace(/[&<>"]/g, function (c) {
			return { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' }[c]; });
	}
	function qp() { return new URLSearchParams(location.search); }
	function load() {
		var st;
		try { st = JSON.parse(localStorage.getItem(KEY)); } catch (e) { st = null; }
		st = st || {};
		st.saved = st.saved || [];
		st.applications = st.applications || [];
		st.alerts = st.alerts || [];
		return st;
	}
	function save(st) { localStorage.setItem(KEY, JSON.stringify(st)); }
	function money(v) { return '£' + v.toLocaleString('en-GB'); }
	function typeName(t) { return TYPES.filter(function (x) { return x[0] === t; })[0][1]; }

	function chrome() {
		var st = load();
		document.body.insertAdjacentHTML('afterbegin', '<header class="nav"><div class="in"><a class="logo" href="index.html">hireloop</a>' +
		    '<a href="jobs.html">Find jobs</a><a href="help.html">Companies</a><a href="help.html">Salaries</a><a href="help.html">Career advice</a>' +
		    '<span class="sp"></span><a href="saved.html">Saved jobs (' + st.saved.length + ')</a><a href="help.html">Sign in</a>' +
		    '<a class="post" href="help.html">Post a job</a></div></header>');
		document.body.insertAdjacentHTML('beforeend', '<footer><a href="help.html">About</a><a href="help.html">Help</a><a href="help.html">Employers</a>' +
		    '<a href="help.html">Privacy</a><a href="help.html">Terms</a><p>© 2025 Hireloop Ltd</p></footer>');
	}
	function saveBtn(j, st) {
		var on = st.saved.indexOf(j.id) >= 0;
		return '<button type="button" class="save" data-save="' + j.id + '" aria-pressed="' + on + '" aria-label="' + (on ? 'Unsave ' : 'Save ') +
		    esc(j.title) + ' at ' + esc(j.co) + '">' + (on ? '★ Saved' : '☆ Save') + '</button>';
	}
	function wireSave(redraw) {
		$$('button[data-save]').forEach(function (b) {
			b.addEventListener('click', function () {
				var st = load(), k = st.saved.indexOf(b.dataset.save);
				if (k >= 0)
					st.saved.splice(k, 1);
				else
					st.saved.push(b.dataset.save);
				save(st);
				redraw();
			});
		});
	}

	var pages = {};
	pages.index = function () {
		$('#main').outerHTML = '<section class="hero"><h1>Find a job you will love</h1><form class="searchrow" action="jobs.html" role="search">' +
		    '<label>What<input name="q" placeholder="Job title, skill or company"></label><label>Where<input name="l" placeholder="City or “remote”"></label>' +
		    '<button type="submit">Search jobs</button></form></section><main class="wrap" id="main"><h2>Popular searches</h2><p>' +
		    ['Software Engineer', 'Nurse', 'Data Analyst', 'Warehouse', 'Remote', 'Graduate'].map(function (x) {
			    return '<a href="jobs.html?q=' + encodeURIComponent(x) + '">' + x + '</a>'; }).join(' · ') + '</p><h2>Hiring now</h2><p>' +
		    cos.map(function (c) { return '<a href="jobs.html?q=' + encodeURIComponent(c) + '">' + c + '</a>'; }).join(' · ') + '</p></main>';
	};
	pages.jobs = function () {
		var p = qp(), q = (p.get('q') || '').trim(), l = (p.get('l') || '').trim(), types = p.getAll('type');
		var sal = +(p.get('salary') || 0), posted = +(p.get('posted') || 0), remote = p.get('remote') === '1';
		var sort = p.get('sort') || 'relevance', page = parseInt(p.get('page'), 10) || 1, per = 20, st = load();
		var words = q.toLowerCase().split(/\s+/).filter(Boolean);
		var rows = J.filter(function (j) {
			var hay = (j.title + ' ' + j.co + ' ' + j.tags.join(' ')).toLowerCase();
			return words.every(function (w) { return hay.indexOf(w) >= 0; }) &&
			    (!l || (l.toLowerCase() === 'remote' ? j.remote : j.city.toLowerCase().indexOf(l.toLowerCase()) === 0)) &&
			    (!types.length || types.indexOf(j.type) >= 0) && j.sal >= sal && (!posted || j.days <= posted) && (!remote || j.remote);
		});
		if (sort === 'newest') rows.sort(function (a, b) { return a.days - b.days; });
		if (sort === 'salary') rows.sort(function (a, b) { return b.sal - a.sal; });
		var pages_ = Math.max(1, Math.ceil(rows.length / per));
		if (page > pages_) page = pages_;
		document.title = (q || 'All') + ' jobs' + (l ? ' in ' + l : '') + ' – Hireloop';
		var h = '<form class="searchrow" action="jobs.html" role="search" style="margin-bottom:16px;border:1px solid #e4e4ee">' +
		    '<label>What<input name="q" value="' + esc(q) + '" placeholder="Job title, skill or company"></label><label>Where<input name="l" value="' +
		    esc(l) + '" placeholder="City or “remote”"></label><button type="submit">Search jobs</button></form><div class="cols">' +
		    '<form class="filters" id="ff"><fieldset><legend>Work setting</legend><label><input type="checkbox" name="remote" value="1"' +
		    (remote ? ' checked' : '') + '> Remote only</label></fieldset><fieldset><legend>Job type</legend>' + TYPES.map(function (t) {
			    return '<label><input type="checkbox" name="type" value="' + t[0] + '"' + (types.indexOf(t[0]) >= 0 ? ' checked' : '') + '> ' + t[1] + '</label>';
		    }).join('') + '</fieldset><fieldset><legend>Salary</legend><label>At least <select name="salary" aria-label="Minimum salary">' +
		    [[0, 'Any salary'], [30000, '£30,000'], [50000, '£50,000'], [70000, '£70,000'], [90000, '£90,000']].map(function (x) {
			    return '<option value="' + x[0] + '"' + (sal === x[0] ? ' selected' : '') + '>' + x[1] + '</option>'; }).join('') +
		    '</select></label></fieldset><fieldset><legend>Date posted</legend>' + [[0, 'Any time'], [1, 'Last 24 hours'], [7, 'Last 7 days'],
		    [30, 'Last 30 days']].map(function (x) {
			    return '<label><input type="radio" name="posted" value="' + x[0] + '"' + (posted === x[0] ? ' checked' : '') + '> ' + x[1] + '</label>';
		    }).join('') + '</fieldset><p><button type="button" class="btn line" id="alert">🔔 Create job alert</button></p></form><section style="flex:1">' +
		    '<div class="toprow"><span>' + rows.length + ' jobs' + (q ? ' for “' + esc(q) + '”' : '') + (l ? ' in ' + esc(l) : '') + '</span><label>Sort by ' +
		    '<select id="sort"><option value="relevance">Relevance</option><option value="newest"' + (sort === 'newest' ? ' selected' : '') +
		    '>Newest</option><option value="salary"' + (sort === 'salary' ? ' selected' : '') + '>Salary (high to low)</option></select></label></div>';
		rows.slice((page - 1) * per, page * per).forEach(function (j) {
			h += '<article class="job"><div class="main"><h2><a href="job.html?id=' + j.id + '">' + esc(j.title) + '</a></h2><div class="co">' +
			    esc(j.co) + ' · ' + j.city + (j.remote ? ' (remote)' : '') + '</div><div class="tags"><span>' + typeName(j.type) + '</span><span>' +
			    money(j.sal) + '</span>' + j.tags.map(function (t) { return '<span>' + esc(t) + '</span>'; }).join('') + '</div></div>' +
			    '<div class="side"><small>' + (j.days === 1 ? 'Posted today' : j.days + ' days ago') + '</small><br>' + saveBtn(j, st) + '</div></article>';
		});
		if (!rows.length)
			h += '<p class="box">No jobs match. Try fewer filters.</p>';
		if (pages_ > 1) {
			h += '<nav class="pager" aria-label="Result pages">';
			if (page > 1) { p.set('page', page - 1); h += '<a href="?' + p.toString() + '">‹ Previous</a>'; }
			for (var k = 1; k <= pages_; k++) {
				p.set('page', k);
				h += k === page ? '<b aria-current="page">' + k + '</b>' : '<a href="?' + p.toString() + '" aria-label="Page ' + k + '">' + k + '</a>';
			}
			if (page < pages_) { p.set('page', page + 1); h += '<a href="?' + p.toString() + '">Next ›</a>'; }
			h += '</nav>';
		}
		$('#main').innerHTML = h + '</section></div>';
		function refilter() {
			var u = new URLSearchParams(), f = $('#ff');
			if (q) u.set('q', q);
			if (l) u.set('l', l);
			if (f.remote.checked) u.set('remote', '1');
			$$('input[name=type]:checked', f).forEach(function (c) { u.append('type', c.value); });
			if (+f.salary.value) u.set('salary', f.salary.value);
			var pr = $('input[name=posted]:checked', f);
			if (pr && +pr.value) u.set('posted', pr.value);
			if ($('#sort').value !== 'relevance') u.set('sort', $('#sort').value);
			location.search = u.toString();
		}
		$('#ff').addEventListener('change', refilter);
		$('#sort').addEventListener('change', refilter);
		wireSave(pages.jobs);
		$('#alert').addEventListener('click', function () {
			var sh = document.createElement('div');
			sh.className = 'shade';
			sh.innerHTML = '<div class="modal" role="dialog" aria-modal="true" aria-labelledby="at"><h2 id="at">Create a job alert</h2>' +
			    '<p>We will email you new jobs for <b>' + esc(q || 'any job') + '</b>' + (l ? ' in <b>' + esc(l) + '</b>' : '') + '.</p>' +
			    '<label>Email address<input type="email" id="aemail"></label><label>How often?<select id="afreq"><option value="daily">Daily</option>' +
			    '<option value="weekly">Weekly</option></select></label><p id="aerr" class="err" hidden></p><p><button class="btn" id="asave">Create alert</button> ' +
			    '<button class="btn line" id="acancel">Cancel</button></p></div>';
			document.body.appendChild(sh);
			$('#acancel').addEventListener('click', function () { sh.remove(); });
			$('#asave').addEventListener('click', function () {
				var e = $('#aemail').value.trim();
				if (!/^[^@\s]+@[^@\s]+\.[^@\s]+$/.test(e)) {
					$('#aerr').textContent = 'Enter a valid email address.';
					$('#aerr').hidden = false;
					return;
				}
				var st2 = load();
				st2.alerts.push({ q: q, l: l, freq: $('#afreq').value, email: e });
				save(st2);
				sh.innerHTML = '<div class="modal" role="dialog" aria-modal="true" aria-label="Alert created"><p class="ok">Alert created. ' +
				    'We will email ' + esc(e) + ' ' + $('#afreq').value + '.</p><p><button class="btn" id="aok">Done</button></p></div>';
				$('#aok').addEventListener('click', function () { sh.remove(); });
			});
		});
	};
	pages.job = function () {
		var j = job(qp().get('id')), st = load();
		if (!j) {
			$('#main').innerHTML = '<h1>This job has closed</h1><p><a href="jobs.html">Find other jobs</a></p>';
			return;
		}
		document.title = j.title + ' at ' + j.co + ' – Hireloop';
		$('#main').innerHTML = '<p><a href="jobs.html?q=' + encodeURIComponent(j.title) + '">‹ Back to results</a></p><div class="box"><h1>' + esc(j.title) +
		    '</h1><p class="co">' + esc(j.co) + ' · ' + j.city + (j.remote ? ' (remote)' : '') + '</p><div class="tags"><span>' + typeName(j.type) +
		    '</span><span>' + money(j.sal) + ' a year</span></div><p>' + esc(j.desc || 'Join a friendly team at ' + j.co + ' in ' + j.city + '.') +
		    '</p><h2>What you will do</h2><ul><li>Work with a supportive team</li><li>Own your projects from start to finish</li></ul><h2>Benefits</h2>' +
		    '<ul><li>25 days holiday</li><li>Pension</li><li>Learning budget</li></ul><p><a class="btn" href="apply.html?id=' + j.id + '">Apply now</a> ' +
		    saveBtn(j, st) + '</p></div>';
		wireSave(pages.job);
	};
	pages.apply = function () {
		var j = job(qp().get('id'));
		if (!j) {
			$('#main').innerHTML = '<h1>This job has closed</h1>';
			return;
		}
		$('#main').innerHTML = '<h1>Apply: ' + esc(j.title) + '</h1><p>' + esc(j.co) + ' · ' + j.city + '</p><form class="box" id="af" novalidate><div class="form">' +
		    '<label for="name">Full name</label><input id="name" autocomplete="name"><label for="email">Email</label><input id="email" type="email">' +
		    '<label for="phone">Phone</label><input id="phone" type="tel"><label for="years">Years of experience</label><select id="years">' +
		    '<option value="">Select</option><option>Less than 1 year</option><option>1–2 years</option><option>3–5 years</option>' +
		    '<option>6–10 years</option><option>More than 10 years</option></select><label for="cv">Link to your CV (optional)</label><input id="cv" type="url">' +
		    '<label for="letter">Cover letter</label><textarea id="letter" rows="6"></textarea><span></span><label><input type="checkbox" id="consent"> ' +
		    'I agree that Hireloop shares my application with ' + esc(j.co) + '</label></div><div id="aerr"></div><p><button class="btn" type="submit">' +
		    'Submit application</button></p></form>';
		$('#af').addEventListener('submit', function (e) {
			var errs = [];
			e.preventDefault();
			if (!$('#name').value.trim()) errs.push('Enter your full name.');
			if (!/^[^@\s]+@[^@\s]+\.[^@\s]+$/.test($('#email').value.trim())) errs.push('Enter a valid email address.');
			if (!$('#years').value) errs.push('Select your years of experience.');
			if (!$('#letter').value.trim()) errs.push('Write a short cover letter.');
			if (!$('#consent').checked) errs.push('Tick the box to share your application.');
			if (errs.length) {
				$('#aerr').innerHTML = '<div class="err" role="alert">' + errs.join('<br>') + '</div>';
				return;
			}
			var st = load();
			st.applications.push({ job: j.id, name: $('#name').value.trim(), email: $('#email').value.trim(), phone: $('#phone').value.trim(),
			    years: $('#years').value, letter: $('#letter').value.trim() });
			save(st);
			$('#main').innerHTML = '<div class="ok" role="status"><h1>Application sent</h1><p>' + esc(j.co) + ' will contact you by email.</p></div>' +
			    '<p><a href="jobs.html">Find more jobs</a></p>';
		});
	};
	pages.saved = function () {
		var st = load();
		$('#main').innerHTML = '<h1>Saved jobs</h1>' + (st.saved.length ? st.saved.map(function (id) {
			var j = job(id);
			return '<article class="job"><div class="main"><h2><a href="job.html?id=' + j.id + '">' + esc(j.title) + '</a></h2><div class="co">' +
			    esc(j.co) + ' · ' + j.city + '</div></div><div class="side"><button type="button" class="btn line" data-rm="' + j.id + '" aria-label="Remove ' +
			    esc(j.title) + ' at ' + esc(j.co) + '">Remove</button></div></article>';
		}).join('') : '<p>You have no saved jobs.</p>');
		$$('button[data-rm]').forEach(function (b) {
			b.addEventListener('click', function () {
				var st2 = load();
				st2.saved = st2.saved.filter(function (x) { return x !== b.dataset.rm; });
				save(st2);
				render();
			});
		});
	};
	pages.help = function () {
		$('#main').innerHTML = '<h1>Help</h1><p>Questions? Write to help@hireloop.test.</p>';
	};
	function render() {
		$$('body > header, body > footer').forEach(function (e) { e.remove(); });
		(pages[document.body.dataset.page] || pages.index)();
		chrome();
	}
	window.HL = { jobs: J, state: load, seed: function (st) { save(st); render(); return true; } };
	document.addEventListener('DOMContentLoaded', render);
})();
