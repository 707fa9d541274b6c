/*
 * collect.js: webnav's in-page mark collector.
 *
 * agent/observe.c evaluates this file in the main world of every frame
 * twice: as an init script (Page.addScriptToEvaluateOnNewDocument), before
 * the page's own scripts run, where it installs the listener tracker; and
 * at observe time, where it makes sure window.__webnav exists and then
 * calls window.__webnav.collect().  It is idempotent: evaluating it again
 * keeps the tracker's state (and the functions, if of the same version).
 * It never touches the DOM at install time and never throws into the
 * page.
 *
 * window.__webnav (non-enumerable, not writable by the page):
 *   collect(opts)  The marks of THIS frame (iframes are collected
 *                  separately and only listed in frames).  Returns
 *                  {url, title, vw, vh, sx, sy, dpr, page_h, marks, frames,
 *                  ms, nodes, truncated}; JSON-able.  opts (optional):
 *                  {max: cap on marks (<= 2000), proximity: false to skip
 *                  proximity labels}.
 *   els            The elements of the last collect(): marks[i].ref == i
 *                  and els[i] is its element.
 *   fels           The iframe elements of the last collect(): frames[i].ref.
 *   el(i)          els[i] (or null).
 *   fel(i)         fels[i] (or null).
 *   tracked        WeakSet of elements that got a click, mousedown, mouseup,
 *                  pointerdown, pointerup or touchstart listener through
 *                  addEventListener while the tracker was installed.
 *   roots          WeakMap host -> closed shadow root, for closed roots
 *                  attached while the tracker was installed (nroots
 *                  counts them).
 *   uids           WeakMap element -> uid (see below); version: of this
 *                  file's functions (a second evaluation of the same
 *                  version keeps them, and their warmed-up code).
 *
 * A mark: {ref, uid, tag, role, type, text, label, ctx, value, attrs,
 * box {x, y, w, h}, checked, selected, disabled, focused, editable,
 * listener, options [{text, value, selected}] and option_selected
 * (selects only)}.  ctx is the text of the row, card or section the mark
 * sits in (see markContexts()), "" if none.
 * box is in this frame's viewport CSS px, clipped to the viewport and to
 * clipping ancestors.  checked and selected are -1 when not applicable.
 * uid is stable for the element across collect() calls in this document.
 * listener is 1 when the element was found only through a JS listener, an
 * on* handler, a React onClick prop or cursor: pointer.
 *
 * A frame: {ref, tag, name, id, src, title, box {x, y, w, h} (border box),
 * cx, cy (origin of its content, this frame's viewport px), clip {x, y, w,
 * h} (the part inside the viewport and clipping ancestors), occluded (1 if
 * no probe point reached it)}.  Only frames that intersect the viewport are
 * listed.
 *
 * Which elements are marks, which are dropped, and why: see the comments
 * at classify(), visit() and settle().  Cost: one computed style per
 * element (a few properties), a box per candidate, hit tests only where
 * a positioned element overlaps a candidate.
 */
