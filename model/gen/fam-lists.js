/*
 * fam-lists.js: generator families "table" (inbox, contacts, products,
 * orders, users, jobs, hotels, files, events with per-record actions, as
 * a table, rows or cards) and "posts" (a social feed).
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
		Block: 'flag', Report: 'flag', Rename: 'edit',
		'Add note': 'edit', Download: 'download'
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

	function cap(s) {
		return s[0].toUpperCase() + s.slice(1);
	}

	/* Actions of each kind of record. */
	var ACTS = {
		inbox: ['Reply', 'Forward', 'Archive', 'Delete', 'Star'],
		contacts: ['Call', 'Email', 'Edit', 'Delete'],
		products: ['Edit', 'Delete', 'Add to cart', 'View'],
		orders: ['View', 'Cancel', 'Refund', 'Track'],
		users: ['Edit', 'Disable', 'Delete'],
		jobs: ['Apply', 'Save'],
		hotels: ['Book', 'View deal', 'Save'],
		files: ['Download', 'Rename', 'Delete'],
		events: ['RSVP', 'Add to calendar']
	};
	var HEADS = {
		inbox: ['From', 'Subject', 'Date'],
		contacts: ['Name', 'Phone', 'Email'],
		products: ['Product', 'Price', 'Stock'],
		orders: ['Order', 'Customer', 'Total', 'Status'],
		users: ['Name', 'Role', 'Status'],
		jobs: ['Position', 'Company', 'Location'],
		hotels: ['Hotel', 'City', 'Price'],
		files: ['Name', 'Owner', 'Modified', 'Size'],
		events: ['Event', 'Date', 'Location']
	};
	var TITLES = {
		inbox: ['Inbox', 'Messages', 'Mail'],
		contacts: ['Contacts', 'People', 'Address book'],
		products: ['Products', 'Catalog', 'Inventory'],
		orders: ['Orders', 'Recent orders', 'Order history'],
		users: ['Users', 'Team members', 'Members'],
		jobs: ['Open positions', 'Jobs for you', 'Job listings'],
		hotels: ['Hotels', 'Places to stay', 'Top stays'],
		files: ['My files', 'Documents', 'Shared with me'],
		events: ['Upcoming events', 'Events near you', 'What\'s on']
	};

	/*
	 * Hard negatives: page-level controls sharing a word with the task
	 * (the record's kind, the row action's verb) that are not its target.
	 * Bulk actions act on the selection, and nothing is ever selected.
	 */
	var BULK = {
		inbox: ['Archive selected', 'Delete selected', 'Delete all',
		    'Mark all as read', 'Star selected', 'Forward selected'],
		contacts: ['Delete selected', 'Export contacts', 'Email selected',
		    'Import contacts', 'Delete all'],
		products: ['Delete selected', 'Export products', 'Edit selected',
		    'Delete all', 'View all'],
		orders: ['Cancel selected', 'Export orders', 'Refund selected',
		    'Print orders', 'Track all', 'View all'],
		users: ['Disable selected', 'Delete selected', 'Edit roles',
		    'Export users', 'Delete all'],
		jobs: ['Save search', 'Apply filters', 'Saved jobs'],
		hotels: ['Save search', 'Compare selected', 'Book later'],
		files: ['Download all', 'Delete selected', 'Rename selected',
		    'Download selected', 'Delete all'],
		events: ['Add all to calendar', 'Export events', 'RSVP all']
	};
	var NEWB = {
		inbox: ['New message', 'Compose', 'Write a message'],
		contacts: ['Add contact', 'New contact'],
		products: ['New product', 'Add product'],
		orders: ['New order', 'Create order'],
		users: ['Invite user', 'Add user', 'New user'],
		jobs: ['Create job alert', 'New job alert'],
		hotels: ['List your property', 'New trip'],
		files: ['Upload file', 'New folder', 'Upload'],
		events: ['Create event', 'New event']
	};
	var SUBNAV = {
		inbox: ['Messages', 'Inbox', 'Sent', 'Drafts', 'Spam'],
		contacts: ['Contacts', 'Groups', 'Favorites'],
		products: ['Products', 'Categories', 'Reviews'],
		orders: ['Orders', 'Returns', 'Invoices', 'Order history'],
		users: ['Users', 'Roles', 'Invitations'],
		jobs: ['Jobs', 'Saved jobs', 'Applications'],
		hotels: ['Hotels', 'Saved hotels', 'Trips'],
		files: ['My files', 'Starred', 'Recent', 'Trash'],
		events: ['Events', 'My events', 'Calendar']
	};
	/* A search box over the list: a text field that is no row's. */
	var SEARCH = {
		inbox: ['Search mail', 'Search messages'],
		contacts: ['Search contacts', 'Find a person'],
		products: ['Search products', 'Filter products'],
		orders: ['Search orders', 'Find an order'],
		users: ['Search users', 'Filter by name'],
		jobs: ['Search jobs', 'Keywords'],
		hotels: ['Search hotels', 'Where to?'],
		files: ['Search files', 'Search in Drive'],
		events: ['Search events', 'Find events']
	};
	/*
	 * Records named by their owner or their topic ("Archive Mary
	 * Jones's message", "Cancel the order from Bob Lee", "Delete the
	 * file about the budget"): the nouns for a record, the words that
	 * tie it to its owner, and page-level controls named by the noun
	 * itself, which the task's noun matches better than the row's
	 * verb button does (none of them is the target).
	 */
	var NOUN = {
		inbox: ['message', 'email', 'mail', 'e-mail'],
		contacts: ['contact', 'contact card', 'entry'],
		orders: ['order', 'purchase'],
		users: ['account', 'user account', 'user'],
		files: ['file', 'document', 'upload']
	};
	var BY = {
		inbox: ['from', 'sent by', 'from', 'written by'],
		contacts: ['for', 'of'],
		orders: ['from', 'placed by', 'of', 'by', 'for'],
		users: ['of', 'belonging to', 'for'],
		files: ['owned by', 'from', 'by', 'uploaded by', 'shared by']
	};
	var NOUNB = {
		inbox: ['Message', 'New message', 'Messages', 'Email', 'Mail',
		    'New email', 'Message settings'],
		contacts: ['Contact', 'New contact', 'Contacts', 'Contact list'],
		orders: ['Order', 'New order', 'Orders', 'Order details',
		    'Purchase', 'Purchases'],
		users: ['Account', 'Accounts', 'User', 'New user', 'My account',
		    'Account settings'],
		files: ['File', 'Files', 'New file', 'File info', 'Documents',
		    'Document']
	};
	/* The owner's column, where it is not the record's name. */
	var OWNCOL = { orders: 1, files: 1 };

	/* Instructions naming a record by its owner (kind "owner"). */
	var OWNER_TPL = ['{A} {Ws} {N}',
	    '{A} the {N} {BY} {W}',
	    'Please {a} {Ws} {N}',
	    'I need to {a} the {N} {BY} {W}',
	    'Click {A} on {Ws} {N}',
	    '{A} the {N} {BY} {W}, please',
	    'Find {Ws} {N} and {a} it',
	    'Go ahead and {a} the {N} {BY} {W}',
	    'Can you {a} {Ws} {N}?',
	    'Hit {A} for the {N} {BY} {W}',
	    'Use {A} on {Ws} {N}',
	    'Locate the {N} {BY} {W} and press {A}',
	    '{A} {Ws} {N} in the list',
	    'Press the {a} button for {Ws} {N}',
	    'I want to {a} the {N} {BY} {W}',
	    'Select {A} on the {N} {BY} {W}',
	    'In the list, {a} the {N} {BY} {W}',
	    'Look for {Ws} {N} and click {A}',
	    '{A} that {N} {BY} {W}',
	    'Could you {a} the {N} {BY} {W}?',
	    'Tap {A} on the {N} {BY} {W}',
	    'Time to {a} {Ws} {N}',
	    'Please click {A} next to {Ws} {N}',
	    'Run {a} on the {N} {BY} {W}',
	    '{W}: {a} the {N}',
	    'The {N} {BY} {W} has to go through {a}; click {A}',
	    '{A} the {N} {BY} {W} from the list'];
	/* Instructions naming a record by its topic (kind "about"). */
	var ABOUT_TPL = ['{A} the {N} about {TOP}',
	    'Please {a} the {N} about {TOP}',
	    '{A} the {TOP} {N}',
	    'Find the {N} about {TOP} and {a} it',
	    'I want to {a} the {N} about {TOP}',
	    'Click {A} on the {N} about {TOP}',
	    '{A} the {N} regarding {TOP}',
	    'Hit {A} for the {N} about {TOP}',
	    'Can you {a} the {N} about {TOP}?',
	    'Use {A} on the {N} concerning {TOP}',
	    'The {N} about {TOP}: {a} it',
	    '{A} the {N} that mentions {TOP}',
	    'Locate the {N} about {TOP} and press {A}',
	    'Press {A} for the {N} about {TOP}',
	    'Please {a} the {TOP} {N}',
	    'Go to the {N} about {TOP} and click {A}',
	    'Select {A} on the {N} about {TOP}',
	    'Tap {a} on the {N} about {TOP}',
	    'In the list, {a} the {N} about {TOP}',
	    '{A} {Ws} {N} about {TOP}',
	    'Could you {a} the {N} on {TOP}?',
	    '{A} the {N} {BY} {W} about {TOP}',
	    'The {TOP} {N} needs {a}; press {A}'];

	/*
	 * Row actions that open a text field inside the row: [field label,
	 * submit label choices, values].
	 */
	var INLINE = {
		inbox: { act: 'Reply', label: ['Write a reply', 'Your reply',
		    'Reply', 'Message'], sub: ['Send', 'Send reply'],
		    vals: ['See you soon', 'Thanks, sounds good',
		    'I will check and get back to you', 'Can we move it to Friday',
		    'Looks great to me', 'Please send the file', 'Got it, thanks',
		    'On my way', 'Let me think about it', 'Yes, Monday works'],
		    quick: [['New message', 'Send'], ['Quick message to the team',
		    'Send'], ['Write a new message', 'Send']] },
		files: { act: 'Rename', label: ['New name', 'File name', 'Name',
		    'Rename to'], sub: ['Save', 'Rename', 'OK'], vals: null,
		    quick: [['New folder name', 'Create folder'],
		    ['Folder name', 'Create']] },
		orders: { act: 'Add note', label: ['Note', 'Order note',
		    'Add a note', 'Delivery note'], sub: ['Save', 'Save note',
		    'Add'], vals: ['Leave at the door', 'Call before delivery',
		    'Gift wrap please', 'Ring the bell twice',
		    'Deliver after 5pm', 'Fragile, handle with care',
		    'Leave with the neighbour', 'Use the side entrance'],
		    quick: [['Quick note', 'Save'], ['Note for the team', 'Save'],
		    ['Order number', 'Find order']] }
	};

	/* Phrasings of the in-row text actions (kind "inline"). */
	var INLINE_TPL = {
		Reply: ['Reply to {OF} {K} with {TXT}',
		    'Reply {TXT} to {K}',
		    'Answer {K}: {TXT}',
		    'Send {K} the reply {TXT}',
		    'In the row of {K}, reply {TXT}',
		    'Respond to {OF} {K} saying {TXT}',
		    'Write back to {K} with {TXT}',
		    'Hit reply on {OF} {K}, type {TXT} and send it',
		    'Reply to {Ks} message: {TXT}',
		    '{K}: reply {TXT}',
		    'Tell {K} {TXT} by replying to the message',
		    'Use the reply box of {OF} {K} to send {TXT}',
		    'Open the reply for {K}, write {TXT}, then send',
		    'Send a quick reply to {K} saying {TXT}',
		    'I want to answer {K} with {TXT}',
		    'Reply to {K} with the text {TXT}',
		    'Click reply next to {K} and send {TXT}',
		    'Get back to {K}: {TXT}',
		    'Please reply {TXT} to the mail from {K}',
		    'Quick reply to {K}: {TXT}',
		    'Let {K} know {TXT} with a reply',
		    'Answer the message from {K} with {TXT}'],
		Rename: ['Rename {K} to {TXT}',
		    'Rename {OF} {K} as {TXT}',
		    'Change the name of {K} to {TXT}',
		    '{K} should be called {TXT}; rename it',
		    'Give {K} the new name {TXT}',
		    'Rename: {K} to {TXT}',
		    'Click rename on {K} and save it as {TXT}',
		    'Call {OF} {K} {TXT} instead',
		    'Use the rename action of {K} to make it {TXT}',
		    'In the row of {K}, rename it to {TXT}',
		    'Set the name of {K} to {TXT}',
		    'I want {K} renamed to {TXT}',
		    'Please rename {OF} {K}, new name {TXT}',
		    'Change {K} to {TXT}',
		    'Rename the document {K} to {TXT}',
		    'Find {K} and rename it {TXT}',
		    'Make the name of {K} {TXT}',
		    'Rename {K}. New name: {TXT}',
		    '{K} needs a new name: {TXT}',
		    'Retitle {K} as {TXT}',
		    'Give {OF} {K} the name {TXT} and save'],
		'Add note': ['Add the note {TXT} to {OF} {K}',
		    'Add a note to {OF} {K}: {TXT}',
		    'Put the note {TXT} on {OF} {K}',
		    'Note on {OF} {K}: {TXT}',
		    'Attach the note {TXT} to {OF} {K}',
		    'For {OF} {K}, add the note {TXT}',
		    'Leave a note {TXT} on {OF} {K}',
		    'Click add note on {OF} {K} and save {TXT}',
		    '{OF} {K} needs the note {TXT}',
		    'Write {TXT} as a note for {OF} {K}',
		    'Annotate {OF} {K} with {TXT}',
		    'Save the note {TXT} for {OF} {K}',
		    'I want to add {TXT} as a note on {OF} {K}',
		    'Add note {TXT} to {K}',
		    'Give {OF} {K} the delivery note {TXT}',
		    'In the row of {OF} {K}, add the note {TXT}',
		    'Please note {TXT} on {OF} {K}',
		    'Add {TXT} to the notes of {OF} {K}',
		    'Use add note on {K}: {TXT}',
		    'Mark {OF} {K} with the note {TXT}',
		    'Open the note field of {OF} {K}, type {TXT}, and save']
	};

	/*
	 * One record of kind app: {key (its name), cells (table columns,
	 * the key first), lines (the detail lines of its card), alt (a
	 * detail naming it: [phrase, value]) or null}.
	 */
	function record(R, app) {
		var fn = R.pick(P.first), ln = R.pick(P.last), who = fn + ' ' + ln;
		var mon = R.int(12), day = R.range(1, 28), x, y, z;
		var tp = R.pick(P.topic), tn = R.pick(P.noun);

		switch (app) {
		case 'inbox':
			x = R.pick(['Re: ', 'Fwd: ', '', '']) + cap(tp) + ' ' + tn;
			return { key: who, owner: who, top: [tp, tp + ' ' + tn],
			    cells: [who, x, P.monthShort[mon] +
			    ' ' + day], lines: [x, R.pick(['Hi, ', 'Hello, ',
			    'Quick note: ', '']) + R.pick(['see the attached ',
			    'here is the ', 'a reminder about the ',
			    'questions on the ']) + R.pick(P.topic) + ' ' +
			    R.pick(P.noun) + '...', P.monthShort[mon] + ' ' +
			    day], alt: [R.pick(['the message about',
			    'the email about', 'the mail with the subject']),
			    x] };
		case 'contacts':
			x = R.pick(P.company);
			y = (fn + '.' + ln).toLowerCase() + '@' + R.pick(P.domain);
			z = '555-' + R.range(1000, 9999);
			return { key: who, owner: who, cells: [who, z, y], lines:
			    [R.pick(P.job) + ' at ' + x, z + ' \u00b7 ' + y],
			    alt: [R.pick(['the contact at', 'the person from',
			    'my contact at']), x] };
		case 'products':
			x = R.pick(P.product);
			y = '$' + x[2] + '.' + R.pick(['00', '99', '50']);
			z = R.range(0, 120) + ' in stock';
			return { key: x[0], cells: [x[0], y, z], lines:
			    [x[1] + ' \u00b7 ' + y, z], alt: null };
		case 'orders':
			x = '#' + R.range(10000, 99999);
			y = '$' + R.range(10, 900);
			z = R.pick(['Pending', 'Shipped', 'Delivered',
			    'Processing']);
			return { key: x, owner: who, cells: [x, who, y, z], lines:
			    ['Placed by ' + who + ' on ' + P.monthShort[mon] +
			    ' ' + day, y + ' \u00b7 ' + z], alt:
			    [R.pick(['the order from', 'the order placed by',
			    'the order of']), who] };
		case 'users':
			x = R.pick(['Admin', 'Editor', 'Viewer', 'Owner']);
			y = R.pick(['Active', 'Invited', 'Suspended']);
			z = (fn[0] + ln).toLowerCase() + '@' + R.pick(P.domain);
			return { key: who, owner: who, cells: [who, x, y], lines: [x +
			    ' \u00b7 ' + z, y + ', last seen ' + R.range(2, 59) +
			    ' ' + R.pick(['minutes', 'days']) + ' ago'], alt:
			    [R.pick(['the user with the email',
			    'the account of']), z] };
		case 'jobs':
			x = R.pick(['Senior ', 'Junior ', 'Lead ', '', '']) +
			    R.pick(P.job);
			y = R.pick(P.company);
			z = R.pick(P.city);
			return { key: x + ' at ' + y, cells: [x + ' at ' + y, y, z],
			    lines: [y + ' \u00b7 ' + z + R.pick([' (remote ok)',
			    '', ' \u00b7 Full-time', ' \u00b7 Part-time']),
			    'Posted ' + R.range(1, 30) + ' days ago \u00b7 $' +
			    R.range(40, 150) + 'k'], alt: [R.pick([
			    'the job in', 'the position in', 'the opening in']),
			    z] };
		case 'hotels':
			z = R.pick(P.city);
			x = R.pick(['Grand', 'Royal', 'Park', 'Harbor', 'Seaside',
			    'Central', 'Old Town', 'Riverside', 'Garden', 'Maple',
			    'Skyline', 'Lakeview', 'Hilltop', 'Union']) + ' ' +
			    R.pick(['Hotel', 'Inn', 'Suites', 'Lodge', 'Resort',
			    'House']);
			y = '$' + R.range(59, 480);
			return { key: x, cells: [x, z, y + ' / night'], lines:
			    [z + ' \u00b7 ' + (R.range(30, 50) / 10).toFixed(1) +
			    ' \u2605 (' + R.range(12, 2400) + ' reviews)',
			    R.pick(['from ', '']) + y + R.pick([' per night',
			    ' / night', ' a night'])], alt: [R.pick([
			    'the hotel in', 'the stay in', 'the place in']), z] };
		case 'files':
			x = tp + '-' + tn + R.pick(['', '-v2', '-final', '-' + (2020 +
			    R.int(6))]) + R.pick(['.pdf', '.docx', '.xlsx',
			    '.png', '.zip', '.pptx']);
			y = P.monthShort[mon] + ' ' + day;
			z = (R.range(1, 990) / 10).toFixed(1) + R.pick([' MB',
			    ' KB']);
			return { key: x, owner: who, top: [tp, tp + ' ' + tn],
			    cells: [x, who, y, z], lines: ['Modified ' + y + ' by ' + who, z], alt:
			    [R.pick(['the file owned by', 'the file from']),
			    who] };
		default:
			x = cap(R.pick(P.word)) + ' ' + cap(R.pick(P.topic)) +
			    ' ' + R.pick(['Meetup', 'Night', 'Summit', 'Day',
			    'Festival', 'Fair', 'Talk']);
			y = P.month[mon] + ' ' + day;
			z = R.pick(P.city);
			return { key: x, cells: [x, y, z], lines:
			    [R.pick(P.weekday) + ', ' + y + ' \u00b7 ' +
			    R.range(9, 20) + ':' + R.pick(['00', '30']),
			    R.pick(['City Hall', 'Main Library', 'Convention ' +
			    'Center', 'Community Hall', 'Park Pavilion']) +
			    ', ' + z], alt: [R.pick(['the event on',
			    'the event taking place on']), y] };
		}
	}

	/*
	 * The element of one record in a card layout: its name (heading,
	 * strong or link), its detail lines and its action buttons (bx).
	 */
	function cardOf(G, R, lay, r, name, bx, extra) {
		var kids = [], el, tag;

		tag = lay.title;
		kids.push(h(tag, { style: tag === 'div' ? 'font-weight:bold' :
		    'margin:0 0 4px' }, name));
		r.lines.forEach(function (l, j) {
			if (j < lay.nlines)
				kids.push(h(j === 0 && lay.title === 'div' ? 'div' :
				    R.chance(0.5) ? 'p.muted' : 'div.muted',
				    { style: 'margin:2px 0' }, l));
		});
		if (extra)
			kids.push(extra);
		if (lay.side) {
			el = h(lay.item, { style: 'display:flex;gap:12px;' +
			    'align-items:center;justify-content:space-between;' +
			    'list-style:none' }, [h('div', kids), bx]);
		} else {
			kids.push(bx);
			el = h(lay.item, { style: 'list-style:none' }, kids);
		}
		if (lay.card)
			el.classList.add('card');
		return el;
	}

	/* ---------------------------------------------------------------- */
	/* table: records with per-row actions, as a table, rows or cards. */

	G.def('table', 'train', function (G) {
		var R = G.R, t = {}, app, rows = [], n, i, acts, tbl, tgt, act;
		var done = {}, iconish, layout, main = [], reply = null, text;
		var lay = null, byAlt, sent = null, inl = null, status;
		var listView, detail = null, detailMode, tools = [], ext;
		var undo = null, ubar = h('div.status');
		var longList, own = null, ownActs, ownLink, nounWord, top = null;

		/* The kinds with an in-row text action a little more often. */
		app = R.weighted([[1.5, 'inbox'], [1, 'contacts'],
		    [1, 'products'], [1.5, 'orders'], [1, 'users'], [1, 'jobs'],
		    [1, 'hotels'], [1.5, 'files'], [1, 'events']]);
		/* A row action that opens a text field in its row. */
		if (INLINE[app] && R.chance(0.7))
			inl = INLINE[app];
		/*
		 * A long list a quarter of the time: the target's row is then
		 * often below the fold while rows with the same buttons show
		 * (the oracle scrolls: core.js step()).
		 */
		longList = R.chance(0.25);
		n = longList ? R.range(16, 30) : R.range(4, 12);
		iconish = R.chance(0.4);
		layout = R.weighted([[0.4, 'table'], [0.25, 'rows'],
		    [0.35, 'cards']]);
		for (i = 0; i < n; i++)
			rows.push(record(R, app));
		/* Keys must be unique. */
		rows = rows.filter(function (r, j) {
			return rows.findIndex(function (x) {
				return x.key === r.key;
			}) === j;
		});
		/* A detail names a record only when no other has it. */
		rows.forEach(function (r) {
			if (r.alt && rows.some(function (x) {
				return x !== r && x.alt && (x.alt[1] === r.alt[1] ||
				    x.cells.indexOf(r.alt[1]) >= 0 ||
				    x.lines.join(' ').indexOf(r.alt[1]) >= 0);
			}))
				r.alt = null;
		});
		acts = ACTS[app];
		acts = R.sample(acts, R.range(Math.min(2, acts.length),
		    acts.length));
		if (inl && acts.indexOf(inl.act) < 0)
			acts.splice(R.int(acts.length + 1), 0, inl.act);
		status = h('div.status', { role: R.chance(0.5) ? 'status' :
		    null });
		var btns = {};
		if (layout === 'cards') {
			lay = R.pick([
				{ box: 'div.grid', item: 'div', card: true },
				{ box: 'ul', item: 'li', card: true },
				{ box: 'ul.list', item: 'li', card: false },
				{ box: 'div', item: 'article', card: true },
				{ box: 'div.list', item: 'div', card: false }
			]);
			lay.side = lay.box !== 'div.grid' && R.chance(0.5);
			lay.title = R.pick(['h3', 'h4', 'strong', 'div']);
			lay.nlines = R.range(1, 2);
			tbl = h(lay.box, { style: lay.item === 'li' ?
			    'padding:0;margin:0' : null });
		} else
			tbl = h(layout === 'table' ? 'table' : 'div',
			    layout === 'table' ? null : { 'class': 'list' });
		if (layout === 'table')
			tbl.appendChild(h('tr', HEADS[app].concat([R.pick([
			    'Actions', '', ''])]).map(function (c) {
				return h('th', c);
			})));
		/*
		 * The name of a record is often a link to its details: a panel
		 * in the page, or a view in place of the list with a way back.
		 * Neither is what a row action asks for.
		 */
		var keyLink = R.chance(0.65);
		/*
		 * Now and then the name link goes nowhere (href="#" or a
		 * listener that does nothing): clicking it changes nothing.
		 */
		var keyNoop = keyLink && R.chance(0.3);
		/* The owner's name in its column is a link too, now and then. */
		ownLink = OWNCOL[app] && R.chance(0.6) ? R.pick(['noop',
		    'detail']) : null;

		detailMode = R.chance(0.5) ? 'panel' : 'view';
		function showDetail(r) {
			var back;

			if (detail)
				detail.remove();
			back = G.link(detailMode === 'panel' ? R.pick(['Close',
			    'Hide details']) : R.pick(['Back', 'Back to list',
			    '\u2190 Back', 'All ' + TITLES[app][0]
			    .toLowerCase()]), function () {
				detail.remove();
				detail = null;
				listView.classList.remove('hidden');
			}, { impl: R.chance(0.7) ? 'native' : undefined });
			detail = h('div.card', [back, h('h3', r.key),
			    r.cells.slice(1).map(function (c, j) {
				return h('div', [h('span.muted', HEADS[app][j + 1] +
				    ': '), c]);
			    }), r.lines.map(function (l) {
				return h('p.muted', l);
			    })]);
			if (detailMode === 'view') {
				listView.classList.add('hidden');
				listView.parentNode.insertBefore(detail, listView);
			} else
				listView.insertBefore(detail, listView.firstChild);
		}
		/* Takes a row out, with an Undo as real lists have. */
		function removeRow(r, row, a) {
			var u = { key: r.key, row: row, parent: row.parentNode,
			    next: row.nextSibling };

			row.remove();
			u.el = G.link('Undo', function () {
				if (undo !== u)
					return;
				u.parent.insertBefore(u.row, u.next &&
				    u.next.parentNode === u.parent ? u.next : null);
				undo = null;
				ubar.textContent = '';
			}, { impl: R.chance(0.7) ? 'native' : undefined });
			undo = u;
			ubar.textContent = '';
			G.add(ubar, [r.key + ' ' + (a === 'Delete' ? 'deleted' :
			    a === 'Archive' ? 'archived' : 'disabled') + '. ',
			    u.el]);
		}
		rows.forEach(function (r) {
			var bx, row, name, fld, form, sub, cancel;

			name = keyLink ? G.link(r.key, keyNoop ? null :
			    function () {
				showDetail(r);
			}, { impl: R.chance(0.8) ? 'native' : undefined,
			    href: keyNoop && R.chance(0.5) ? '#' : null }) :
			    h('span', r.key);
			r.nameEl = name;
			var ownEl = ownLink ? G.link(r.owner, ownLink === 'noop' ?
			    null : function () {
				showDetail(r);
			}, { impl: R.chance(0.8) ? 'native' : undefined,
			    href: R.chance(0.5) ? '#' : null }) : null;
			bx = h(layout === 'table' ? 'td' : layout === 'rows' ?
			    'span' : 'div', { style: layout === 'cards' ?
			    'margin-top:6px;display:flex;gap:4px;flex-wrap:wrap' :
			    null });
			btns[r.key] = {};
			acts.forEach(function (a) {
				var b = rowButton(G, R, a, r.key, function () {
					done[r.key + '/' + a] = true;
					if (a === 'Delete' || a === 'Archive' ||
					    a === 'Disable')
						removeRow(r, row, a);
					else if (inl && a === inl.act) {
						r.fld.set(a === 'Rename' ?
						    r.nameEl.textContent : '');
						r.form.classList.remove('hidden');
					} else if (a === 'Reply' && reply)
						reply.open(r.key);
				}, iconish);

				btns[r.key][a] = b;
				bx.appendChild(b);
			});
			if (inl) {
				fld = G.field(R.pick(inl.label), { style:
				    R.pick(['placeholder', 'aria', 'placeholder',
				    'left', 'above']), textarea: inl.act ===
				    'Reply' && R.chance(0.4) });
				sub = G.button(R.pick(inl.sub), function () {
					r.saved = fld.get();
					form.classList.add('hidden');
					if (inl.act === 'Rename')
						r.nameEl.textContent = r.saved;
					status.textContent = inl.act === 'Rename' ?
					    'Renamed.' : inl.act === 'Reply' ?
					    'Reply sent to ' + r.key + '.' :
					    'Note saved.';
				}, { sec: R.chance(0.3), submit: true });
				cancel = R.chance(0.5) ? G.button('Cancel',
				    function () {
					form.classList.add('hidden');
				}, { sec: true, link: R.chance(0.5) }) : null;
				/* The field fits its row or card. */
				fld.wrap.style.cssText = 'flex:1 1 140px;min-width:0;' +
				    'max-width:22em';
				fld.el.style.cssText = 'width:100%;box-sizing:' +
				    'border-box';
				form = h('div.hidden', { style: 'margin-top:6px;' +
				    'display:flex;gap:6px;align-items:flex-end;' +
				    'flex-wrap:wrap' }, [fld.wrap, sub, cancel]);
				r.fld = fld;
				r.form = form;
				r.sub = sub;
				r.saved = null;
				G.revealer(form, function () {
					return G.click(btns[r.key][inl.act],
					    inl.act);
				});
				bx.appendChild(form);
			}
			if (layout === 'cards')
				row = cardOf(G, R, lay, r, name, bx, ownEl ?
				    h('div.muted', [HEADS[app][OWNCOL[app]] + ': ',
				    ownEl]) : null);
			else
				row = h(layout === 'table' ? 'tr' : 'div',
				    r.cells.map(function (c, j) {
					return h(layout === 'table' ? 'td' : 'span',
					    { style: layout === 'table' ? null :
					    'margin-right:14px' }, j === 0 ? name :
					    ownEl && j === OWNCOL[app] ? ownEl : c);
				    }).concat([bx]));
			tbl.appendChild(row);
		});
		tgt = longList && R.chance(0.7) ? rows[R.range(rows.length >> 1,
		    rows.length - 1)] : R.pick(rows);
		/*
		 * The record named by its owner or its topic, with a verb that
		 * is one of its row's buttons (never the in-row text action).
		 */
		ownActs = acts.filter(function (a) {
			return a !== 'Reply' && (!inl || a !== inl.act);
		});
		if (NOUN[app] && ownActs.length > 0 && R.chance(0.65) &&
		    rows.filter(function (x) {
			return x.owner === tgt.owner;
		    }).length === 1) {
			own = 'owner';
			if (tgt.top && R.chance(0.5)) {
				top = R.pick(tgt.top);
				/* The topic must name this record only. */
				if (!rows.some(function (x) {
					return x !== tgt && (x.cells.join(' ') + ' ' +
					    x.lines.join(' ')).toLowerCase().replace(
					    /-/g, ' ').indexOf(top) >= 0;
				}))
					own = 'about';
			}
		}
		act = own ? R.pick(ownActs) : inl ? inl.act : R.pick(acts);
		nounWord = own ? R.pick(NOUN[app]) : null;
		/* Replying: a form under the list. */
		if (act === 'Reply' && app === 'inbox' && !inl) {
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
		if (inl) {
			if (inl.act === 'Rename') {
				ext = /\.[a-z]+$/.exec(tgt.key)[0];
				do {
					text = R.pick(P.topic) + '-' + R.pick([
					    'final', 'v3', 'approved', 'signed',
					    'draft', 'notes', 'summary', '2025',
					    'backup']) + ext;
				} while (text === tgt.key);
			} else
				text = R.pick(inl.vals);
		}
		/*
		 * Page-level controls that share a word with the task, none
		 * of them its target: bulk actions, a "new" button, a quick
		 * text field, links named after the list.
		 */
		if (R.chance(0.6))
			tools.push(R.sample(BULK[app], R.range(1, 3)).map(
			    function (b) {
				return G.button(b, function () {
					status.textContent = /all/.test(b) ?
					    'Are you sure? Nothing was changed.' :
					    'Select at least one item first.';
				}, { sec: R.chance(0.6) });
			    }));
		/* Controls named by the task's noun itself. */
		if (own && R.chance(0.85))
			tools.push(R.sample(NOUNB[app], R.range(1, 2)).map(
			    function (b) {
				return G.button(b, function () {
					status.textContent = R.pick(['Pick one ' +
					    'in the list first.', 'Nothing to show.',
					    'Not available in this demo.']);
				}, { sec: R.chance(0.5), icon: /^New/.test(b) ?
				    'add' : null });
			    }));
		if (R.chance(0.6))
			tools.unshift(G.button(R.pick(NEWB[app]), function () {
				status.textContent = R.pick(['Coming soon.',
				    'Not available in this demo.']);
			}, { icon: 'add' }));
		var quick = null, qf, qb, quickAt;

		if (inl || R.chance(0.45)) {
			quickAt = inl && R.chance(0.6) ? R.pick(inl.quick) :
			    [R.pick(SEARCH[app]), R.pick(['Search', 'Go',
			    'Find'])];
			qf = G.field(quickAt[0], { style: R.pick(['placeholder',
			    'aria', 'left', 'placeholder']), type:
			    /Search/.test(quickAt[0]) && R.chance(0.5) ?
			    'search' : 'text' });
			qb = G.button(quickAt[1], function () {
				qf.set('');
				status.textContent = R.pick(['Done.',
				    'Nothing found.', 'Saved.']);
			}, { sec: R.chance(0.5), icon: /Search|Go|Find/.test(
			    quickAt[1]) ? 'search' : null });
			quick = h('div', { style: 'display:flex;gap:6px;' +
			    'align-items:center;flex-wrap:wrap;margin:8px 0' },
			    [qf.wrap, qb]);
		}
		main.unshift(tbl);
		if (tools.length || quick)
			main.unshift(h('div', { style: 'display:flex;gap:8px;' +
			    'align-items:center;flex-wrap:wrap;justify-content:' +
			    'space-between' }, [quick, h('div', tools)]));
		main.unshift(h('h2', R.pick(TITLES[app]) + (R.chance(0.6) ?
		    ' (' + rows.length + ')' : '')));
		if (R.chance(own ? 0.75 : 0.5))
			main.unshift(h('nav', { style: 'display:flex;gap:14px;' +
			    'flex-wrap:wrap;margin:6px 0' }, R.sample(SUBNAV[app],
			    R.range(2, SUBNAV[app].length)).map(function (x) {
				return G.link(x, null, { impl: R.chance(0.8) ?
				    'native' : undefined });
			    })));
		main.push(status);
		/* The undo line sits above or below the list. */
		if (R.chance(0.5))
			main.push(ubar);
		else
			main.splice(main.indexOf(tbl), 0, ubar);
		listView = h('div', main);
		/* The list comes back from a detail view by its back link. */
		G.revealer(listView, function () {
			return G.click(detail.firstChild, 'back to the list');
		});
		G.mount([listView, G.maybeCookieBar()], null, {});
		byAlt = tgt.alt !== null && !inl && !own && R.chance(0.4);
		t.kind = own ? own : inl ? 'inline' : act === 'Reply' && reply ? 'reply' :
		    byAlt ? 'detail' : 'row';
		t.fill = {
			A: act, a: act.toLowerCase(),
			K: byAlt ? { text: tgt.alt[0] + ' ' + tgt.alt[1],
			    quote: 0 } : tgt.key,
			Ks: { text: tgt.key + '\'s', quote: 0 },
			OF: { quote: 0, text: byAlt ? '' : app === 'inbox' ?
			    R.pick(['the email from',
			    'the message from']) : app === 'orders' ? 'order' :
			    app === 'products' ? 'the product' : app === 'jobs' ?
			    'the job' : app === 'hotels' ? R.pick(['the hotel',
			    '']) : app === 'files' ? R.pick(['the file', '']) :
			    app === 'events' ? R.pick(['the event', '']) :
			    R.pick(['the contact', '']) },
			TXT: { text: text || '', value: true },
			W: tgt.owner || '',
			Ws: { text: tgt.owner ? tgt.owner + (/s$/.test(
			    tgt.owner) && R.chance(0.4) ? '\'' : '\'s') : '',
			    quote: 0 },
			N: { text: nounWord || '', quote: 0 },
			BY: { text: BY[app] ? R.pick(BY[app]) : '', quote: 0 },
			TOP: { text: top || '', quote: 0.15 }
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
			    '{A} the entry for {K}',
			    'Click the {a} button on {Ks} card',
			    'On the card of {K}, press {A}',
			    'Hit {Ks} {a} button',
			    'Press {A} under {K}',
			    'Find the card for {K} and click its {a} button',
			    'Use the {a} button next to {Ks} name',
			    'Tap {a} for {K}'],
			detail: ['{A} {K}', 'Click {A} for {K}',
			    'Press the {a} button of {K}',
			    'Find {K} and click {A}',
			    'Hit {a} on {K}',
			    'Please {a} {K}',
			    'I want to {a} {K}',
			    'On the card of {K}, press {A}',
			    'Use the {a} action on {K}',
			    'Can you {a} {K}?',
			    'Go to {K} and press {A}',
			    'Next to {K}, click {A}',
			    'Look for {K} and hit its {a} button',
			    'Click the {a} icon of {K}',
			    'In the row of {K}, choose {A}',
			    'Select {A} on {K}',
			    '{K}: {a}',
			    'Tap {a} for {K}',
			    'Perform {a} on {K}',
			    'The entry for {K} needs {a}; click it',
			    'Locate {K} in the list and press {A}',
			    'Press {A} on {K}, please'],
			reply: ['Reply to {OF} {K} with {TXT}',
			    'Answer {K}: {TXT}',
			    'Send a reply to {K} saying {TXT}',
			    'Reply {TXT} to {OF} {K}',
			    'Respond to {K} with the message {TXT}',
			    'Write back to {K}: {TXT}',
			    'Open the reply to {K}, type {TXT} and send it',
			    'Hit reply on {OF} {K} and send {TXT}',
			    'Tell {K} {TXT} in a reply'],
			inline: INLINE_TPL[inl ? inl.act : 'Reply'],
			owner: OWNER_TPL,
			about: ABOUT_TPL
		};
		/* The target's row was removed by mistake: undo it. */
		function restore() {
			if (btns[tgt.key][act].isConnected || undo === null ||
			    undo.key !== tgt.key)
				return null;
			return G.click(undo.el, 'undo');
		}
		if (t.kind === 'inline') {
			t.goals = [G.goal(function () {
				return tgt.saved === G.norm(text) &&
				    tgt.form.isConnected;
			}, function () {
				if (restore())
					return restore();
				if (tgt.form.classList.contains('hidden'))
					return G.click(btns[tgt.key][act], act);
				if (tgt.fld.get() !== G.norm(text))
					return G.type(tgt.fld.el, text, 'type ' +
					    text);
				return G.click(tgt.sub, 'save');
			})];
		} else if (t.kind === 'reply') {
			t.goals = [G.goal(function () {
				return sent !== null && sent.to === tgt.key &&
				    sent.text === text;
			}, function () {
				if (restore())
					return restore();
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
				return restore() || G.click(btns[tgt.key][act],
				    act);
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
