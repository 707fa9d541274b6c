/*
 * console.js: the settings pages of the Nimbus Cloud console.  Tabs
 * (the URL fragment names the open one), switches, dialogs, a team of 36
 * people and a list of API keys.  Everything is saved in localStorage
 * ("nimbus") when the page says it is.
 */
'use strict';

(function () {
	var KEY = 'nimbus';
	var TABS = [['profile', 'Profile'], ['security', 'Security'], ['notifications', 'Notifications'],
	    ['keys', 'API keys'], ['team', 'Team'], ['billing', 'Billing']];
	var ZONES = ['Pacific/Honolulu', 'America/Anchorage', 'America/Los_Angeles', 'America/Denver', 'America/Chicago',
	    'America/New_York', 'America/Halifax', 'America/Sao_Paulo', 'Atlantic/Azores', 'UTC', 'Europe/London',
	    'Europe/Dublin', 'Europe/Lisbon', 'Europe/Paris', 'Europe/Amsterdam', 'Europe/Brussels', 'Europe/Berlin',
	    'Europe/Zurich', 'Europe/Vienna', 'Europe/Rome', 'Europe/Madrid', 'Europe/Stockholm', 'Europe/Oslo',
	    'Europe/Copenhagen', 'Europe/Warsaw', 'Europe/Prague', 'Europe/Budapest', 'Europe/Athens', 'Europe/Helsinki',
	    'Europe/Istanbul', 'Europe/Kyiv', 'Europe/Moscow', 'Africa/Cairo', 'Africa/Lagos', 'Africa/Nairobi',
	    'Africa/Johannesburg', 'Asia/Dubai', 'Asia/Karachi', 'Asia/Kolkata', 'Asia/Dhaka', 'Asia/Bangkok',
	    'Asia/Singapore', 'Asia/Hong_Kong', 'Asia/Shanghai', 'Asia/Seoul', 'Asia/Tokyo', 'Australia/Perth',
	    'Australia/Adelaide', 'Australia/Sydney', 'Pacific/Auckland'];
	var NOTIF = [['security', 'Security alerts'], ['billing', 'Billing and invoices'], ['product', 'Product updates'],
	    ['maintenance', 'Maintenance windows'], ['usage', 'Weekly usage report'], ['marketing', 'Events and offers']];
	var PEOPLE = ['Ada Okafor', 'Ben Lindqvist', 'Carla Mendes', 'Deniz Aydın', 'Eamon Walsh', 'Fatima Zahra', 'Gustav Berg',
	    'Hana Kobayashi', 'Ivan Petrenko', 'Jade Thompson', 'Kofi Asante', 'Lena Vogel', 'Marek Nowak', 'Nora Haddad',
	    'Oliver Grant', 'Priya Shah', 'Priya Sharma', 'Quinn Murphy', 'Rafael Costa', 'Sara Lund', 'Tomás Rivera', 'Uma Patel',
	    'Victor Laurent', 'Wen Li', 'Xavier Dupont', 'Yara Nasser', 'Zeke Morgan', 'Alma Jensen', 'Bruno Silva', 'Chloe Martin',
	    'Dario Romano', 'Elin Holm', 'Felix Braun', 'Gita Rao', 'Hugo Lefevre', 'Iris van Dijk'];
	var ROLES = ['Owner', 'Admin', 'Editor', 'Viewer'];

	function $(s, r) { return (r || document).querySelector(s); }
	function $$(s, r) { return Array.prototype.slice.call((r || document).querySelectorAll(s)); }
	function esc(s) {
		return String(s).replace(/[&<>"]/g, function (c) {
			return { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' }[c]; });
	}
	function fresh() {
		var notif = {};
		NOTIF.forEach(function (n) {
			notif[n[0]] = { email: n[0] !== 'marketing', push: n[0] === 'security' || n[0] === 'maintenance' };
		});
		return {
			profile: { name: 'Rosa Delgado-Ruiz', email: 'rosa@atlas-labs.test', title: 'Platform engineer', tz: 'America/New_York', lang: 'English (US)' },
			twofa: { on: false, method: null },
			notif: notif,
			keys: [{ name: 'terraform-prod', scope: 'Read & write', created: '2024-11-02', used: '2 hours ago' },
			    { name: 'grafana-reader', scope: 'Read-only', created: '2025-01-15', used: '5 minutes ago' },
			    { name: 'legacy-export', scope: 'Read & write', created: '2023-06-20', used: '214 days ago' },
			    { name: 'backup-nightly', scope: 'Read & write', created: '2024-08-09', used: '9 hours ago' },
			    { name: 'legacy-importer', scope: 'Admin', created: '2023-02-11', used: '1 year ago' }],
			team: PEOPLE.map(function (p, i) {
				return { name: p, email: p.toLowerCase().replace(/[^a-z ]/g, '').replace(/ /g, '.') + '@atlas-labs.test',
				    role: i === 0 ? 'Owner' : i % 7 === 3 ? 'Admin' : i % 3 === 0 ? 'Viewer' : 'Editor' };
			}),
			invites: [],
			billing: { cycle: 'monthly' }
		};
	}
	function load() {
		var s;
		try { s = JSON.parse(localStorage.getItem(KEY)); } catch (e) { s = null; }
		return s && s.profile ? s : fresh();
	}
	function save(s) { localStorage.setItem(KEY, JSON.stringify(s)); }
	var S;
	function toast(t) {
		var el = $('#toast');
		el.textContent = t;
		el.className = 'toast on';
		clearTimeout(toast.t);
		toast.t = setTimeout(function () { el.className = 'toast'; }, 3500);
	}

	/* A modal dialog; returns its element.  buttons: [[label, cls, fn]]. */
	function dialog(title, body, buttons) {
		var o = document.createElement('div');
		o.className = 'overlay';
		o.innerHTML = '<div class="dialog" role="dialog" aria-modal="true" aria-labelledby="dlg-t"><header><h2 id="dlg-t">' + esc(title) +
		    '</h2><button class="btn plain" aria-label="Close dialog">✕</button></header><div class="body">' + body +
		    '</div><footer></footer></div>';
		buttons.forEach(function (b) {
			var e = document.createElement('button');
			e.className = 'btn ' + (b[1] || '');
			e.textContent = b[0];
			e.addEventListener('click', function () {
				if (b[2](o) !== false)
					o.remove();
			});
			$('footer', o).appendChild(e);
		});
		$('header button', o).addEventListener('click', function () { o.remove(); });
		document.body.appendChild(o);
		var f = $('.body input, .body select', o);
		if (f)
			f.focus();
		return o;
	}
	function sw(id, on, label) {
		return '<button type="button" class="switch" role="switch" id="' + id + '" aria-checked="' + on + '" aria-label="' +
		    esc(label) + '"></button>';
	}

	var panels = {};
	panels.profile = function (p) {
		p.innerHTML = '<div class="panel"><h2>Public profile</h2>' +
		    '<div class="row"><label for="pname">Display name</label><input type="text" id="pname" size="32" value="' + esc(S.profile.name) + '"></div>' +
		    '<div class="row"><span>Email</span><span>' + esc(S.profile.email) + ' <a href="#security">Change</a></span></div>' +
		    '<div class="row"><label for="ptitle">Job title</label><input type="text" id="ptitle" size="32" value="' + esc(S.profile.title) + '"></div>' +
		    '</div><div class="panel"><h2>Regional settings</h2><div class="row"><label for="ptz">Time zone</label><select id="ptz">' +
		    ZONES.map(function (z) { return '<option' + (z === S.profile.tz ? ' selected' : '') + '>' + z + '</option>'; }).join('') +
		    '</select></div><div class="row"><label for="plang">Language</label><select id="plang">' +
		    ['English (US)', 'English (UK)', 'Deutsch', 'Español', 'Français', 'Italiano', 'Português', '日本語'].map(function (l) {
			    return '<option' + (l === S.profile.lang ? ' selected' : '') + '>' + l + '</option>'; }).join('') +
		    '</select></div></div><p><button class="btn" id="psave">Save profile</button> <button class="btn plain" id="preset">Cancel</button></p>';
		$('#psave').addEventListener('click', function () {
			var n = $('#pname').value.trim();
			if (!n) {
				toast('The display name cannot be empty.');
				return;
			}
			S.profile.name = n;
			S.profile.title = $('#ptitle').value.trim();
			S.profile.tz = $('#ptz').value;
			S.profile.lang = $('#plang').value;
			save(S);
			toast('Profile saved.');
		});
		$('#preset').addEventListener('click', function () { draw(); });
	};
	panels.security = function (p) {
		var sess = ['Firefox on Ubuntu · Berlin', 'Chrome on macOS · New York', 'Safari on iPhone · New York',
		    'CLI token · us-east-1', 'Chrome on Windows · Toronto', 'Edge on Windows · London'];
		p.innerHTML = '<div class="panel"><h2>Password</h2><p>Last changed 94 days ago. <button class="btn plain" id="chpw">Change password</button></p></div>' +
		    '<div class="panel"><h2>Two-factor authentication</h2><p>' + sw('twofa', S.twofa.on, 'Two-factor authentication') +
		    ' <span>' + (S.twofa.on ? 'On, using ' + { app: 'an authenticator app', sms: 'text messages', key: 'a security key' }[S.twofa.method] :
		    'Off') + '</span></p><p>Ask for a second step every time you sign in on a new device.</p></div>' +
		    '<div class="panel"><h2>Active sessions</h2><table class="grid"><tr><th>Device</th><th>Last active</th><th></th></tr>' +
		    sess.map(function (x, i) {
			    return '<tr><td>' + x + '</td><td>' + (i === 0 ? 'Now (this device)' : (i * 3) + ' hours ago') + '</td><td>' +
			    (i ? '<button class="btn danger" aria-label="Sign out ' + x + '">Sign out</button>' : '') + '</td></tr>'; }).join('') + '</table></div>';
		$('#chpw').addEventListener('click', function () {
			dialog('Change password', '<label>Current password <input type="text"></label><label>New password <input type="text"></label>',
			    [['Cancel', 'plain', function () {}], ['Update password', '', function () { toast('Password updated.'); }]]);
		});
		$$('.panel .btn.danger').forEach(function (b) {
			b.addEventListener('click', function () { b.closest('tr').remove(); toast('Session signed out.'); });
		});
		$('#twofa').addEventListener('click', function () {
			if (S.twofa.on) {
				dialog('Turn off two-factor authentication?', '<p>Your account will be protected by your password only.</p>',
				    [['Cancel', 'plain', function () {}], ['Turn off', 'danger-solid', function () {
					    S.twofa = { on: false, method: null };
					    save(S);
					    draw();
				    }]]);
				return;
			}
			var d = dialog('Set up two-factor authentication', '<p>How do you want to get your sign-in codes?</p>' +
			    '<label><input type="radio" name="m" value="app"> Authenticator app (recommended)</label>' +
			    '<label><input type="radio" name="m" value="sms"> Text message (SMS)</label>' +
			    '<label><input type="radio" name="m" value="key"> Security key</label>' +
			    '<label id="phone-row" hidden>Mobile number <input type="tel" id="phone"></label><p class="err" id="m-err"></p>',
			    [['Cancel', 'plain', function () {}], ['Enable', '', function (o) {
				    var m = $('input[name=m]:checked', o);
				    if (!m) {
					    $('#m-err', o).textContent = 'Choose a method.';
					    return false;
				    }
				    if (m.value === 'sms' && !/^\+?[\d\s()-]{7,}$/.test($('#phone', o).value)) {
					    $('#m-err', o).textContent = 'Enter your mobile number.';
					    return false;
				    }
				    S.twofa = { on: true, method: m.value };
				    save(S);
				    draw();
				    toast('Two-factor authentication is on.');
			    }]]);
			$$('input[name=m]', d).forEach(function (r) {
				r.addEventListener('change', function () { $('#phone-row', d).hidden = r.value !== 'sms'; });
			});
		});
	};
	panels.notifications = function (p) {
		var n = JSON.parse(JSON.stringify(S.notif));
		p.innerHTML = '<div class="panel"><h2>Email and push notifications</h2><table class="grid"><tr><th>Topic</th><th>Email</th><th>Push</th></tr>' +
		    NOTIF.map(function (x) {
			    return '<tr><td>' + x[1] + '</td><td>' + sw('n-' + x[0] + '-email', n[x[0]].email, x[1] + ' by email') + '</td><td>' +
			    sw('n-' + x[0] + '-push', n[x[0]].push, x[1] + ' by push') + '</td></tr>'; }).join('') +
		    '</table><p><button class="btn" id="nsave">Save notification settings</button> <span id="ndirty"></span></p></div>';
		$$('.switch', p).forEach(function (b) {
			b.addEventListener('click', function () {
				var k = b.id.split('-');
				n[k[1]][k[2]] = !n[k[1]][k[2]];
				b.setAttribute('aria-checked', String(n[k[1]][k[2]]));
				$('#ndirty').textContent = 'Unsaved changes';
			});
		});
		$('#nsave').addEventListener('click', function () {
			S.notif = n;
			save(S);
			$('#ndirty').textContent = '';
			toast('Notification settings saved.');
		});
	};
	panels.keys = function (p) {
		p.innerHTML = '<div class="panel"><h2>API keys</h2><p>Keys let scripts and tools use the API as you. <button class="btn" id="newkey">Create API key</button></p>' +
		    '<table class="grid"><tr><th>Name</th><th>Access</th><th>Created</th><th>Last used</th><th>Status</th><th></th></tr>' +
		    S.keys.map(function (k, i) {
			    return '<tr data-key="' + esc(k.name) + '"><td><code>' + esc(k.name) + '</code></td><td>' + k.scope + '</td><td>' + k.created +
			    '</td><td>' + k.used + '</td><td>' + (k.revoked ? '<span class="pill red">Revoked</span>' : '<span class="pill green">Active</span>') +
			    '</td><td>' + (k.revoked ? '' : '<button class="btn danger" data-i="' + i + '" aria-label="Revoke ' + esc(k.name) + '">Revoke</button>') +
			    '</td></tr>'; }).join('') + '</table></div>';
		$$('button[data-i]', p).forEach(function (b) {
			b.addEventListener('click', function () {
				var k = S.keys[+b.dataset.i];
				dialog('Revoke ' + k.name + '?', '<p>Scripts using this key will stop working at once. This cannot be undone.</p>' +
				    '<label>Type <b>' + esc(k.name) + '</b> to confirm <input type="text" id="confirm-name" autocomplete="off"></label><p class="err" id="r-err"></p>',
				    [['Cancel', 'plain', function () {}], ['Revoke key', 'danger-solid', function (o) {
					    if ($('#confirm-name', o).value.trim() !== k.name) {
						    $('#r-err', o).textContent = 'The name does not match.';
						    return false;
					    }
					    k.revoked = true;
					    save(S);
					    draw();
					    toast('Key ' + k.name + ' revoked.');
				    }]]);
			});
		});
		$('#newkey').addEventListener('click', function () {
			dialog('Create API key', '<label>Key name <input type="text" id="kname" placeholder="e.g. deploy-bot"></label>' +
			    '<fieldset style="border:0;padding:0"><legend>Access</legend><label><input type="radio" name="scope" value="Read-only"> Read-only</label>' +
			    '<label><input type="radio" name="scope" value="Read & write" checked> Read &amp; write</label>' +
			    '<label><input type="radio" name="scope" value="Admin"> Admin</label></fieldset>' +
			    '<label>Expires <select id="kexp"><option>In 30 days</option><option selected>In 90 days</option><option>In 1 year</option><option>Never</option></select></label>' +
			    '<p class="err" id="k-err"></p>',
			    [['Cancel', 'plain', function () {}], ['Create key', '', function (o) {
				    var n = $('#kname', o).value.trim();
				    if (!/^[a-z0-9][a-z0-9-]{1,40}$/.test(n)) {
					    $('#k-err', o).textContent = 'Use 2 to 41 lower-case letters, digits and dashes.';
					    return false;
				    }
				    if (S.keys.some(function (k) { return k.name === n; })) {
					    $('#k-err', o).textContent = 'A key with that name exists.';
					    return false;
				    }
				    S.keys.unshift({ name: n, scope: $('input[name=scope]:checked', o).value, created: '2025-06-02', used: 'never',
				        expires: $('#kexp', o).value });
				    save(S);
				    draw();
				    dialog('Your new key', '<p>Copy it now; you will not see it again.</p><p><code>nmb_' + n.replace(/-/g, '') +
				        '_7f3c91d2a8</code></p>', [['Done', '', function () {}]]);
			    }]]);
		});
	};
	panels.team = function (p) {
		p.innerHTML = '<div class="panel"><h2>Members of atlas-labs (' + S.team.length + ')</h2><p><button class="btn" id="invite">Invite member</button> ' +
		    '<input type="text" id="tfilter" placeholder="Filter members" aria-label="Filter members"></p>' +
		    '<table class="grid" id="tt"><tr><th>Name</th><th>Email</th><th>Role</th><th></th></tr>' +
		    S.team.map(function (m, i) {
			    return '<tr data-i="' + i + '"><td>' + esc(m.name) + '</td><td>' + esc(m.email) + '</td><td><select aria-label="Role of ' +
			    esc(m.name) + '" data-i="' + i + '"' + (m.role === 'Owner' ? ' disabled' : '') + '>' + ROLES.map(function (r) {
				    return '<option' + (r === m.role ? ' selected' : '') + '>' + r + '</option>'; }).join('') + '</select></td><td>' +
			    (m.role === 'Owner' ? '' : '<button class="btn danger" aria-label="Remove ' + esc(m.name) + '" data-rm="' + i + '">Remove</button>') +
			    '</td></tr>'; }).join('') + '</table></div>' + (S.invites.length ? '<div class="panel"><h2>Pending invitations</h2><table class="grid">' +
		    S.invites.map(function (v) { return '<tr><td>' + esc(v.email) + '</td><td>' + v.role + '</td><td>Sent today</td></tr>'; }).join('') +
		    '</table></div>' : '');
		$('#tfilter').addEventListener('input', function () {
			var f = this.value.toLowerCase();
			$$('#tt tr[data-i]').forEach(function (r) { r.hidden = r.textContent.toLowerCase().indexOf(f) < 0; });
		});
		$$('select[data-i]', p).forEach(function (s) {
			s.addEventListener('change', function () {
				var m = S.team[+s.dataset.i], to = s.value;
				dialog('Change role', '<p>Change ' + esc(m.name) + '\'s role from ' + m.role + ' to ' + to + '?</p>',
				    [['Cancel', 'plain', function () { s.value = m.role; }], ['Change role', '', function () {
					    m.role = to;
					    save(S);
					    toast(m.name + ' is now ' + to + '.');
				    }]]);
			});
		});
		$$('button[data-rm]', p).forEach(function (b) {
			b.addEventListener('click', function () {
				var m = S.team[+b.dataset.rm];
				dialog('Remove member', '<p>Remove ' + esc(m.name) + ' from atlas-labs?</p>', [['Cancel', 'plain', function () {}],
				    ['Remove', 'danger-solid', function () { S.team.splice(+b.dataset.rm, 1); save(S); draw(); }]]);
			});
		});
		$('#invite').addEventListener('click', function () {
			dialog('Invite a member', '<label>Email address <input type="email" id="iemail"></label><label>Role <select id="irole">' +
			    '<option>Admin</option><option selected>Editor</option><option>Viewer</option></select></label>' +
			    '<label>Message (optional) <textarea id="imsg" rows="3"></textarea></label><p class="err" id="i-err"></p>',
			    [['Cancel', 'plain', function () {}], ['Send invitation', '', function (o) {
				    var e = $('#iemail', o).value.trim();
				    if (!/^[^@\s]+@[^@\s]+\.[^@\s]+$/.test(e)) {
					    $('#i-err', o).textContent = 'Enter a valid email address.';
					    return false;
				    }
				    S.invites.push({ email: e, role: $('#irole', o).value });
				    save(S);
				    draw();
				    toast('Invitation sent to ' + e + '.');
			    }]]);
		});
	};
	panels.billing = function (p) {
		var inv = '', i;
		for (i = 0; i < 18; i++) {
			var d = new Date(Date.UTC(2025, 4 - i, 1)).toISOString().slice(0, 7);
			inv += '<tr><td>' + d + '</td><td>INV-' + (8840 - i) + '</td><td>$' + (412 + (i * 37) % 90) + '.00</td><td>Paid</td><td><a href="#billing">Download PDF</a></td></tr>';
		}
		p.innerHTML = '<div class="panel"><h2>Plan</h2><p><b>Team</b> · 25 seats · $' + (S.billing.cycle === 'annual' ? '4,680 per year' : '450 per month') +
		    '</p><fieldset style="border:0;padding:0"><legend>Billing cycle</legend><label><input type="radio" name="cycle" value="monthly"' +
		    (S.billing.cycle === 'monthly' ? ' checked' : '') + '> Monthly</label> <label><input type="radio" name="cycle" value="annual"' +
		    (S.billing.cycle === 'annual' ? ' checked' : '') + '> Annual (save 13%)</label></fieldset><p><button class="btn" id="bsave">Update billing cycle</button></p></div>' +
		    '<div class="panel"><h2>Payment method</h2><p>Visa ending 4242, expires 08/27 <button class="btn plain">Replace</button></p></div>' +
		    '<div class="panel"><h2>Invoices</h2><table class="grid"><tr><th>Month</th><th>Number</th><th>Amount</th><th>Status</th><th></th></tr>' + inv + '</table></div>';
		$('#bsave').addEventListener('click', function () {
			S.billing.cycle = $('input[name=cycle]:checked').value;
			save(S);
			draw();
			toast('Billing cycle updated.');
		});
	};

	function draw() {
		var cur = location.hash.replace('#', '') || 'profile', t;
		if (!panels[cur])
			cur = 'profile';
		$('#tabs').innerHTML = TABS.map(function (x) {
			return '<button role="tab" id="tab-' + x[0] + '" aria-controls="panel" aria-selected="' + (x[0] === cur) + '">' + x[1] + '</button>';
		}).join('');
		TABS.forEach(function (x) {
			$('#tab-' + x[0]).addEventListener('click', function () { location.hash = x[0]; });
		});
		t = $('#panel');
		t.setAttribute('aria-labelledby', 'tab-' + cur);
		panels[cur](t);
		document.title = TABS.filter(function (x) { return x[0] === cur; })[0][1] + ' · Settings · Nimbus';
	}
	window.NB = { state: function () { return load(); } };
	document.addEventListener('DOMContentLoaded', function () {
		S = load();
		draw();
		window.addEventListener('hashchange', draw);
	});
})();