(function () {
	'use strict';

	var VERSION = 2;	/* bump when the shape of __webnav changes */
	var W = window;
	var wn;

	try {
		wn = W.__webnav;
	} catch (e) {
		return;
	}
	if (wn === undefined || wn === null || typeof wn !== 'object') {
		wn = { els: [], fels: [] };
		try {
			Object.defineProperty(W, '__webnav', {
				value: wn,
				writable: false,
				enumerable: false,
				configurable: false
			});
		} catch (e) {
			W.__webnav = wn;
		}
	}

	/* Listener tracker: patched once per document, kept on re-evaluation. */
	if (!wn.tracked) {
		wn.tracked = new WeakSet();
		wn.roots = new WeakMap();
		installTracker(wn.tracked, wn.roots);
	}
	if (!wn.uids) {
		wn.uids = new WeakMap();
		wn.nextUid = 1;
	}
	/*
	 * Already defined by this version: keep the functions, whose
	 * optimised code and type feedback make later calls fast.
	 */
	if (wn.version === VERSION && typeof wn.collect === 'function')
		return;
	wn.version = VERSION;

	/*
	 * Wraps EventTarget.prototype.addEventListener to remember elements
	 * given click-like listeners, and Element.prototype.attachShadow to
	 * remember closed shadow roots.  The wrappers call the originals with
	 * the same this and arguments and swallow only their own errors.
	 */
	function installTracker(tracked, roots) {
		var types = {
			click: 1, mousedown: 1, mouseup: 1, pointerdown: 1,
			pointerup: 1, touchstart: 1
		};
		var ET = W.EventTarget && W.EventTarget.prototype;
		var EP = W.Element && W.Element.prototype;
		var add, attach, w;

		if (ET && typeof ET.addEventListener === 'function') {
			add = ET.addEventListener;
			w = {
				addEventListener(type, listener) {
					try {
						if (listener &&
						    types[type] === 1 &&
						    this && this.nodeType === 1)
							tracked.add(this);
					} catch (e) {
						/* never break the page */
					}
					return add.apply(this, arguments);
				}
			};
			try {
				ET.addEventListener = w.addEventListener;
			} catch (e) {
				/* frozen prototype: no tracking */
			}
		}
		if (EP && typeof EP.attachShadow === 'function') {
			attach = EP.attachShadow;
			w = {
				attachShadow(init) {
					var root = attach.apply(this, arguments);

					try {
						if (init && init.mode === 'closed') {
							roots.set(this, root);
							wn.nroots = (wn.nroots ||
							    0) + 1;
						}
					} catch (e) {
						/* ignore */
					}
					return root;
				}
			};
			try {
				EP.attachShadow = w.attachShadow;
			} catch (e) {
				/* ignore */
			}
		}
	}

	var TEXT_MAX = 200;
	var MARKS_MAX = 2000;
	var CTX_DEPTH = 6;	/* ancestors looked at for a mark's context */
	var CTX_MARKS = 12;	/* marks a context container may hold */
	var CTX_CHARS = 4000;	/* textContent of a container, at most */
	var CTX_MAX = 160;	/* characters of context kept */
	var OPTIONS_MAX = 100;
	var DEPTH_MAX = 1000;
	var NODES_MAX = 50000;	/* elements visited per frame */
	var CANDS_MAX = 2 * MARKS_MAX;	/* before occlusion */

	/* visit() flags. */
	var F_SVG = 1;
	var F_OCC = 2;

	/* Elements never visited (no box, or content that is not the page). */
	var SKIP = {
		script: 1, style: 1, template: 1, noscript: 1, head: 1,
		meta: 1, link: 1, title: 1, base: 1, datalist: 1, param: 1,
		source: 1, track: 1
	};

	/* ARIA roles that make an element a mark on their own. */
	var WIDGET = {
		button: 1, link: 1, checkbox: 1, radio: 1, 'switch': 1, tab: 1,
		menuitem: 1, menuitemcheckbox: 1, menuitemradio: 1, option: 1,
		combobox: 1, textbox: 1, searchbox: 1, slider: 1,
		spinbutton: 1, treeitem: 1
	};

	/*
	 * Roles whose descendants are parts of the widget, not marks of their
	 * own (ARIA's "children presentational" plus link and menuitem).
	 */
	var CONTAINER = {
		button: 1, link: 1, checkbox: 1, radio: 1, 'switch': 1, tab: 1,
		menuitem: 1, menuitemcheckbox: 1, menuitemradio: 1, option: 1,
		slider: 1, spinbutton: 1, textbox: 1, searchbox: 1
	};

	/* Roles that carry aria-checked or aria-pressed. */
	var CHECKABLE = {
		checkbox: 1, radio: 1, 'switch': 1, menuitemcheckbox: 1,
		menuitemradio: 1, button: 1, treeitem: 1
	};

	/* Roles that carry aria-selected. */
	var SELECTABLE = {
		tab: 1, option: 1, treeitem: 1, gridcell: 1, row: 1
	};

	/* Roles of fields that want a label next to them. */
	var FIELD_ROLES = {
		textbox: 1, searchbox: 1, combobox: 1, spinbutton: 1,
		slider: 1, listbox: 1, checkbox: 1, radio: 1, 'switch': 1
	};

	/* Input types that take typed text. */
	var TEXT_INPUT = {
		text: 1, email: 1, password: 1, search: 1, tel: 1, url: 1,
		number: 1, date: 1, 'datetime-local': 1, month: 1, time: 1,
		week: 1
	};

	/* Implicit roles of input types (text-like ones are textbox). */
	var INPUT_ROLE = {
		checkbox: 'checkbox', radio: 'radio', range: 'slider',
		number: 'spinbutton', search: 'searchbox', button: 'button',
		submit: 'button', reset: 'button', image: 'button',
		file: 'button', color: 'button'
	};

	/* Implicit roles of other elements (the rest are generic). */
	var TAG_ROLE = {
		button: 'button', summary: 'button', textarea: 'textbox',
		option: 'option', li: 'listitem', img: 'img', svg: 'img',
		h1: 'heading', h2: 'heading', h3: 'heading', h4: 'heading',
		h5: 'heading', h6: 'heading', td: 'cell', th: 'columnheader',
		tr: 'row', p: 'paragraph', nav: 'navigation', dialog: 'dialog',
		article: 'article', section: 'region', form: 'form',
		table: 'table', ul: 'list', ol: 'list', label: 'label'
	};

	/* Subtrees whose text is not a label (controls, code). */
	var NOT_LABEL_TEXT = {
		button: 1, select: 1, textarea: 1, option: 1, optgroup: 1,
		script: 1, style: 1, noscript: 1, template: 1, a: 1, input: 1
	};

	/* Text that can be a label: has a letter or a digit. */
	var WORDY = /[\p{L}\p{N}]/u;

	/* Collapses white space, trims and caps s at TEXT_MAX characters. */
	function norm(s) {
		if (typeof s !== 'string' || s === '')
			return '';
		s = s.replace(/\s+/g, ' ').trim();
		if (s.length > TEXT_MAX)
			s = s.slice(0, TEXT_MAX);
		return s;
	}

	/* Returns s cut to n characters. */
	function cut(s, n) {
		if (typeof s !== 'string')
			return '';
		return s.length > n ? s.slice(0, n) : s;
	}

	/* Rounds a CSS px value to 0.01. */
	function r2(v) {
		return Math.round(v * 100) / 100;
	}

	/* Returns the first token of el's role attribute, lower case, or ''. */
	function explicitRole(el) {
		var r = el.getAttribute('role');
		var i;

		if (r === null)
			return '';
		r = r.trim().toLowerCase();
		i = r.indexOf(' ');
		return i === -1 ? r : r.slice(0, i);
	}

	/* Returns the parent of n in the flat tree (slots, shadow hosts). */
	function flatParent(n) {
		var p;

		if (n.assignedSlot)
			return n.assignedSlot;
		p = n.parentNode;
		if (p && p.nodeType === 11 && p.host)
			return p.host;
		return p;
	}

	/* Returns true if n is anc or below it in the flat tree. */
	function flatContains(anc, n) {
		var i;

		for (i = 0; n && i < 4096; i++, n = flatParent(n))
			if (n === anc)
				return true;
		return false;
	}

	/* Returns the focused element, looking into shadow roots. */
	function deepActive(doc) {
		var a = doc.activeElement;
		var i;

		for (i = 0; a && a.shadowRoot && a.shadowRoot.activeElement &&
		    i < 64; i++)
			a = a.shadowRoot.activeElement;
		return a;
	}

	/* Returns el's shadow root, open or remembered closed, or null. */
	function shadowOf(el) {
		var sr = el.shadowRoot;

		if (sr)
			return sr;
		if (!(wn.nroots > 0))
			return null;
		try {
			return wn.roots.get(el) || null;
		} catch (e) {
			return null;
		}
	}

	/* Returns true if React gave el an onClick-like prop. */
	function reactClick(el) {
		var keys = Object.keys(el);
		var i, p;

		for (i = 0; i < keys.length; i++) {
			if (keys[i].lastIndexOf('__reactProps', 0) !== 0)
				continue;
			p = el[keys[i]];
			return !!(p && (typeof p.onClick === 'function' ||
			    typeof p.onMouseDown === 'function' ||
			    typeof p.onPointerDown === 'function'));
		}
		return false;
	}

	/*
	 * Returns true if el has a click-like handler we can see.  attrs:
	 * el.hasAttributes().
	 */
	function hasListener(el, attrs) {
		if (wn.tracked && wn.tracked.has(el))
			return true;
		/*
		 * Attributes first: reading el.onclick would compile an
		 * onclick attribute, and report its syntax errors to the page.
		 */
		if (attrs && (el.hasAttribute('onclick') ||
		    el.hasAttribute('onmousedown') ||
		    el.hasAttribute('onpointerdown')))
			return true;
		if (el.onclick || el.onmousedown || el.onpointerdown)
			return true;
		return reactClick(el);
	}

	/* Returns the text of the nodes below root, skipping controls. */
	function ownText(root, skip, depth) {
		var s = '';
		var n, t;

		if (depth > 32)
			return '';
		for (n = root.firstChild; n && s.length < 1000;
		    n = n.nextSibling) {
			if (n.nodeType === 3)
				s += n.data;
			else if (n.nodeType === 1 && n !== skip) {
				t = n.localName;
				if (NOT_LABEL_TEXT[t] === 1 && t !== 'a')
					continue;
				s += ' ' + ownText(n, skip, depth + 1) + ' ';
			}
		}
		return s;
	}

	/* Subtrees left out of a context's text (values, code, hidden). */
	var NOT_CTX_TEXT = {
		select: 1, textarea: 1, option: 1, optgroup: 1, input: 1,
		script: 1, style: 1, noscript: 1, template: 1, svg: 1
	};

	/*
	 * Appends the visible text below root to acc.all, and the part
	 * outside controls (marks, buttons, links) to acc.bare.
	 */
	function ctxText(root, isMark, acc, inMark, depth) {
		var n, t, m;

		if (depth > 32)
			return;
		for (n = root.firstChild; n && acc.all.length < 1000;
		    n = n.nextSibling) {
			if (n.nodeType === 3) {
				acc.all += n.data;
				if (!inMark)
					acc.bare += n.data;
			} else if (n.nodeType === 1) {
				t = n.localName;
				if (NOT_CTX_TEXT[t] === 1 || n.hidden ||
				    (typeof n.checkVisibility === 'function' &&
				    !n.checkVisibility()))
					continue;
				m = inMark || t === 'a' || t === 'button' ||
				    isMark.has(n);
				acc.all += ' ';
				ctxText(n, isMark, acc, m, depth + 1);
				acc.all += ' ';
			}
		}
	}

	/* Returns s without the first occurrence of each of parts. */
	function without(s, parts) {
		var i, k;

		for (i = 0; i < parts.length; i++) {
			if (parts[i] === '')
				continue;
			k = s.indexOf(parts[i]);
			if (k >= 0)
				s = s.slice(0, k) + ' ' + s.slice(k + parts[i].length);
		}
		return s;
	}

	/*
	 * Sets ctx of every mark: the text of the row, card or section it
	 * belongs to (a table row's cells for its Delete button, a card's
	 * title and details for its Add to cart, a form section's heading
	 * for its fields), its own text and label left out.  Walks up to
	 * CTX_DEPTH ancestors and stops at the first with text of its own
	 * outside controls (a cell, a heading, a sentence) beyond the mark's
	 * label; failing that, the highest ancestor whose text says more
	 * than the mark.  An ancestor holding more than CTX_MARKS marks or
	 * CTX_CHARS characters ends the walk.  One text walk per distinct
	 * ancestor.
	 */
	function markContexts(marks) {
		var cnt = new Map(), txt = new Map(), isMark = new Set();
		var i, d, a, m, t, best, fall, rest;
		var body = document.body, de = document.documentElement;
		var LETTERS = /\p{L}\p{L}/u;

		for (i = 0; i < marks.length; i++) {
			isMark.add(marks[i]._el);
			a = flatParent(marks[i]._el);
			for (d = 0; a && a.nodeType === 1 && d < CTX_DEPTH;
			    d++, a = flatParent(a))
				cnt.set(a, (cnt.get(a) || 0) + 1);
		}
		for (i = 0; i < marks.length; i++) {
			m = marks[i];
			best = null;
			fall = '';
			a = flatParent(m._el);
			for (d = 0; a && a.nodeType === 1 && a !== body &&
			    a !== de && d < CTX_DEPTH; d++, a = flatParent(a)) {
				if ((cnt.get(a) || 0) > CTX_MARKS)
					break;
				t = txt.get(a);
				if (t === undefined) {
					t = null;
					if ((a.textContent || '').length <=
					    CTX_CHARS) {
						t = { all: '', bare: '' };
						ctxText(a, isMark, t, false, 0);
						t.all = norm(t.all);
						t.bare = norm(t.bare);
					}
					txt.set(a, t);
				}
				if (t === null)
					break;
				rest = without(t.all, [m.text, m.label]);
				if (!LETTERS.test(rest))
					continue;
				fall = rest;
				if (LETTERS.test(without(t.bare, [m.label]))) {
					best = rest;
					break;
				}
			}
			m.ctx = cut(norm(best !== null ? best : fall), CTX_MAX);
		}
	}

	/* Returns the normalised text of the element ids in list, or ''. */
	function idsText(el, list) {
		var root = el.getRootNode ? el.getRootNode() : document;
		var ids = list.trim().split(/\s+/);
		var out = [];
		var i, r;

		for (i = 0; i < ids.length && i < 16; i++) {
			r = root.getElementById ? root.getElementById(ids[i]) :
			    null;
			if (!r && root !== document)
				r = document.getElementById(ids[i]);
			if (r)
				out.push(r.getAttribute('aria-label') ||
				    ownText(r, null, 0));
		}
		return norm(out.join(' '));
	}

	/* Returns the text of alt, aria-label or title below el, or ''. */
	function iconText(el) {
		var n, t, list, i;

		list = el.querySelectorAll('img[alt], [aria-label], svg title, ' +
		    '[title]');
		for (i = 0; i < list.length && i < 16; i++) {
			n = list[i];
			if (n.localName === 'title')
				t = n.textContent;
			else if (n.localName === 'img')
				t = n.getAttribute('alt');
			else
				t = n.getAttribute('aria-label') ||
				    n.getAttribute('title');
			t = norm(t);
			if (t !== '')
				return t;
		}
		return '';
	}

	/* Returns the rendered text of el (with shadow content), normalised. */
	function renderedText(el) {
		var t = '';
		var sr;

		if (typeof el.innerText === 'string')
			t = norm(el.innerText);
		else
			t = norm(el.textContent);
		if (t === '' && (sr = shadowOf(el)) !== null)
			t = norm(ownText(sr, null, 0));
		return t;
	}

	/* Returns the shown text of a select: its selected options. */
	function selectText(el) {
		var out = [];
		var o = el.selectedOptions;
		var i;

		for (i = 0; o && i < o.length && i < 16; i++)
			out.push(o[i].label || o[i].text);
		return norm(out.join(', '));
	}

	/* Returns a password field's value masked, so it never leaves. */
	function mask(v) {
		return v ? new Array(Math.min(v.length, TEXT_MAX) + 1).join('*') :
		    '';
	}

	/* Returns the visible text of mark element el (see the header). */
	function markText(el, tag, type) {
		var t = '';

		if (tag === 'input') {
			switch (type) {
			case 'button':
			case 'submit':
			case 'reset':
				t = el.value || (type === 'submit' ? 'Submit' :
				    type === 'reset' ? 'Reset' : '');
				break;
			case 'image':
				t = el.getAttribute('alt') || el.value;
				break;
			case 'checkbox':
			case 'radio':
			case 'range':
			case 'color':
				break;
			case 'file':
				if (el.files && el.files.length > 0)
					t = Array.prototype.map.call(el.files,
					    function (f) {
						return f.name;
					    }).join(', ');
				break;
			case 'password':
				t = el.value ? mask(el.value) :
				    el.getAttribute('placeholder');
				break;
			default:
				t = el.value || el.getAttribute('placeholder');
			}
			t = norm(t);
		} else if (tag === 'textarea')
			t = norm(el.value || el.getAttribute('placeholder'));
		else if (tag === 'select')
			t = selectText(el);
		else {
			t = renderedText(el);
			if (t === '')
				t = norm(el.getAttribute('aria-label'));
			if (t === '')
				t = iconText(el);
			if (t === '')
				t = norm(el.getAttribute('placeholder') ||
				    el.getAttribute('aria-placeholder'));
		}
		if (t === '')
			t = norm(el.getAttribute('aria-label'));
		if (t === '')
			t = norm(el.getAttribute('title'));
		return t;
	}

	/*
	 * Returns the text of the nearest text node to the left of box on the
	 * same line, or above it within 200 px, searching backwards in
	 * document order from el through at most five ancestors and 40 text
	 * nodes; stops at another form control.  With right set, looks to the
	 * right on the same line instead (checkboxes and radios).
	 */
	function nearText(el, box, right) {
		var range = document.createRange();
		var n = el;
		var ups = 0, seen = 0, steps = 0;
		var above = null;
		var t, rr, tag, vo, lim;

		for (;;) {
			if (++steps > 400)
				break;
			if ((right ? n.nextSibling : n.previousSibling) !== null) {
				n = right ? n.nextSibling : n.previousSibling;
				while (n.nodeType === 1 &&
				    NOT_LABEL_TEXT[n.localName] !== 1 &&
				    (right ? n.firstChild : n.lastChild) !== null)
					n = right ? n.firstChild : n.lastChild;
			} else {
				n = n.parentNode;
				if (!n || n.nodeType !== 1 || ++ups > 5)
					break;
				if (n.localName === 'label' && n.control &&
				    n.control !== el)
					break;
				continue;
			}
			if (n.nodeType === 1) {
				tag = n.localName;
				if (tag === 'input' || tag === 'select' ||
				    tag === 'textarea')
					break;
				continue;
			}
			/* Skip white space and lone punctuation ("/", "*"). */
			if (n.nodeType !== 3 || !WORDY.test(n.data))
				continue;
			if (++seen > 40)
				break;
			if (n.parentElement && n.parentElement.closest(
			    'label') !== null) {
				lim = n.parentElement.closest('label');
				if (lim.control && lim.control !== el)
					continue;
			}
			range.selectNodeContents(n);
			rr = range.getBoundingClientRect();
			if (rr.width < 1 || rr.height < 1)
				continue;
			vo = Math.min(rr.bottom, box.bottom) -
			    Math.max(rr.top, box.top);
			if (vo >= 0.4 * Math.min(rr.height, box.height)) {
				if (!right && rr.right <= box.left + 4 &&
				    box.left - rr.right <= 200)
					return norm(n.data);
				if (right && rr.left >= box.right - 4 &&
				    rr.left - box.right <= 200)
					return norm(n.data);
				continue;
			}
			if (!right && above === null &&
			    rr.bottom <= box.top + 4 &&
			    box.top - rr.bottom <= 200 &&
			    rr.left < box.right && rr.right > box.left - 200)
				above = norm(n.data);
		}
		return above !== null ? above : '';
	}

	/* Returns the label of mark element el (see the header). */
	function markLabel(el, tag, role, box, field, prox) {
		var out = [];
		var labels, i, t, type;

		try {
			labels = el.labels;
		} catch (e) {
			labels = null;
		}
		for (i = 0; labels && i < labels.length && i < 4; i++) {
			if (labels[i] === el)
				continue;
			t = norm(ownText(labels[i], el, 0));
			if (t !== '')
				out.push(t);
		}
		if (out.length > 0)
			return norm(out.join(' '));
		t = el.getAttribute('aria-labelledby');
		if (t && (t = idsText(el, t)) !== '')
			return t;
		t = norm(el.getAttribute('aria-label'));
		if (t !== '')
			return t;
		if (!field || !prox)
			return '';
		type = tag === 'input' ? el.type : '';
		if (type === 'checkbox' || type === 'radio' ||
		    role === 'checkbox' || role === 'radio' ||
		    role === 'switch') {
			t = nearText(el, box, true);
			if (t !== '')
				return t;
		}
		return nearText(el, box, false);
	}

	/* Returns the implicit ARIA role of el. */
	function implicitRole(el, tag, type) {
		if (tag === 'a' || tag === 'area')
			return el.hasAttribute('href') ||
			    el.hasAttribute('xlink:href') ? 'link' : 'generic';
		if (tag === 'input') {
			if (INPUT_ROLE[type])
				return INPUT_ROLE[type];
			if (el.hasAttribute('list'))
				return 'combobox';
			return 'textbox';
		}
		if (tag === 'select')
			return el.multiple || el.size > 1 ? 'listbox' :
			    'combobox';
		if (el.isContentEditable)
			return 'textbox';
		return TAG_ROLE[tag] || 'generic';
	}

	/* Builds the attrs object: only the attributes present. */
	var ATTRS = ['aria-label', 'placeholder', 'name', 'id', 'title', 'alt',
	    'href', 'class', 'aria-expanded', 'aria-haspopup', 'aria-controls',
	    'data-testid', 'for', 'value', 'autocomplete'];

	function markAttrs(el, tag) {
		var a = {};
		var i, k, v;

		for (i = 0; i < ATTRS.length; i++) {
			k = ATTRS[i];
			v = el.getAttribute(k);
			if (v === null)
				continue;
			if (k === 'href') {
				if (typeof el.href === 'string' && el.href !== '')
					v = el.href;
				v = cut(v, 300);
			} else if (k === 'class')
				v = cut(v.replace(/\s+/g, ' ').trim(), 100);
			else if (k === 'value' && tag === 'input' &&
			    el.type === 'password')
				v = mask(v);
			else
				v = cut(v, TEXT_MAX);
			a[k] = v;
		}
		return a;
	}

	/* Returns the tri-state of an aria-checked/-pressed/-selected value. */
	function ariaBool(v) {
		if (v === null)
			return -1;
		return v === 'true' ? 1 : 0;
	}

	/* Returns the intersection of rect r with clip c, or null. */
	function clipRect(r, c) {
		var x0 = Math.max(r.left, c.l), y0 = Math.max(r.top, c.t);
		var x1 = Math.min(r.right, c.r), y1 = Math.min(r.bottom, c.b);

		if (x1 - x0 < 1 || y1 - y0 < 1)
			return null;
		return { l: x0, t: y0, r: x1, b: y1 };
	}

	/*
	 * Returns the union of the boxes of el's descendants, for a link or
	 * button whose own box is empty (display: contents, an inline element
	 * around blocks), or null.
	 */
	function childUnion(el) {
		var list = el.querySelectorAll('*');
		var u = null;
		var i, r;

		for (i = 0; i < list.length && i < 64; i++) {
			r = list[i].getBoundingClientRect();
			if (r.width < 1 || r.height < 1)
				continue;
			if (u === null)
				u = { left: r.left, top: r.top, right: r.right,
				    bottom: r.bottom };
			else {
				u.left = Math.min(u.left, r.left);
				u.top = Math.min(u.top, r.top);
				u.right = Math.max(u.right, r.right);
				u.bottom = Math.max(u.bottom, r.bottom);
			}
		}
		if (u !== null) {
			u.width = u.right - u.left;
			u.height = u.bottom - u.top;
		}
		return u;
	}

	/* Per-call state of collect(), shared by the functions below. */
	var S = null;

	/*
	 * Returns true if some probe point inside box c (clipped) hits el or
	 * one of its flat-tree descendants: the centre, then the centres of
	 * the quarters, then the centres of el's first line boxes.
	 */
	function hitTest(el, c) {
		var root = el.getRootNode ? el.getRootNode() : document;
		var w = c.r - c.l, h = c.b - c.t;
		var pts = [0.5, 0.5, 0.25, 0.25, 0.75, 0.25, 0.25, 0.75,
		    0.75, 0.75];
		var i, x, y, hit, rects, rc;

		if (!root || typeof root.elementFromPoint !== 'function')
			root = document;
		for (i = 0; i < pts.length; i += 2) {
			x = c.l + w * pts[i];
			y = c.t + h * pts[i + 1];
			hit = root.elementFromPoint(x, y);
			if (hit && (hit === el || flatContains(el, hit)))
				return true;
		}
		rects = el.getClientRects();
		for (i = 0; rects.length > 1 && i < rects.length && i < 3;
		    i++) {
			rc = clipRect(rects[i], S.vp);
			if (rc === null)
				continue;
			hit = root.elementFromPoint((rc.l + rc.r) / 2,
			    (rc.t + rc.b) / 2);
			if (hit && (hit === el || flatContains(el, hit)))
				return true;
		}
		return false;
	}

	/*
	 * Clipping ancestors are a chain of nodes {el, up, r}: the root node
	 * S.root is the viewport; every element that clips its overflow adds
	 * a node whose rect r (its padding box within up's rect) is computed
	 * only when a candidate inside it is in the viewport, since boxes
	 * cost.  Returns the rect {l, t, r, b} of node c; empty ones have
	 * r <= l or b <= t.
	 */
	function clipOf(c) {
		var p, el, b, x, y;

		if (c.r === null) {
			p = clipOf(c.up);
			el = c.el;
			b = el.getBoundingClientRect();
			x = b.left + el.clientLeft;
			y = b.top + el.clientTop;
			c.r = {
				l: Math.max(x, p.l),
				t: Math.max(y, p.t),
				r: Math.min(x + el.clientWidth, p.r),
				b: Math.min(y + el.clientHeight, p.b)
			};
		}
		return c.r;
	}

	/*
	 * Returns the part {l, t, r, b} of box r (a DOMRect) inside the
	 * viewport and clip node clip, or null if under 1 px either way.
	 */
	function inClip(r, clip) {
		var c = clipRect(r, S.vp);
		var k;

		if (c === null || clip === S.root)
			return c;
		k = clipOf(clip);
		c.l = Math.max(c.l, k.l);
		c.t = Math.max(c.t, k.t);
		c.r = Math.min(c.r, k.r);
		c.b = Math.min(c.b, k.b);
		if (c.r - c.l < 1 || c.b - c.t < 1)
			return null;
		return c;
	}

	/*
	 * Returns {rect, clip} for el if it is rendered (checkVisibility with
	 * opacity and visibility), at least 2x2 px and inside the viewport and
	 * clip node clip; else null.
	 * Occlusion is decided later (settle()).  union: a link or button
	 * with an empty box of its own may borrow the box of its children.
	 */
	function renderedBox(el, clip, union) {
		var r = el.getBoundingClientRect();
		var c;

		if (r.width < 2 || r.height < 2) {
			if (!union || (r = childUnion(el)) === null ||
			    r.width < 2 || r.height < 2)
				return null;
		}
		if ((c = inClip(r, clip)) === null)
			return null;
		if (typeof el.checkVisibility === 'function' &&
		    !el.checkVisibility({ opacityProperty: true,
		    visibilityProperty: true, contentVisibilityAuto: true }))
			return null;
		return { rect: r, clip: c };
	}

	/* Memoised: is label control ctl rendered in the viewport? */
	function controlVisible(ctl) {
		var v = S.ctlvis.get(ctl);

		if (v === undefined) {
			v = renderedBox(ctl, S.root, false) !== null;
			S.ctlvis.set(ctl, v);
		}
		return v;
	}

	/* Returns true if el is inside an open modal dialog or popover. */
	function inTopLayer(el) {
		var i;

		for (i = 0; i < S.modals.length; i++)
			if (flatContains(S.modals[i], el))
				return true;
		return false;
	}

	/*
	 * Decides whether el is a mark candidate.  Returns null, or {native
	 * (form control or link: survives inside another mark), container
	 * (its descendants are parts of it), heur (found by listener or
	 * cursor only), role, ctl (label: the control it stands for)}.
	 */
	function classify(el, tag, attrs, ptr, pptr, pedit, ceHost) {
		var role = attrs ? explicitRole(el) : '';
		var ctl;

		if (WIDGET[role] !== 1)
			role = '';
		switch (tag) {
		case 'a':
		case 'area':
			if (attrs && (el.hasAttribute('href') ||
			    el.hasAttribute('xlink:href')))
				return { native: true, container: true,
				    heur: false, role: role || 'link' };
			break;
		case 'button':
			return { native: true, container: true, heur: false,
			    role: role || 'button' };
		case 'input':
			if (el.type === 'hidden')
				return null;
			return { native: true, container: true, heur: false,
			    role: role || implicitRole(el, tag, el.type) };
		case 'select':
			return { native: true, container: true, heur: false,
			    role: role || implicitRole(el, tag, '') };
		case 'textarea':
			return { native: true, container: true, heur: false,
			    role: role || 'textbox' };
		case 'summary':
			if (el.parentElement &&
			    el.parentElement.localName === 'details')
				return { native: false, container: true,
				    heur: false, role: role || 'button' };
			break;
		case 'label':
			/*
			 * A label stands for its control only when the control
			 * itself cannot be seen (custom checkboxes, styled file
			 * buttons); otherwise the control is the mark.
			 */
			ctl = el.control;
			if (ctl) {
				if (controlVisible(ctl))
					return null;
				return { native: false, container: true,
				    heur: false, ctl: ctl,
				    role: implicitRole(ctl, 'input',
				    ctl.localName === 'input' ? ctl.type : '') };
			}
			break;
		case 'html':
		case 'body':
			return null;
		default:
			break;
		}
		if (role !== '')
			return { native: false, container: CONTAINER[role] === 1,
			    heur: false, role: role };
		if (ceHost)
			return { native: false, container: true, heur: false,
			    role: 'textbox' };
		if (pedit)
			return null;
		if (hasListener(el, attrs) || (ptr && !pptr))
			return { native: false, container: false, heur: true,
			    role: '' };
		return null;
	}

	/*
	 * Returns the mark of accepted candidate el.  k: classify()'s result;
	 * vb: renderedBox()'s.
	 */
	function buildMark(el, tag, k, vb) {
		var ctl = k.ctl || null;
		var src = ctl || el;
		var stag = src.localName;
		var type = stag === 'input' ? (src.type || 'text') : '';
		var role = k.role || implicitRole(el, tag, type);
		var field, m, v, opts, i, n, ed, ro;

		m = {
			ref: -1,
			uid: 0,
			tag: tag,
			role: role,
			type: tag === 'input' ? type : '',
			text: '',
			label: '',
			ctx: '',
			value: '',
			attrs: markAttrs(el, tag),
			box: {
				x: r2(vb.clip.l), y: r2(vb.clip.t),
				w: r2(vb.clip.r - vb.clip.l),
				h: r2(vb.clip.b - vb.clip.t)
			},
			checked: -1,
			selected: -1,
			disabled: 0,
			focused: 0,
			editable: 0,
			listener: k.heur ? 1 : 0
		};
		v = S.uids.get(el);
		if (v === undefined) {
			v = wn.nextUid++;
			S.uids.set(el, v);
		}
		m.uid = v;

		m.text = markText(el, tag, m.type);
		field = stag === 'select' || stag === 'textarea' ||
		    (stag === 'input' && !(type in
		    { button: 1, submit: 1, reset: 1, image: 1 })) ||
		    FIELD_ROLES[role] === 1 || el.isContentEditable;
		/*
		 * A custom checkbox or option with text of its own is not
		 * labelled by its neighbours.
		 */
		if (field && stag !== 'input' && stag !== 'select' &&
		    stag !== 'textarea' && m.text !== '' &&
		    !(role === 'textbox' || role === 'searchbox' ||
		    role === 'combobox' || role === 'spinbutton'))
			field = false;
		if (ctl === null)
			m.label = markLabel(el, tag, role, vb.rect, field,
			    S.prox);

		/* Value and state come from the control a label stands for. */
		if (stag === 'input') {
			if (type === 'checkbox' || type === 'radio')
				m.checked = src.checked ? 1 : 0;
			else if (type === 'password')
				m.value = mask(src.value);
			else if (!(type in { button: 1, submit: 1, reset: 1,
			    image: 1 }))
				m.value = cut(src.value, TEXT_MAX);
			m.editable = TEXT_INPUT[type] === 1 && !src.readOnly ?
			    1 : 0;
		} else if (stag === 'textarea') {
			m.value = cut(src.value, TEXT_MAX);
			m.editable = src.readOnly ? 0 : 1;
		} else if (stag === 'select') {
			opts = [];
			n = src.options ? src.options.length : 0;
			for (i = 0; i < n && i < OPTIONS_MAX; i++)
				opts.push({
					text: norm(src.options[i].label ||
					    src.options[i].text),
					value: cut(src.options[i].value,
					    TEXT_MAX),
					selected: src.options[i].selected ?
					    1 : 0
				});
			m.options = opts;
			m.option_selected = src.selectedIndex;
			m.value = cut(src.value, TEXT_MAX);
		} else if (tag === 'option') {
			m.selected = el.selected ? 1 : 0;
		}
		if (stag !== 'input' && stag !== 'textarea' &&
		    stag !== 'select') {
			ed = el.isContentEditable;
			if (ed || role === 'textbox' || role === 'searchbox') {
				m.editable = ed ? 1 : 0;
				m.value = ed ? norm(el.innerText) :
				    norm(el.textContent);
			} else if (role === 'slider' || role === 'spinbutton')
				m.value = cut(el.getAttribute(
				    'aria-valuetext') || el.getAttribute(
				    'aria-valuenow') || '', TEXT_MAX);
			else if (role === 'combobox')
				m.value = norm(el.getAttribute('aria-valuetext') ||
				    el.textContent);
		}
		if (m.checked === -1 && CHECKABLE[role] === 1) {
			m.checked = ariaBool(el.getAttribute('aria-checked'));
			if (m.checked === -1)
				m.checked = ariaBool(
				    el.getAttribute('aria-pressed'));
		}
		if (m.selected === -1 && SELECTABLE[role] === 1)
			m.selected = ariaBool(el.getAttribute('aria-selected'));

		try {
			m.disabled = (typeof src.matches === 'function' &&
			    src.matches(':disabled')) ||
			    el.getAttribute('aria-disabled') === 'true' ? 1 : 0;
		} catch (e) {
			m.disabled = 0;
		}
		if (m.disabled)
			m.editable = 0;
		ro = el.getAttribute('aria-readonly');
		if (ro === 'true')
			m.editable = 0;
		m.focused = S.active === el || (ctl !== null &&
		    S.active === ctl) ? 1 : 0;
		if (m.focused === 0 && S.active && tag !== 'html' &&
		    el.isContentEditable && flatContains(el, S.active))
			m.focused = 1;
		return m;
	}

	/* Records iframe el (visible part) in S.frames. */
	function addFrame(el, tag, clip) {
		var r = el.getBoundingClientRect();
		var c, cs, ox, oy;

		if (r.width < 2 || r.height < 2)
			return;
		if ((c = inClip(r, clip)) === null)
			return;
		if (typeof el.checkVisibility === 'function' &&
		    !el.checkVisibility({ opacityProperty: true,
		    visibilityProperty: true }))
			return;
		cs = getComputedStyle(el);
		ox = r.left + el.clientLeft + (parseFloat(cs.paddingLeft) || 0);
		oy = r.top + el.clientTop + (parseFloat(cs.paddingTop) || 0);
		S.fels.push(el);
		S.frames.push({
			ref: S.fels.length - 1,
			tag: tag,
			name: cut(el.getAttribute('name') || '', TEXT_MAX),
			id: cut(el.id || '', TEXT_MAX),
			src: cut(el.src || el.getAttribute('src') || '', 2048),
			title: cut(el.getAttribute('title') || '', TEXT_MAX),
			box: { x: r2(r.left), y: r2(r.top), w: r2(r.width),
			    h: r2(r.height) },
			cx: r2(ox),
			cy: r2(oy),
			clip: { x: r2(c.l), y: r2(c.t), w: r2(c.r - c.l),
			    h: r2(c.b - c.t) },
			occluded: hitTest(el, c) ? 0 : 1
		});
	}

	/*
	 * Records el as something that may paint over other elements: its
	 * part inside clip.
	 */
	function addOccluder(el, r, clip) {
		var c = inClip(r, clip);

		if (c !== null) {
			c.el = el;
			S.occ.push(c);
		}
	}

	/*
	 * Phase 1: visits el and its flat-tree subtree, collecting candidates
	 * (rendered, in the viewport and in their clip) and occluders
	 * (positioned elements).  pptr: the parent's cursor is pointer;
	 * inter: inside a container candidate; pedit: inside an editable
	 * region; clip: the clip node of the clipping ancestors (see
	 * clipOf()); top: inside an
	 * open modal dialog or popover (only matters while one is open:
	 * everything else is inert then); fl: F_SVG inside an <svg> (parts
	 * are checked for links and listeners only, without computed style),
	 * F_OCC the parent is an empty positioned box, so this element counts
	 * as an occluder.
	 */
	function visit(el, pptr, inter, pedit, clip, top, fl, depth) {
		var tag = el.localName;
		var cs = null, disp = '', ptr = pptr, pos = 'static';
		var attrs = el.hasAttributes();
		var k, vb, p, ce, edit, ceHost, cclip, r, c, i, sr, slot, kids;
		var cinter, cfl;

		if (SKIP[tag] === 1 || depth > DEPTH_MAX || S.done)
			return;
		/* A huge DOM: what comes first in the document is seen. */
		if (++S.nodes >= NODES_MAX)
			S.done = true;
		if (attrs && el.hasAttribute('inert'))
			return;
		/*
		 * Computed style is most of the cost of a visit: read only
		 * what is needed (the cursor matters only where a pointer
		 * element can become a mark).
		 */
		if ((fl & F_SVG) === 0 || tag === 'a' || tag === 'foreignObject') {
			cs = getComputedStyle(el);
			disp = cs.display;
			if (disp === 'none')
				return;
			if (!inter && !pedit)
				ptr = cs.cursor === 'pointer';
			pos = cs.position;
		}
		cclip = clip;
		if (pos === 'fixed')
			cclip = S.root;
		cfl = tag === 'svg' ? F_SVG : tag === 'foreignObject' ? 0 :
		    fl & F_SVG;
		if (S.modals.length > 0 && (tag === 'dialog' || (attrs &&
		    el.hasAttribute('popover'))) && S.modals.indexOf(el) !== -1) {
			cclip = S.root;
			top = true;
			pos = 'fixed';
		}
		if (pos === 'absolute' || pos === 'fixed' || pos === 'sticky' ||
		    (pos === 'relative' && cs.zIndex !== 'auto') ||
		    (fl & F_OCC) !== 0) {
			r = el.getBoundingClientRect();
			if (r.width >= 1 && r.height >= 1)
				addOccluder(el, r, cclip);
			else if ((fl & F_OCC) === 0)
				cfl |= F_OCC;
		}

		if (tag === 'iframe' || tag === 'frame') {
			try {
				addFrame(el, tag, cclip);
			} catch (e) {
				/* skip this frame */
			}
			return;
		}

		ce = attrs ? el.getAttribute('contenteditable') : null;
		edit = pedit;
		ceHost = false;
		if (ce !== null) {
			ce = ce.toLowerCase();
			if (ce === '' || ce === 'true' ||
			    ce === 'plaintext-only') {
				ceHost = !pedit;
				edit = true;
			} else if (ce === 'false')
				edit = false;
		}

		p = null;
		cinter = inter;
		try {
			k = classify(el, tag, attrs, ptr, pptr, pedit, ceHost);
			if (k !== null && inter && !k.native)
				k = null;
			if (k !== null && S.modals.length > 0 && !top &&
			    !inTopLayer(el))
				k = null;
			if (k !== null &&
			    (vb = renderedBox(el, cclip, k.container)) !== null) {
				p = {
					el: el, tag: tag, k: k, vb: vb,
					ptr: k.heur && ptr && !pptr,
					end: 0, dead: false,
					/* Shapes hit tests must confirm. */
					hit: cs !== null &&
					    (cs.pointerEvents === 'none' ||
					    cs.clipPath !== 'none')
				};
				S.cands.push(p);
				if (k.container)
					cinter = true;
				if (S.cands.length >= CANDS_MAX)
					S.done = true;
			}
		} catch (e) {
			p = null;
		}

		/* Children clip to this element's padding box. */
		sr = shadowOf(el);
		kids = sr !== null ? sr : el;
		if (cs !== null && disp !== 'inline' && disp !== 'contents' &&
		    tag !== 'html' && tag !== 'body' &&
		    kids.firstElementChild !== null &&
		    cs.overflow !== 'visible')
			cclip = { el: el, up: cclip, r: null };

		/* Walk the flat tree: shadow content, then slots' nodes. */
		if (tag === 'slot' && typeof el.assignedElements ===
		    'function') {
			slot = el.assignedElements();
			if (slot.length > 0) {
				for (i = 0; i < slot.length; i++)
					visit(slot[i], ptr, cinter, edit, cclip,
					    top, cfl, depth + 1);
				kids = null;
			}
		}
		if (kids !== null)
			for (c = kids.firstElementChild; c;
			    c = c.nextElementSibling) {
				try {
					visit(c, ptr, cinter, edit, cclip, top,
					    cfl, depth + 1);
				} catch (e) {
					/* a strange subtree: skip it */
				}
			}
		if (p !== null)
			p.end = S.cands.length;
	}

	/* Returns true if rect a {l, t, r, b} and rect b overlap. */
	function overlaps(a, b) {
		return a.l < b.r && b.l < a.r && a.t < b.b && b.t < a.b;
	}

	/*
	 * Phase 2: drops candidates that are fully covered, and wrappers.
	 * A candidate is hit-tested only if a positioned element that is not
	 * its ancestor or descendant overlaps it (elements in normal flow do
	 * not paint over each other), since hit tests are the dear part.
	 * Then a candidate found only through a listener or cursor that is
	 * really a wrapper goes: one whose box is (nearly) the box of a
	 * candidate inside it; and a listener-only one (no pointer cursor)
	 * holding two candidates, or one while covering over a quarter of
	 * the viewport, is taken for event delegation.
	 */
	function settle() {
		var cands = S.cands, occ = S.occ;
		var area = S.vw * S.vh;
		var i, j, n, p, o, need;

		for (i = 0; i < cands.length; i++) {
			p = cands[i];
			need = p.hit;
			for (j = 0; j < occ.length && !need; j++) {
				o = occ[j];
				if (!overlaps(o, p.vb.clip) || o.el === p.el ||
				    flatContains(o.el, p.el) ||
				    flatContains(p.el, o.el))
					continue;
				need = true;
			}
			try {
				if (need && !hitTest(p.el, p.vb.clip))
					p.dead = true;
			} catch (e) {
				p.dead = true;
			}
		}
		for (i = cands.length - 1; i >= 0; i--) {
			p = cands[i];
			if (p.dead || !p.k.heur)
				continue;
			n = 0;
			for (j = i + 1; j < p.end; j++) {
				if (cands[j].dead)
					continue;
				n++;
				if (rectIou(p.vb.clip, cands[j].vb.clip) > 0.8) {
					p.dead = true;
					break;
				}
			}
			if (!p.dead && !p.ptr && (n >= 2 || (n >= 1 &&
			    p.vb.rect.width * p.vb.rect.height > area / 4)))
				p.dead = true;
		}
	}

	/* Returns the intersection over union of rects a and b. */
	function rectIou(a, b) {
		var x0 = Math.max(a.l, b.l), y0 = Math.max(a.t, b.t);
		var x1 = Math.min(a.r, b.r), y1 = Math.min(a.b, b.b);
		var i, u;

		if (x1 <= x0 || y1 <= y0)
			return 0;
		i = (x1 - x0) * (y1 - y0);
		u = (a.r - a.l) * (a.b - a.t) + (b.r - b.l) * (b.b - b.t) - i;
		return u > 0 ? i / u : 0;
	}

	/* Returns the open modal dialogs and popovers of doc. */
	function findModals(doc) {
		var out = [];
		var list, i;

		try {
			list = doc.querySelectorAll('dialog:modal');
			for (i = 0; i < list.length; i++)
				out.push(list[i]);
		} catch (e) {
			/* :modal unsupported */
		}
		if (out.length === 0)
			return out;
		try {
			list = doc.querySelectorAll(':popover-open');
			for (i = 0; i < list.length; i++)
				out.push(list[i]);
		} catch (e) {
			/* no popovers */
		}
		return out;
	}

	/*
	 * Sorts marks into reading order: rows, then left to right.  A row
	 * starts at the topmost mark not yet placed and takes every mark whose
	 * top is within 8 px of it, so that a row of controls of different
	 * heights, centred on one line, stays one row.
	 */
	function readingOrder(marks) {
		var i, j, row0;

		marks.sort(function (a, b) {
			if (a.box.y !== b.box.y)
				return a.box.y - b.box.y;
			return a.box.x - b.box.x;
		});
		row0 = 0;
		for (i = 0; i < marks.length; i++) {
			if (marks[i].box.y - marks[row0].box.y > 8)
				row0 = i;
			marks[i]._row = row0;
		}
		for (i = 0; i < marks.length; i++)
			marks[i]._i = i;
		marks.sort(function (a, b) {
			if (a._row !== b._row)
				return a._row - b._row;
			if (a.box.x !== b.box.x)
				return a.box.x - b.box.x;
			return a._i - b._i;
		});
		for (j = 0; j < marks.length; j++)
			delete marks[j]._row;
	}

	/* See the header. */
	function collect(opts) {
		var t0 = performance.now();
		var doc = document;
		var de = doc.documentElement;
		var body = doc.body;
		var out, vw, vh, cw, ch, marks, i, m, p, max;

		opts = opts || {};
		max = typeof opts.max === 'number' && opts.max > 0 ?
		    Math.min(opts.max, MARKS_MAX) : MARKS_MAX;
		vw = W.innerWidth;
		vh = W.innerHeight;
		cw = vw;
		ch = vh;
		if (de && doc.compatMode === 'CSS1Compat') {
			if (de.clientWidth > 0)
				cw = Math.min(cw, de.clientWidth);
			if (de.clientHeight > 0)
				ch = Math.min(ch, de.clientHeight);
		}
		S = {
			vw: vw, vh: vh,
			vp: { l: 0, t: 0, r: cw, b: ch },
			root: null,
			prox: opts.proximity !== false,
			cands: [], occ: [], frames: [], fels: [],
			nodes: 0, done: false,
			active: deepActive(doc),
			modals: findModals(doc),
			ctlvis: new Map(),
			uids: wn.uids
		};
		S.root = { el: null, up: null, r: S.vp };
		out = {
			url: String(location.href),
			title: norm(doc.title || ''),
			vw: vw, vh: vh,
			sx: r2(W.scrollX), sy: r2(W.scrollY),
			dpr: W.devicePixelRatio || 1,
			page_h: r2(Math.max(de ? de.scrollHeight : 0,
			    body ? body.scrollHeight : 0)),
			marks: [], frames: [], ms: 0, nodes: 0,
			truncated: 0
		};
		try {
			if (de)
				visit(de, false, false, false, S.root, false, 0, 0);
		} catch (e) {
			/* keep what was found */
		}
		settle();

		marks = [];
		for (i = 0; i < S.cands.length; i++) {
			p = S.cands[i];
			if (p.dead)
				continue;
			try {
				m = buildMark(p.el, p.tag, p.k, p.vb);
			} catch (e) {
				continue;
			}
			m._el = p.el;
			marks.push(m);
		}
		readingOrder(marks);
		if (marks.length > max) {
			marks.length = max;
			out.truncated = 1;
		}
		if (S.done)
			out.truncated = 1;
		try {
			markContexts(marks);
		} catch (e) {
			/* marks keep ctx '' */
		}
		wn.els = [];
		for (i = 0; i < marks.length; i++) {
			m = marks[i];
			wn.els.push(m._el);
			m.ref = i;
			delete m._el;
			delete m._i;
		}
		wn.fels = S.fels;
		out.marks = marks;
		out.frames = S.frames;
		out.nodes = S.nodes;
		out.ms = r2(performance.now() - t0);
		S = null;
		return out;
	}

	wn.collect = function (opts) {
		try {
			return collect(opts);
		} catch (e) {
			S = null;
			return { error: String(e && e.message || e),
			    url: String(location.href), marks: [], frames: [] };
		}
	};
	wn.el = function (i) {
		return wn.els && i >= 0 && i < wn.els.length ? wn.els[i] : null;
	};
	wn.fel = function (i) {
		return wn.fels && i >= 0 && i < wn.fels.length ? wn.fels[i] :
		    null;
	};
})();
