/*
 * fam-lists.js: generator families "table" (inbox, contacts, products,
 * orders with per-row actions) and "posts" (a social feed).
 */
(function () {
	'use strict';

	var G = window.__gen, P = G.P, h = G.h;

	/* Action names and their icons. */
	var ICON = {
		Reply: 'reply', Forward: 'forward', Delete: 'del',
		Star: 'star', Archive: 'archive', Call: 'call', Edit: 'edit',
		Email: 'mail', View: 'info', Cancel: 'close', Like: 'like',
		Share: 'share', Follow: 'add', Comment: 'reply',
		'Add to cart': 'cart', Refund: 'prev', Disable: 'remove',
		Block: 'flag', Report: 'flag'
	};

	/* A row action button: text, or an icon with an aria-label. */
	function rowButton(G, R, act, who, fn, iconish) {
		var o = { sec: true, icon: ICON[act] };

		if (iconish && ICON[act])
			o.impl = G.impl === 'listener' || G.impl === 'role' ?
			    G.impl : 'icon';
		else if (iconish === false)
			o.impl = G.impl === 'icon' ? 'native' : undefined;
		/* Labelled with the row now and then ("Delete Alice"). */
		if (R.chance(0.3))
			o.aria = act + ' ' + who;
		return G.button(act, fn, o);
	}

	G.def('table', 'train', function (G) {
		var R = G.R, t = {}, app, rows = [], n, i, acts, tbl, tgt, act;
		var done = {}, iconish, asTable, main = [], reply = null, text;
		var fn, ln, sent = null;

		app = R.pick(['inbox', 'contacts', 'products', 'orders',
		    'users']);
		n = R.range(5, 13);
		iconish = R.chance(0.4);
		asTable = R.chance(0.6);
		for (i = 0; i < n; i++) {
			fn = R.pick(P.first);
			ln = R.pick(P.last);
			if (app === 'inbox')
				rows.push({ key: fn + ' ' + ln, cells: [fn + ' ' +
				    ln, R.pick(['Re: ', 'Fwd: ', '', '']) +
				    R.pick(P.topic)[0].toUpperCase() +
				    R.pick(P.topic).slice(1) + ' ' +
				    R.pick(P.noun), P.monthShort[R.int(12)] +
				    ' ' + R.range(1, 28)] });
			else if (app === 'contacts')
				rows.push({ key: fn + ' ' + ln, cells: [fn + ' ' +
				    ln, '555-' + R.range(1000, 9999),
				    (fn + '.' + ln).toLowerCase() + '@' +
				    R.pick(P.domain)] });
			else if (app === 'products') {
				var p = R.pick(P.product);

				rows.push({ key: p[0], cells: [p[0], '$' + p[2] +
				    '.' + R.pick(['00', '99', '50']),
				    String(R.range(0, 120)) + ' in stock'] });
			} else if (app === 'orders')
				rows.push({ key: '#' + R.range(10000, 99999),
				    cells: [null, fn + ' ' + ln, '$' +
				    R.range(10, 900), R.pick(['Pending',
				    'Shipped', 'Delivered', 'Processing'])] });
			else
				rows.push({ key: fn + ' ' + ln, cells: [fn + ' ' +
				    ln, R.pick(['Admin', 'Editor', 'Viewer',
				    'Owner']), R.pick(['Active', 'Invited',
				    'Suspended'])] });
			if (rows[i].cells[0] === null)
				rows[i].cells[0] = rows[i].key;
		}
		/* Keys must be unique. */
		rows = rows.filter(function (r, j) {
			return rows.findIndex(function (x) {
				return x.key === r.key;
			}) === j;
		});
		acts = {
			inbox: ['Reply', 'Forward', 'Archive', 'Delete', 'Star'],
			contacts: ['Call', 'Email', 'Edit', 'Delete'],
			products: ['Edit', 'Delete', 'Add to cart', 'View'],
			orders: ['View', 'Cancel', 'Refund'],
			users: ['Edit', 'Disable', 'Delete']
		}[app];
		acts = R.sample(acts, R.range(2, acts.length));
		var btns = {};
		tbl = h(asTable ? 'table' : 'div', asTable ? null :
		    { 'class': 'list' });
		if (asTable) {
			tbl.appendChild(h('tr', ({
				inbox: ['From', 'Subject', 'Date'],
				contacts: ['Name', 'Phone', 'Email'],
				products: ['Product', 'Price', 'Stock'],
				orders: ['Order', 'Customer', 'Total', 'Status'],
				users: ['Name', 'Role', 'Status']
			}[app]).concat(['Actions']).map(function (c) {
				return h('th', c);
			})));
		}
		/* The name of a row is often a link to its details. */
		var keyLink = R.chance(0.65);
		rows.forEach(function (r) {
			var cells = r.cells.map(function (c, j) {
				return h(asTable ? 'td' : 'span', { style:
				    asTable ? null : 'margin-right:14px' },
				    j === 0 && keyLink ? G.link(c, null,
				    { impl: R.chance(0.8) ? 'native' :
				    undefined }) : c);
			}), bx = h(asTable ? 'td' : 'span'), row;

			btns[r.key] = {};
			acts.forEach(function (a) {
				var b = rowButton(G, R, a, r.key, function () {
					done[r.key + '/' + a] = true;
					if (a === 'Delete' || a === 'Archive' ||
					    a === 'Disable')
						row.remove();
					else if (a === 'Reply' && reply)
						reply.open(r.key);
				}, iconish);

				btns[r.key][a] = b;
				bx.appendChild(b);
			});
			row = h(asTable ? 'tr' : 'div', cells.concat([bx]));
			tbl.appendChild(row);
		});
		tgt = R.pick(rows);
		act = R.pick(acts);
		/* Replying: a form under the table. */
		if (act === 'Reply' && app === 'inbox') {
			text = R.pick(['Thanks, sounds good', 'See you then',
			    'I will check and get back to you',
			    'Can we move it to Friday', 'Looks great to me',
			    'Please send the file']);
			var box = G.field(R.pick(['Message', 'Your reply',
			    'Reply']), { textarea: true, style: 'placeholder' });
			var to = h('div.muted');
			var send = G.button(R.pick(['Send', 'Send reply']),
			    function () {
				sent = { to: form.dataset.to, text: box.get() };
				form.classList.add('hidden');
			});
			var form = h('div.card.hidden', [to, box.wrap, send]);
			reply = {
				form: form, box: box, send: send,
				open: function (k) {
					form.dataset.to = k;
					to.textContent = 'Reply to ' + k;
					box.set('');
					form.classList.remove('hidden');
				}
			};
			main.push(form);
		}
		main.unshift(tbl);
		main.unshift(h('h2', ({
			inbox: 'Inbox', contacts: 'Contacts',
			products: 'Products', orders: 'Orders', users: 'Users'
		})[app] + ' (' + rows.length + ')'));
		G.mount([main, G.maybeCookieBar()], null, {});
		t.kind = act === 'Reply' && reply ? 'reply' : 'row';
		var subj = app === 'inbox' ? tgt.cells[1] : tgt.key;
		var useSubj = app === 'inbox' && R.chance(0.3);
		t.fill = {
			A: act, a: act.toLowerCase(),
			K: useSubj ? { text: subj, quote: 0.3 } : tgt.key,
			OF: app === 'inbox' ? (useSubj ? 'the message about' :
			    R.pick(['the email from', 'the message from'])) :
			    app === 'orders' ? 'order' : app === 'products' ?
			    'the product' : R.pick(['the contact', '']),
			ROW: useSubj ? 'the message about ' + subj : tgt.key,
			TXT: { text: text || '', value: true }
		};
		t.templates = {
			row: ['{A} {OF} {K}', 'Click {A} for {OF} {K}',
			    'Press {A} on the row of {K}',
			    '{A} {K}', 'Find {K} and click {A}',
			    'In the row for {K}, press the {a} button',
			    'Hit {a} next to {K}', 'Please {a} {OF} {K}',
			    'Use the {a} action on {K}',
			    'I want to {a} {OF} {K}',
			    'Locate {OF} {K} and {a} it',
			    'Click the {a} icon of {K}',
			    'On the line for {K}, hit {A}',
			    '{K}: {a}',
			    'Can you {a} {OF} {K}?',
			    'Go to {K} in the list and press {A}',
			    'Select the {a} option for {K}',
			    'The row {K} needs {a}; click it',
			    'Next to {K}, click {A}',
			    'For {K}, use {A}', 'Perform {a} on {K}',
			    '{A} the entry for {K}'],
			reply: ['Reply to {OF} {K} with {TXT}',
			    'Answer {K}: {TXT}',
			    'Send a reply to {K} saying {TXT}',
			    'Reply {TXT} to {OF} {K}',
			    'Respond to {K} with the message {TXT}',
			    'Write back to {K}: {TXT}',
			    'Open the reply to {K}, type {TXT} and send it',
			    'Hit reply on {OF} {K} and send {TXT}',
			    'Tell {K} {TXT} in a reply']
		};
		if (t.kind === 'reply') {
			t.goals = [G.goal(function () {
				return sent !== null && sent.to === tgt.key &&
				    sent.text === text;
			}, function () {
				if (!reply.form.classList.contains('hidden') &&
				    reply.form.dataset.to === tgt.key) {
					if (reply.box.get() !== text)
						return G.type(reply.box.el, text);
					return G.click(reply.send, 'send');
				}
				return G.click(btns[tgt.key].Reply, 'reply');
			})];
		} else
			t.goals = [G.goal(function () {
				return done[tgt.key + '/' + act] === true;
			}, function () {
				return G.click(btns[tgt.key][act], act);
			})];
		t.done = t.goals[0].sat;
		return t;
	});

	/* ---------------------------------------------------------------- */
	/* posts (held out): a social feed with per-post actions.           */

	G.def('posts', 'heldout', function (G) {
		var R = G.R, t = {}, n, i, posts = [], feed, tgt, kind, done = {};
		var text, iconish, who;

		n = R.range(3, 8);
		iconish = R.chance(0.5);
		feed = h('div');
		for (i = 0; i < n; i++) {
			who = R.pick(P.first) + ' ' + R.pick(P.last);
			if (posts.some(function (p) {
				return p.who === who;
			}))
				continue;
			posts.push({ who: who, topic: R.pick(P.topic),
			    text: '' });
		}
		posts.forEach(function (p) {
			var acts = h('div'), box, form, card, cb = {};

			p.text = R.pick(['Just finished the ', 'Thoughts on ' +
			    'the ', 'Excited about the ', 'Notes from the ',
			    'Who else is going to the ']) + p.topic + ' ' +
			    R.pick(P.noun) + '!';
			['Like', 'Comment', 'Share'].forEach(function (a) {
				var b = rowButton(G, R, a, p.who, function () {
					done[p.who + '/' + a] = true;
					if (a === 'Comment') {
						form.classList.remove('hidden');
						box.set('');
					}
				}, iconish);

				cb[a] = b;
				acts.appendChild(b);
				acts.appendChild(h('span.muted', ' ' +
				    R.range(0, 99) + ' '));
			});
			cb.Follow = G.button(R.pick(['Follow', '+ Follow']),
			    function () {
				done[p.who + '/Follow'] = true;
			}, { sec: true, link: R.chance(0.5) });
			box = G.field(R.pick(['Write a comment',
			    'Add a comment', 'Your comment']),
			    { style: 'placeholder' });
			form = h('div.hidden', [box.wrap, G.button(R.pick([
			    'Post', 'Send', 'Reply']), function () {
				done[p.who + '/posted'] = box.get();
				form.classList.add('hidden');
			})]);
			G.revealer(form, function () {
				return G.click(cb.Comment, 'comment');
			});
			card = h('div.card', [h('div', [R.chance(0.7) ?
			    G.link(p.who, null, { impl: 'native' }) :
			    h('strong', p.who), ' ',
			    h('span.muted', '@' + p.who.toLowerCase().replace(
			    ' ', '') + ' \u00b7 ' + R.range(1, 23) + 'h'), ' ',
			    cb.Follow]), h('p', p.text), acts, form]);
			p.cb = cb;
			p.box = box;
			p.form = form;
			feed.appendChild(card);
		});
		G.mount([h('h2', R.pick(['Home', 'Feed', 'Timeline',
		    'Latest'])), G.field(R.pick(['What\'s happening?',
		    'Share an update']), { style: 'placeholder' }).wrap,
		    G.button('Post', null), feed, G.maybeCookieBar()], null,
		    {});
		tgt = R.pick(posts);
		kind = R.weighted([[3, 'act'], [1.5, 'comment']]);
		var act = R.pick(['Like', 'Share', 'Follow']);
		var useTopic = R.chance(0.35) && act !== 'Follow';
		text = R.pick(['Congrats', 'Great news', 'See you there',
		    'Love this', 'Count me in', 'Well done']);
		t.kind = kind;
		t.fill = {
			A: act, a: act.toLowerCase(),
			W: tgt.who, Ws: { text: tgt.who + '\'s', quote: 0 },
			POST: useTopic ? { text: 'the post about ' + tgt.topic,
			    quote: 0 } : { text: tgt.who + '\'s post',
			    quote: 0 },
			TXT: { text: text, value: true }
		};
		t.templates = {
			act: [act === 'Follow' ? 'Follow {W}' : '{A} {POST}',
			    act === 'Follow' ? 'Click follow next to {W}' :
			    'Click {a} on {POST}',
			    act === 'Follow' ? 'Start following {W}' :
			    'Hit the {a} button of {POST}',
			    act === 'Follow' ? 'I want to follow {W}' :
			    'Please {a} {POST}',
			    act === 'Follow' ? 'Press follow for {W}' :
			    'Give {POST} a {a}',
			    act === 'Follow' ? 'Subscribe to {W} by following' :
			    '{A} the post by {W}',
			    act === 'Follow' ? 'Add {W} to the people I follow' :
			    'Tap {a} under {POST}',
			    act === 'Follow' ? 'Hit follow on {W}' :
			    'Find {POST} and press {a}',
			    act === 'Follow' ? 'Follow the author {W}' :
			    'I want to {a} {POST}',
			    act === 'Follow' ? '{W}: follow' : '{A} {POST} please',
			    act === 'Follow' ? 'Click the follow link for {W}' :
			    'Click the {a} icon on {POST}',
			    act === 'Follow' ? 'Become a follower of {W}' :
			    'Press {a} for {POST}'],
			comment: ['Comment {TXT} on {POST}',
			    'Reply to {W} saying {TXT}',
			    'Leave the comment {TXT} under {POST}',
			    'Write {TXT} as a comment on {POST}',
			    'Answer {POST} with {TXT}',
			    'Post the comment {TXT} on {POST}',
			    'Add a comment to {POST}: {TXT}',
			    'Comment on {POST} saying {TXT}']
		};
		if (kind === 'comment') {
			t.goals = [G.gType(tgt.box, text), G.goal(function () {
				return done[tgt.who + '/posted'] === text;
			}, function () {
				return G.click(tgt.form.lastChild, 'post');
			})];
			t.done = t.goals[1].sat;
		} else {
			t.goals = [G.goal(function () {
				return done[tgt.who + '/' + act] === true;
			}, function () {
				return G.click(tgt.cb[act], act);
			})];
			t.done = t.goals[0].sat;
		}
		return t;
	});
})();
