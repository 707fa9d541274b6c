/*
 * mail.js: Larkmail's client.  Renders the folder, search or message the
 * URL fragment names; every change to the mailbox is saved at once in
 * localStorage so the suite's checks can read it.
 */
'use strict';

(function () {
	var KEY = 'larkmail';
	var PAGE = 50;
	var FOLDERS = [['inbox', 'Inbox'], ['starred', 'Starred'],
	    ['sent', 'Sent'], ['drafts', 'Drafts'], ['archive', 'Archive'],
	    ['spam', 'Spam'], ['trash', 'Trash']];
	var LABELS = ['Work', 'Family', 'Receipts', 'Travel'];
	var MOVE = ['inbox', 'archive', 'Work', 'Family', 'Receipts', 'Travel',
	    'spam', 'trash'];
	var st, editing = null, selected = {};

	function load() {
		try {
			st = JSON.parse(localStorage.getItem(KEY));
		} catch (e) {
			st = null;
		}
		if (!st || !st.msgs) {
			st = { msgs: JSON.parse(JSON.stringify(LARK_SEED)) };
			save();
		}
	}
	function save() {
		localStorage.setItem(KEY, JSON.stringify(st));
	}
	function $(id) { return document.getElementById(id); }
	function el(tag, attrs, kids) {
		var e = document.createElement(tag), k;
		for (k in attrs || {}) {
			if (k === 'text')
				e.textContent = attrs[k];
			else if (k === 'onclick')
				e.addEventListener('click', attrs[k]);
			else
				e.setAttribute(k, attrs[k]);
		}
		(kids || []).forEach(function (c) {
			e.appendChild(typeof c === 'string' ?
			    document.createTextNode(c) : c);
		});
		return e;
	}
	function byId(id) {
		return st.msgs.filter(function (m) { return m.id === id; })[0];
	}
	function folderName(f) {
		var i;
		for (i = 0; i < FOLDERS.length; i++)
			if (FOLDERS[i][0] === f)
				return FOLDERS[i][1];
		return f;
	}
	function fmtDate(iso) {
		var d = new Date(iso);
		var mon = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul',
		    'Aug', 'Sep', 'Oct', 'Nov', 'Dec'][d.getUTCMonth()];
		return mon + ' ' + d.getUTCDate();
	}
	function toast(text) {
		var t = $('toast');
		t.textContent = text;
		t.className = 'toast on';
		clearTimeout(toast.t);
		toast.t = setTimeout(function () { t.className = 'toast'; }, 4000);
	}
	function inFolder(f) {
		return st.msgs.filter(function (m) {
			if (f === 'starred')
				return m.starred && m.folder !== 'trash';
			return m.folder === f;
		});
	}

	function renderSide(cur) {
		var ul = $('folders'), lab = $('labels');
		ul.textContent = '';
		lab.textContent = '';
		FOLDERS.forEach(function (f) {
			var n = f[0] === 'inbox' ? inFolder('inbox').filter(function (m) {
				return !m.read; }).length : f[0] === 'drafts' ?
			    inFolder('drafts').length : 0;
			ul.appendChild(el('li', {}, [el('a', { href: '#/' + f[0],
			    'class': cur === f[0] ? 'on' : '' }, [f[1],
			    el('span', { 'class': 'count', text: n ? String(n) : '' })])]));
		});
		LABELS.forEach(function (l) {
			lab.appendChild(el('li', {}, [el('a', { href: '#/' + l,
			    'class': cur === l ? 'on' : '' }, [l])]));
		});
	}

	/* A "Move to" menu under button b, calling fn(folder). */
	function moveMenu(b, fn) {
		var old = document.querySelector('.menu');
		if (old) {
			old.remove();
			b.setAttribute('aria-expanded', 'false');
			return;
		}
		var m = el('div', { 'class': 'menu', role: 'menu',
		    'aria-label': 'Move to' });
		MOVE.forEach(function (f) {
			m.appendChild(el('button', { role: 'menuitem',
			    text: folderName(f), onclick: function () {
				m.remove();
				fn(f);
			} }));
		});
		m.style.left = b.offsetLeft + 'px';
		m.style.top = (b.offsetTop + b.offsetHeight + 2) + 'px';
		b.parentNode.appendChild(m);
		b.setAttribute('aria-expanded', 'true');
	}

	function moveTo(ids, f) {
		ids.forEach(function (id) {
			var m = byId(id);
			if (m)
				m.folder = f;
		});
		save();
		toast((ids.length === 1 ? 'Conversation' : ids.length +
		    ' conversations') + ' moved to ' + folderName(f) + '.');
	}

	function listView(title, msgs, cur, page, base) {
		var main = $('main'), tb, tbody, total = msgs.length, i;
		var from = (page - 1) * PAGE, to = Math.min(total, from + PAGE);
		selected = {};
		main.textContent = '';
		tb = el('div', { 'class': 'toolbar', role: 'toolbar',
		    'aria-label': 'Message actions' });
		var all = el('input', { type: 'checkbox', 'aria-label': 'Select all' });
		all.addEventListener('change', function () {
			document.querySelectorAll('tbody input[type=checkbox]')
			    .forEach(function (c) {
				c.checked = all.checked;
				selected[c.dataset.id] = all.checked;
			});
		});
		function sel() {
			return Object.keys(selected).filter(function (k) {
				return selected[k]; });
		}
		function need(fn) {
			return function () {
				var s = sel();
				if (s.length === 0) {
					toast('Select a conversation first.');
					return;
				}
				fn(s);
				route();
			};
		}
		tb.appendChild(all);
		tb.appendChild(el('button', { text: 'Archive', onclick: need(function (s) {
			moveTo(s, 'archive'); }) }));
		tb.appendChild(el('button', { text: cur === 'trash' ?
		    'Delete forever' : 'Delete', onclick: need(function (s) {
			if (cur === 'trash' || cur === 'drafts') {
				st.msgs = st.msgs.filter(function (m) {
					return s.indexOf(m.id) < 0; });
				save();
				toast(cur === 'drafts' ? 'Draft discarded.' :
				    'Deleted forever.');
			} else
				moveTo(s, 'trash');
		}) }));
		tb.appendChild(el('button', { text: 'Mark as read', onclick: need(function (s) {
			s.forEach(function (id) { byId(id).read = true; });
			save();
		}) }));
		var mv = el('button', { text: 'Move to ▾', 'aria-haspopup': 'menu',
		    'aria-expanded': 'false' });
		mv.addEventListener('click', function () {
			var s = sel();
			if (s.length === 0) {
				toast('Select a conversation first.');
				return;
			}
			moveMenu(mv, function (f) { moveTo(s, f); route(); });
		});
		tb.appendChild(mv);
		tb.appendChild(el('button', { text: 'Refresh', onclick: route }));
		tb.appendChild(el('span', { 'class': 'spacer' }));
		tb.appendChild(el('span', { 'class': 'pager', text: total ?
		    (from + 1) + '–' + to + ' of ' + total : '0 of 0' }));
		var newer = el('button', { text: '‹ Newer', onclick: function () {
			location.hash = base + '/' + (page - 1); } });
		var older = el('button', { text: 'Older ›', onclick: function () {
			location.hash = base + '/' + (page + 1); } });
		if (page <= 1)
			newer.disabled = true;
		if (to >= total)
			older.disabled = true;
		tb.appendChild(newer);
		tb.appendChild(older);
		main.appendChild(el('h1', { 'class': 'visually-hidden',
		    style: 'font-size:18px;margin:12px 16px 0', text: title }));
		main.appendChild(tb);
		if (total === 0) {
			main.appendChild(el('p', { 'class': 'empty', text:
			    cur === 'search' ? 'No messages matched your search.' :
			    'Nothing in ' + title + '.' }));
			return;
		}
		var tbl = el('table', { 'class': 'list', 'aria-label': title });
		tbody = el('tbody');
		for (i = from; i < to; i++)
			tbody.appendChild(row(msgs[i], cur));
		tbl.appendChild(tbody);
		main.appendChild(tbl);
	}

	function row(m, cur) {
		var cb = el('input', { type: 'checkbox', 'data-id': m.id,
		    'aria-label': 'Select message from ' + m.from + ': ' + m.subject });
		cb.addEventListener('change', function () {
			selected[m.id] = cb.checked; });
		var star = el('button', { 'class': 'star', 'aria-pressed':
		    m.starred ? 'true' : 'false', 'aria-label': m.starred ?
		    'Starred' : 'Not starred', text: m.starred ? '★' : '☆' });
		star.addEventListener('click', function () {
			m.starred = !m.starred;
			save();
			star.setAttribute('aria-pressed', m.starred ? 'true' : 'false');
			star.setAttribute('aria-label', m.starred ? 'Starred' : 'Not starred');
			star.textContent = m.starred ? '★' : '☆';
		});
		var who = cur === 'sent' || cur === 'drafts' ? (cur === 'drafts' ?
		    'Draft' : 'To: ' + (m.to || '')) : m.from;
		var href = cur === 'drafts' ? '#/drafts' : '#/msg/' + m.id;
		var link = el('a', { href: href }, [m.subject || '(no subject)',
		    el('span', { 'class': 'snip', text: ' – ' +
		    m.body.replace(/\s+/g, ' ').slice(0, 60) })]);
		if (cur === 'drafts')
			link.addEventListener('click', function (e) {
				e.preventDefault();
				openCompose({ draft: m });
			});
		var subj = el('td', { 'class': 'subj' }, [link]);
		if (cur === 'search')
			subj.appendChild(el('span', { 'class': 'chip', text:
			    folderName(m.folder) }));
		return el('tr', { 'class': m.read ? 'row' : 'row unread',
		    'data-id': m.id }, [el('td', { 'class': 'cb' }, [cb]),
		    el('td', { 'class': 'st' }, [star]),
		    el('td', { 'class': 'from', text: who }), subj,
		    el('td', { 'class': 'date', text: fmtDate(m.date) })]);
	}

	function msgView(m) {
		var main = $('main'), tb, v;
		m.read = true;
		save();
		main.textContent = '';
		tb = el('div', { 'class': 'toolbar', role: 'toolbar',
		    'aria-label': 'Message actions' });
		tb.appendChild(el('button', { text: '← Back to ' + folderName(m.folder),
		    onclick: function () { location.hash = '#/' + m.folder; } }));
		if (m.folder === 'spam')
			tb.appendChild(el('button', { text: 'Not spam', onclick: function () {
				moveTo([m.id], 'inbox');
				route();
			} }));
		else
			tb.appendChild(el('button', { text: 'Report spam', onclick: function () {
				moveTo([m.id], 'spam');
				location.hash = '#/inbox';
			} }));
		tb.appendChild(el('button', { text: 'Archive', onclick: function () {
			moveTo([m.id], 'archive');
			location.hash = '#/inbox';
		} }));
		tb.appendChild(el('button', { text: 'Delete', onclick: function () {
			moveTo([m.id], 'trash');
			location.hash = '#/inbox';
		} }));
		var mv = el('button', { text: 'Move to ▾', 'aria-haspopup': 'menu',
		    'aria-expanded': 'false' });
		mv.addEventListener('click', function () {
			moveMenu(mv, function (f) { moveTo([m.id], f); route(); });
		});
		tb.appendChild(mv);
		tb.appendChild(el('button', { text: 'Mark as unread', onclick: function () {
			m.read = false;
			save();
			location.hash = '#/' + m.folder;
		} }));
		main.appendChild(tb);
		v = el('article', { 'class': 'msg', 'data-id': m.id });
		var star = el('button', { 'class': 'star', 'aria-pressed':
		    m.starred ? 'true' : 'false', 'aria-label': m.starred ?
		    'Starred' : 'Not starred', text: m.starred ? '★' : '☆' });
		star.addEventListener('click', function () {
			m.starred = !m.starred;
			save();
			route();
		});
		v.appendChild(el('h1', {}, [m.subject, el('span', { 'class': 'chip',
		    text: folderName(m.folder) }), ' ', star]));
		if (m.folder === 'spam')
			v.appendChild(el('p', { 'class': 'banner', text: 'This message ' +
			    'is in Spam. It looks like messages that were reported as spam.' }));
		v.appendChild(el('p', { 'class': 'meta' }, [el('b', { text: m.from }),
		    ' <' + m.email + '>', el('br'), 'to ' + (m.to || 'me') + ' · ' +
		    new Date(m.date).toUTCString().slice(0, 22)]));
		v.appendChild(el('div', { 'class': 'body', text: m.body }));
		var acts = el('div', { 'class': 'msg-actions' });
		acts.appendChild(el('button', { text: '↩ Reply', onclick: function () {
			openCompose({ reply: m }); } }));
		acts.appendChild(el('button', { text: '↪ Forward', onclick: function () {
			openCompose({ forward: m }); } }));
		v.appendChild(acts);
		main.appendChild(v);
	}

	function openCompose(o) {
		o = o || {};
		editing = o;
		$('c-err').hidden = true;
		$('c-to').value = '';
		$('c-cc').value = '';
		$('c-subject').value = '';
		$('c-body').value = '';
		$('compose-title').textContent = 'New message';
		if (o.reply) {
			$('compose-title').textContent = 'Reply';
			$('c-to').value = o.reply.email;
			$('c-subject').value = /^Re: /.test(o.reply.subject) ?
			    o.reply.subject : 'Re: ' + o.reply.subject;
			$('c-body').value = '\n\nOn ' + fmtDate(o.reply.date) + ', ' +
			    o.reply.from + ' wrote:\n> ' + o.reply.body.replace(/\n/g, '\n> ');
		} else if (o.forward) {
			$('compose-title').textContent = 'Forward';
			$('c-subject').value = 'Fwd: ' + o.forward.subject;
			$('c-body').value = '\n\n---------- Forwarded message ----------\n' +
			    'From: ' + o.forward.from + '\n\n' + o.forward.body;
		} else if (o.draft) {
			$('compose-title').textContent = 'Draft';
			$('c-to').value = o.draft.to || '';
			$('c-subject').value = o.draft.subject;
			$('c-body').value = o.draft.body;
		}
		$('compose').hidden = false;
		(o.reply ? $('c-body') : $('c-to')).focus();
		if (o.reply)
			$('c-body').setSelectionRange(0, 0);
	}
	function closeCompose() {
		$('compose').hidden = true;
		editing = null;
	}
	function fields() {
		return { to: $('c-to').value.trim(), cc: $('c-cc').value.trim(),
		    subject: $('c-subject').value.trim(), body: $('c-body').value };
	}

	function init() {
		load();
		$('compose-btn').addEventListener('click', function () {
			openCompose({}); });
		$('compose-close').addEventListener('click', closeCompose);
		$('c-discard').addEventListener('click', function () {
			if (editing && editing.draft) {
				var id = editing.draft.id;
				st.msgs = st.msgs.filter(function (m) { return m.id !== id; });
				save();
				toast('Draft discarded.');
			}
			closeCompose();
			route();
		});
		$('c-save').addEventListener('click', function () {
			var f = fields(), d = editing && editing.draft;
			if (!d) {
				d = { id: 'd' + Date.now(), from: 'Dana Whitfield',
				    email: 'dana.whitfield@larkmail.test', folder: 'drafts',
				    read: true, starred: false, labels: [] };
				st.msgs.unshift(d);
			}
			d.to = f.to; d.subject = f.subject; d.body = f.body;
			d.date = new Date().toISOString();
			save();
			closeCompose();
			toast('Draft saved.');
			route();
		});
		$('compose-form').addEventListener('submit', function (e) {
			var f = fields(), ok = /^[^@\s,]+@[^@\s,]+\.[^@\s,]+(,\s*[^@\s,]+@[^@\s,]+\.[^@\s,]+)*$/;
			e.preventDefault();
			if (!ok.test(f.to)) {
				$('c-err').textContent = f.to ? 'The address "' + f.to +
				    '" is not recognised. Check it and try again.' :
				    'Add at least one recipient.';
				$('c-err').hidden = false;
				return;
			}
			if (editing && editing.draft) {
				var id = editing.draft.id;
				st.msgs = st.msgs.filter(function (m) { return m.id !== id; });
			}
			st.msgs.unshift({ id: 's' + Date.now(), from: 'Dana Whitfield',
			    email: 'dana.whitfield@larkmail.test', to: f.to, cc: f.cc,
			    subject: f.subject, body: f.body, folder: 'sent',
			    date: new Date().toISOString(), read: true, starred: false,
			    labels: [], inReplyTo: editing && editing.reply ?
			    editing.reply.id : null });
			save();
			closeCompose();
			toast('Message sent.');
			route();
		});
		$('search-form').addEventListener('submit', function (e) {
			e.preventDefault();
			var q = $('q').value.trim();
			location.hash = q ? '#/search/' + encodeURIComponent(q) : '#/inbox';
		});
		$('account-btn').addEventListener('click', function () {
			var m = $('account-menu');
			m.hidden = !m.hidden;
			$('account-btn').setAttribute('aria-expanded', String(!m.hidden));
		});
		$('settings-btn').addEventListener('click', function () {
			toast('Settings are not available in this demo.'); });
		document.addEventListener('keydown', function (e) {
			if (e.key === 'Escape') {
				var m = document.querySelector('.menu');
				if (m)
					m.remove();
				else if (!$('compose').hidden)
					closeCompose();
			}
		});
		window.addEventListener('hashchange', route);
		route();
	}

	function route() {
		var h = decodeURIComponent(location.hash.replace(/^#\/?/, '')), p, m;
		var parts = h.split('/'), cur = parts[0] || 'inbox';
		var page = parseInt(parts[1], 10) || 1;
		var old = document.querySelector('.menu');
		if (old)
			old.remove();
		if (cur === 'msg' && (m = byId(parts[1]))) {
			renderSide(m.folder);
			document.title = m.subject + ' – Larkmail';
			msgView(m);
			return;
		}
		if (cur === 'search') {
			var q = parts.slice(1).join('/').toLowerCase();
			var words = q.split(/\s+/).filter(Boolean);
			$('q').value = parts.slice(1).join('/');
			renderSide('');
			document.title = 'Search results – Larkmail';
			p = st.msgs.filter(function (x) {
				var hay = (x.from + ' ' + x.email + ' ' + x.subject + ' ' +
				    x.body).toLowerCase();
				return x.folder !== 'trash' && x.folder !== 'spam' &&
				    words.every(function (w) { return hay.indexOf(w) >= 0; });
			});
			listView('Search results', p, 'search', 1, '#/search/' + q);
			return;
		}
		if (cur === 'help') {
			renderSide('');
			$('main').innerHTML = '<div class="msg"><h1>Help</h1><p>Larkmail ' +
			    'keeps your mail in folders. Use Move to for sorting, ' +
			    'Archive to clear your inbox, and the star to flag ' +
			    'messages.</p><p><a href="#/inbox">Back to Inbox</a></p></div>';
			return;
		}
		if (FOLDERS.map(function (f) { return f[0]; }).indexOf(cur) < 0 &&
		    LABELS.indexOf(cur) < 0)
			cur = 'inbox';
		renderSide(cur);
		document.title = folderName(cur) + ' – Larkmail';
		listView(folderName(cur), inFolder(cur), cur, page, '#/' + cur);
	}

	document.addEventListener('DOMContentLoaded', init);
})();
