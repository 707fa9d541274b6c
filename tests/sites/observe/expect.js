/*
 * expect.js: the expected mark set of an observe fixture page.
 *
 * Each fixture page (and each frame page) includes this file; a test
 * evaluates window.__expect() in every frame and compares the marks it got
 * (by the data-expect attribute of the element behind each mark) with:
 *   expect     names of [data-expect] elements whose box overlaps the
 *              viewport (scroll bars excluded) by 1 px or more: each must
 *              be exactly one mark;
 *   offscreen  names of [data-expect] elements outside the viewport: must
 *              not be marks now (they are after scrolling them into view);
 *   never      names of [data-expect-not] elements: never marks;
 *   details    {name: {field: value}} from data-expect-FIELD attributes of
 *              [data-expect] elements (role, label, text, type, value,
 *              checked, selected, disabled, listener, editable, focused,
 *              option_selected): the mark's field, as a string, must equal
 *              the value.
 * Any mark whose element has no data-expect attribute is an error.  Open
 * shadow roots are searched too; the names expected inside a CLOSED shadow
 * root are listed on its host in data-expect-closed (space separated) and
 * count as visible when the host is.  See README in this directory.
 */
(function () {
	'use strict';

	var FIELDS = ['role', 'label', 'text', 'type', 'value', 'checked',
	    'selected', 'disabled', 'listener', 'editable', 'focused',
	    'option_selected'];

	function walk(root, out) {
		var list = root.querySelectorAll('*');
		var i;

		for (i = 0; i < list.length; i++) {
			out.push(list[i]);
			if (list[i].shadowRoot)
				walk(list[i].shadowRoot, out);
		}
	}

	/*
	 * True if el's box overlaps the viewport by 1 px or more, scroll bars
	 * excluded (as the collector sees it).
	 */
	function inView(el) {
		var r = el.getBoundingClientRect();
		var de = document.documentElement;
		var w = de.clientWidth || window.innerWidth;
		var h = de.clientHeight || window.innerHeight;

		return Math.min(r.right, w) - Math.max(r.left, 0) >= 1 &&
		    Math.min(r.bottom, h) - Math.max(r.top, 0) >= 1;
	}

	window.__expect = function () {
		var all = [];
		var res = { expect: [], offscreen: [], never: [], details: {} };
		var i, j, el, n, d, v, list;

		walk(document, all);
		for (i = 0; i < all.length; i++) {
			el = all[i];
			if ((n = el.getAttribute('data-expect-not')) !== null)
				res.never.push(n);
			if ((n = el.getAttribute('data-expect-closed')) !== null) {
				list = n.trim().split(/\s+/);
				for (j = 0; j < list.length; j++)
					(inView(el) ? res.expect :
					    res.offscreen).push(list[j]);
			}
			if ((n = el.getAttribute('data-expect')) === null)
				continue;
			if (inView(el))
				res.expect.push(n);
			else
				res.offscreen.push(n);
			d = null;
			for (j = 0; j < FIELDS.length; j++) {
				v = el.getAttribute('data-expect-' +
				    FIELDS[j].replace('_', '-'));
				if (v === null)
					continue;
				d = d || {};
				d[FIELDS[j]] = v;
			}
			if (d !== null)
				res.details[n] = d;
		}
		return res;
	};
})();
