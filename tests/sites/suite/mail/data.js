/*
 * data.js: Larkmail's seed mailbox.  A fixed pseudo-random generator
 * makes the same ~170 messages on every load; the messages the suite's
 * tasks are about are written out below and mixed in by date.
 */
'use strict';

var LARK_SEED = (function () {
	var s = 20250602;
	function rnd() {
		/* mulberry32 */
		s |= 0; s = s + 0x6D2B79F5 | 0;
		var t = Math.imul(s ^ s >>> 15, 1 | s);
		t = t + Math.imul(t ^ t >>> 7, 61 | t) ^ t;
		return ((t ^ t >>> 14) >>> 0) / 4294967296;
	}
	function pick(a) { return a[Math.floor(rnd() * a.length)]; }

	var first = ['Aaron', 'Beatriz', 'Chen', 'Dmitri', 'Elif', 'Femi',
	    'Greta', 'Hiro', 'Isla', 'Jamal', 'Kasia', 'Luis', 'Mei', 'Nadia',
	    'Oskar', 'Pia', 'Quentin', 'Rania', 'Sven', 'Tara', 'Umar',
	    'Vera', 'Wes', 'Ximena', 'Yusuf', 'Zoe'];
	var last = ['Abbott', 'Brennan', 'Castillo', 'Dubois', 'Eriksen',
	    'Fontaine', 'Gallagher', 'Horvat', 'Iyer', 'Jansen', 'Kowalski',
	    'Lindqvist', 'Moreau', 'Novak', 'Okoye', 'Petrov', 'Quinn',
	    'Rossi', 'Sato', 'Tanaka', 'Ueda', 'Varga', 'Whitaker', 'Yilmaz'];
	var orgs = [['Cobalt Bank', 'noreply@cobaltbank.test'],
	    ['Parcelwise', 'tracking@parcelwise.test'],
	    ['Streamly', 'hello@streamly.test'],
	    ['City Library', 'notices@citylibrary.test'],
	    ['Kindling Books', 'orders@kindlingbooks.test'],
	    ['Gymnasia Fitness', 'team@gymnasia.test'],
	    ['Orbit Mobile', 'billing@orbitmobile.test'],
	    ['Hearth & Home', 'news@hearthhome.test']];
	var personal = ['Lunch next week?', 'Photos from Saturday',
	    'Quick question about the rota', 'Notes from the call',
	    'Re: weekend plans', 'Draft agenda', 'Can you review this?',
	    'Thanks!', 'Follow-up on the proposal', 'Carpool schedule',
	    'Birthday dinner', 'Slides for Thursday', 'Meeting moved',
	    'Recipe you asked for', 'Flat inspection', 'Book recommendation'];
	var orgSubj = ['Your statement is ready', 'Your parcel is on its way',
	    'New this week', 'Your loan is due soon', 'Order confirmation',
	    'Membership renewal', 'Your bill is ready', 'Weekend sale starts now'];
	var bodies = ['Just following up on this — let me know what you think.',
	    'Here is the summary we discussed. Happy to go over it again.',
	    'No rush on this, whenever you get a chance.',
	    'Attached are the files. Shout if anything is missing.',
	    'Could we find a time that works for both of us this week?',
	    'Thanks again for your help with this, it made a real difference.'];

	var msgs = [], i, d, f, l, o;
	var folders = ['inbox', 'inbox', 'inbox', 'inbox', 'inbox', 'inbox',
	    'inbox', 'archive', 'sent', 'spam', 'trash'];
	for (i = 0; i < 170; i++) {
		d = new Date(Date.UTC(2025, 5, 2, 9) - Math.floor(rnd() * 150 *
		    24 * 3600e3));
		var fold = pick(folders);
		if (rnd() < 0.35) {
			o = pick(orgs);
			msgs.push({ from: o[0], email: o[1], subject: pick(orgSubj),
			    body: pick(bodies), date: d.toISOString(), folder: fold,
			    read: rnd() < 0.7, starred: false, labels: [] });
		} else {
			f = pick(first); l = pick(last);
			msgs.push({ from: f + ' ' + l, email: f.toLowerCase() + '.' +
			    l.toLowerCase() + '@example.com', subject: pick(personal),
			    body: 'Hi Dana,\n\n' + pick(bodies) + '\n\n' + f,
			    date: d.toISOString(), folder: fold, read: rnd() < 0.6,
			    starred: rnd() < 0.08, labels: rnd() < 0.15 ? ['Work'] : [] });
		}
	}
	/* The messages the tasks talk about (and their look-alikes). */
	var fixed = [
	    ['inv-2291', 'Priya Raman', 'priya.raman@ledgerline.test', 'March invoice',
	     'Hi Dana,\n\nThe numbers for March are final. Invoice INV-2291 is attached and due on 15 April.\n\nBest,\nPriya', '2025-03-31T10:12:00Z', 'inbox'],
	    ['inv-2240', 'Priya Raman', 'priya.raman@ledgerline.test', 'February invoice',
	     'Hi Dana,\n\nFebruary is closed. Invoice INV-2240 is attached and due on 15 March.\n\nBest,\nPriya', '2025-02-28T10:05:00Z', 'inbox'],
	    ['budget', 'Priya Raman', 'priya.raman@ledgerline.test', 'Quarterly budget review',
	     'Dana, can we move the budget review to Thursday?\n\nPriya', '2025-05-20T08:30:00Z', 'inbox'],
	    ['trail-news', 'Trailhead Outfitters', 'news@trailhead.test', 'Spring gear guide: 20% off tents',
	     'Our spring gear guide is here. Tents, packs and stoves for the season.', '2025-04-11T07:00:00Z', 'inbox'],
	    ['trail-ship', 'Trailhead Outfitters', 'orders@trailhead.test', 'Your order #44817 has shipped',
	     'Your order is on its way. Track it with Parcelwise.', '2025-05-29T16:40:00Z', 'inbox'],
	    ['school-trip', 'Hannah Cole', 'hannah.cole@example.com', 'School trip permission slip',
	     'Hi Dana,\n\nThe form for the museum trip on 12 June needs signing by Friday.\n\nHannah', '2025-05-27T19:02:00Z', 'inbox'],
	    ['book-club', 'Hannah Cole', 'hannah.cole@example.com', 'Book club on Sunday',
	     'We are reading the lighthouse one. Bring snacks!', '2025-05-30T12:15:00Z', 'inbox'],
	    ['lumen-may', 'Lumen Energy', 'billing@lumen.test', 'Your May energy bill',
	     'Your bill for May is 84.20 EUR and will be collected on 10 June.', '2025-06-01T06:00:00Z', 'inbox'],
	    ['lumen-apr', 'Lumen Energy', 'billing@lumen.test', 'Your April energy bill',
	     'Your bill for April is 91.75 EUR.', '2025-05-01T06:00:00Z', 'inbox'],
	    ['viewing', 'Marco Bellini', 'marco.bellini@example.com', 'Apartment viewing',
	     'Hello Dana,\n\nWould Thursday evening work for a viewing of the flat on Elm Street?\n\nMarco', '2025-05-31T17:20:00Z', 'inbox'],
	    ['wedding', 'Clara Nguyen', 'clara.nguyen@example.com', 'Photos from the wedding',
	     'Here is the album link with all the photos from the wedding. Enjoy!', '2025-05-25T20:45:00Z', 'spam'],
	    ['prize', 'Prize Center', 'win@prize-center.test', 'You have won a $500 gift card!!',
	     'Click now to claim your prize.', '2025-05-26T03:11:00Z', 'spam'],
	    ['draft-old', 'Dana Whitfield', 'dana.whitfield@larkmail.test', 'Old notes',
	     'Ideas for the garden: raised beds, herbs, a bench.', '2025-03-02T21:00:00Z', 'drafts'],
	    ['draft-pack', 'Dana Whitfield', 'dana.whitfield@larkmail.test', 'Packing list',
	     'Passport, charger, hiking boots.', '2025-05-28T21:00:00Z', 'drafts']
	];
	fixed.forEach(function (m) {
		msgs.push({ id: m[0], from: m[1], email: m[2], subject: m[3],
		    body: m[4], date: m[5], folder: m[6], read: false,
		    starred: false, labels: [], to: m[6] === 'drafts' ? '' : 'dana.whitfield@larkmail.test' });
	});
	msgs.sort(function (a, b) { return a.date < b.date ? 1 : -1; });
	msgs.forEach(function (m, k) {
		if (!m.id)
			m.id = 'm' + (1000 + k);
		if (m.folder === 'sent') {
			m.to = m.email;
			m.from = 'Dana Whitfield';
			m.email = 'dana.whitfield@larkmail.test';
		}
	});
	return msgs;
})();
