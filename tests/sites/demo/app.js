/*
 * app.js: the bundled demo shop "Ridgeline Outfitters".
 *
 * Shared header, footer and cookie banner, the catalogue, a cart kept in
 * localStorage, search and filters on the home page, a product page, the
 * cart page and a sign-in form.  Everything is local: system fonts and
 * inline SVG, no network beyond this site.  Each page sets
 * <body data-page="..."> and calls nothing itself.
 */
(function () {
	'use strict';

	var PRODUCTS = [
		{ id: 1, name: 'Summit Backpack 30 L', cat: 'bags', brand: 'Ridgeline', color: 'Blue', hex: '#2f6fd6', price: 79.9, rating: 4.6, pic: 'pack' },
		{ id: 2, name: 'Ridge Daypack 18 L', cat: 'bags', brand: 'Northway', color: 'Green', hex: '#2e8b57', price: 49.9, rating: 4.3, pic: 'pack' },
		{ id: 3, name: 'Storm Shell Jacket', cat: 'clothing', brand: 'Ridgeline', color: 'Red', hex: '#d93025', price: 139, rating: 4.8, pic: 'jacket' },
		{ id: 4, name: 'Down Vest', cat: 'clothing', brand: 'Alpen', color: 'Black', hex: '#2b2b2b', price: 89, rating: 4.1, pic: 'vest' },
		{ id: 5, name: 'Trail Runner Shoes', cat: 'footwear', brand: 'Northway', color: 'Grey', hex: '#7a8290', price: 119, rating: 4.4, pic: 'shoe' },
		{ id: 6, name: 'Wool Hiking Socks (2 pairs)', cat: 'clothing', brand: 'Alpen', color: 'Brown', hex: '#8d5a3b', price: 19.9, rating: 4.7, pic: 'socks' },
		{ id: 7, name: 'Insulated Bottle 750 ml', cat: 'camping', brand: 'Ridgeline', color: 'Teal', hex: '#138a8a', price: 24.9, rating: 4.5, pic: 'bottle' },
		{ id: 8, name: 'Enamel Camp Mug', cat: 'camping', brand: 'Alpen', color: 'White', hex: '#b9c0cb', price: 12.5, rating: 4.0, pic: 'mug' },
		{ id: 9, name: 'Headlamp 300 lm', cat: 'camping', brand: 'Northway', color: 'Orange', hex: '#e8710a', price: 34.9, rating: 4.2, pic: 'lamp' },
		{ id: 10, name: 'Trekking Poles (pair)', cat: 'camping', brand: 'Ridgeline', color: 'Silver', hex: '#8e99a8', price: 69, rating: 4.3, pic: 'poles' },
		{ id: 11, name: 'Sleeping Bag -5 °C', cat: 'camping', brand: 'Alpen', color: 'Navy', hex: '#23395d', price: 159, rating: 4.6, pic: 'bag' },
		{ id: 12, name: 'Two-person Tent', cat: 'camping', brand: 'Northway', color: 'Yellow', hex: '#e0a800', price: 249, rating: 4.5, pic: 'tent' }
	];

	/* Inline SVG icons (24x24 unless noted). */
	var ICONS = {
		logo: '<svg viewBox="0 0 28 28" aria-hidden="true"><path d="M2 24L11 8l5 8 3-5 7 13z" fill="#0b57d0"/><circle cx="21" cy="6" r="3" fill="#ffb000"/></svg>',
		search: '<svg viewBox="0 0 24 24" aria-hidden="true" width="18" height="18"><circle cx="10" cy="10" r="6" stroke="currentColor" stroke-width="2" fill="none"/><path d="M15 15l6 6" stroke="currentColor" stroke-width="2"/></svg>',
		user: '<svg viewBox="0 0 24 24" aria-hidden="true"><circle cx="12" cy="8" r="4" fill="none" stroke="currentColor" stroke-width="2"/><path d="M4 21c1-5 15-5 16 0" fill="none" stroke="currentColor" stroke-width="2"/></svg>',
		cart: '<svg viewBox="0 0 24 24" aria-hidden="true"><path d="M3 4h3l2 11h11l2-8H7" fill="none" stroke="currentColor" stroke-width="2"/><circle cx="9" cy="20" r="1.6"/><circle cx="18" cy="20" r="1.6"/></svg>',
		heart: '<svg viewBox="0 0 24 24" aria-hidden="true"><path d="M12 21s-8-5.3-8-11a4.5 4.5 0 0 1 8-2.8A4.5 4.5 0 0 1 20 10c0 5.7-8 11-8 11z" fill="none" stroke="#d93025" stroke-width="2"/></svg>',
		help: '<svg viewBox="0 0 24 24" aria-hidden="true"><circle cx="12" cy="12" r="9" fill="none" stroke="currentColor" stroke-width="2"/><path d="M9.5 9.5a2.5 2.5 0 1 1 3.5 2.3c-.7.4-1 1-1 1.7M12 17h.01" stroke="currentColor" stroke-width="2" fill="none"/></svg>',
		x: '<svg viewBox="0 0 24 24" aria-hidden="true"><rect x="3" y="3" width="18" height="18" rx="4"/></svg>',
		yt: '<svg viewBox="0 0 24 24" aria-hidden="true"><path d="M3 7c0-2 1-3 3-3h12c2 0 3 1 3 3v10c0 2-1 3-3 3H6c-2 0-3-1-3-3z M10 9v6l5-3z"/></svg>',
		ig: '<svg viewBox="0 0 24 24" aria-hidden="true"><path d="M7 3h10a4 4 0 0 1 4 4v10a4 4 0 0 1-4 4H7a4 4 0 0 1-4-4V7a4 4 0 0 1 4-4zm5 5a4 4 0 1 0 0 8 4 4 0 0 0 0-8z"/></svg>'
	};

	/* Product pictures: a simple shape in the product's colour. */
	function picture(p) {
		var c = p.hex;
		var shapes = {
			pack: '<rect x="22" y="18" width="40" height="54" rx="10" fill="' + c + '"/><rect x="30" y="40" width="24" height="18" rx="4" fill="#fff" opacity=".5"/><path d="M32 18c0-10 20-10 20 0" stroke="' + c + '" stroke-width="4" fill="none"/>',
			jacket: '<path d="M28 14l14 8 14-8 14 14-8 8v36H22V36l-8-8z" fill="' + c + '"/><path d="M42 22v50" stroke="#fff" stroke-width="2"/>',
			vest: '<path d="M28 14l14 10 14-10 6 8v50H22V22z" fill="' + c + '"/>',
			shoe: '<path d="M12 56c10 0 16-14 26-14l16 10c10 6 20 6 20 14H12z" fill="' + c + '"/><rect x="12" y="66" width="62" height="5" fill="#333"/>',
			socks: '<path d="M30 12h16v38l12 12-10 10-18-18z" fill="' + c + '"/>',
			bottle: '<rect x="32" y="10" width="20" height="10" rx="3" fill="#444"/><rect x="28" y="20" width="28" height="56" rx="8" fill="' + c + '"/>',
			mug: '<rect x="20" y="26" width="36" height="40" rx="4" fill="' + c + '"/><path d="M56 34h8a8 8 0 0 1 0 16h-8" stroke="' + c + '" stroke-width="5" fill="none"/>',
			lamp: '<rect x="14" y="36" width="56" height="10" rx="5" fill="#333"/><circle cx="42" cy="41" r="13" fill="' + c + '"/><circle cx="42" cy="41" r="6" fill="#fff6"/>',
			poles: '<path d="M30 10l8 66M54 10l-8 66" stroke="' + c + '" stroke-width="5"/>',
			bag: '<rect x="18" y="24" width="48" height="40" rx="20" fill="' + c + '"/>',
			tent: '<path d="M10 70L42 16l32 54z" fill="' + c + '"/><path d="M42 16v54M34 70l8-20 8 20" stroke="#0004" stroke-width="3" fill="none"/>'
		};
		return '<svg viewBox="0 0 84 84" role="img" aria-label="' + esc(p.name) + '">' + (shapes[p.pic] || '') + '</svg>';
	}

	/* Escapes text for HTML. */
	function esc(s) {
		return String(s).replace(/[&<>"]/g, function (ch) {
			return { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' }[ch];
		});
	}

	function money(v) {
		return v.toFixed(2).replace('.', ',') + ' €';
	}

	function stars(r) {
		var full = Math.round(r);
		return '<span class="rating" title="' + r + ' out of 5">' + '★★★★★'.slice(0, full) + '☆☆☆☆☆'.slice(0, 5 - full) + ' ' + r.toFixed(1) + '</span>';
	}

	/* Storage that still works where localStorage is refused. */
	var mem = {};
	function load(key, dflt) {
		var v;

		try {
			v = window.localStorage.getItem(key);
		} catch (e) {
			v = mem[key] === undefined ? null : mem[key];
		}
		if (v === null)
			return dflt;
		try {
			return JSON.parse(v);
		} catch (e) {
			return dflt;
		}
	}
	function save(key, val) {
		var v = JSON.stringify(val);

		try {
			window.localStorage.setItem(key, v);
		} catch (e) {
			mem[key] = v;
		}
	}

	function cart() {
		return load('ridgeline-cart', {});
	}
	function cartCount() {
		var c = cart(), n = 0, k;

		for (k in c)
			n += c[k];
		return n;
	}
	function addToCart(id, qty) {
		var c = cart();

		c[id] = (c[id] || 0) + (qty || 1);
		save('ridgeline-cart', c);
		updateBadge();
		toast('Added to cart: ' + byId(id).name);
	}
	function byId(id) {
		var i;

		for (i = 0; i < PRODUCTS.length; i++)
			if (PRODUCTS[i].id === +id)
				return PRODUCTS[i];
		return null;
	}

	function updateBadge() {
		var b = document.getElementById('cart-count');

		if (b)
			b.textContent = String(cartCount());
	}

	function toast(msg) {
		var t = document.createElement('div');

		t.className = 'toast';
		t.setAttribute('role', 'status');
		t.textContent = msg;
		document.body.appendChild(t);
		setTimeout(function () {
			t.remove();
		}, 2500);
	}

	function header() {
		var user = load('ridgeline-user', null);
		var q = new URLSearchParams(location.search);
		var h = document.createElement('div');
		var main;

		h.innerHTML =
		    '<div class="promo"><div class="wrap promo-row">' +
		    '<span class="util"><a href="help.html#stores">Stores</a><a href="help.html#gift">Gift cards</a><a href="help.html#track">Track my order</a></span>' +
		    '<span>Free shipping on orders over 50 € · <a href="index.html?sale=1">Winter sale: up to 40 % off</a></span>' +
		    '</div></div>' +
		    '<header class="top"><div class="wrap">' +
		    '<div class="bar">' +
		    '<a class="logo" href="index.html">' + ICONS.logo + 'Ridgeline Outfitters</a>' +
		    '<form class="search" role="search" action="index.html" method="get">' +
		    '<select name="cat" aria-label="Category"><option value="">All</option><option value="bags">Bags</option><option value="clothing">Clothing</option><option value="footwear">Footwear</option><option value="camping">Camping</option></select>' +
		    '<input type="search" name="q" placeholder="Search products" aria-label="Search products" value="' + esc(q.get('q') || '') + '">' +
		    '<button type="submit">' + ICONS.search + ' Search</button>' +
		    '</form>' +
		    '<div class="icons">' +
		    '<a href="help.html" title="Help">' + ICONS.help + '</a>' +
		    (user ? '<a href="login.html">' + ICONS.user + ' ' + esc(user) + '</a>' :
		    '<a href="login.html">' + ICONS.user + ' Sign in</a>') +
		    '<a href="cart.html" aria-label="Cart">' + ICONS.cart + '<span class="badge" id="cart-count">0</span></a>' +
		    '</div></div>' +
		    '<nav class="cats" aria-label="Categories">' +
		    '<a href="index.html?new=1">New in</a><a href="index.html?q=women">Women</a><a href="index.html?q=men">Men</a>' +
		    '<a href="index.html?cat=bags">Bags</a><a href="index.html?cat=clothing">Clothing</a>' +
		    '<a href="index.html?cat=footwear">Footwear</a><a href="index.html?cat=camping">Camping</a>' +
		    '<a href="index.html?brand=Ridgeline">Brands</a><a class="sale" href="index.html?sale=1">Sale</a>' +
		    '</nav></div></header>';
		main = document.querySelector('main');
		while (h.firstChild)
			document.body.insertBefore(h.firstChild, main);
		if (q.get('cat'))
			document.querySelector('.search select').value = q.get('cat');
		updateBadge();
	}

	function footer() {
		var f = document.createElement('footer');

		f.innerHTML = '<div class="wrap cols">' +
		    '<div><h4>Company</h4><a href="help.html#about">About us</a><a href="help.html#careers">Careers</a><a href="help.html#press">Press</a></div>' +
		    '<div><h4>Help</h4><a href="help.html#shipping">Shipping</a><a href="help.html#returns">Returns</a><a href="help.html#contact">Contact us</a></div>' +
		    '<div><h4>Legal</h4><a href="help.html#privacy">Privacy</a><a href="help.html#terms">Terms of sale</a><a href="help.html#cookies">Cookie settings</a></div>' +
		    '<div><h4>Follow us</h4><div class="social"><a href="help.html#x" aria-label="X">' + ICONS.x + '</a><a href="help.html#youtube" aria-label="YouTube">' + ICONS.yt + '</a><a href="help.html#instagram" aria-label="Instagram">' + ICONS.ig + '</a></div>' +
		    '<p><label>Language <select id="lang"><option>English</option><option>Français</option><option>Deutsch</option></select></label></p></div>' +
		    '</div>';
		document.body.appendChild(f);
	}

	function cookieBanner() {
		var b;

		if (load('ridgeline-cookies', null) !== null)
			return;
		b = document.createElement('div');
		b.className = 'cookie';
		b.setAttribute('role', 'region');
		b.setAttribute('aria-label', 'Cookie consent');
		b.innerHTML = '<div class="wrap"><p>We use cookies to remember your cart and to measure how the shop is used. ' +
		    '<a href="help.html#cookies">Learn more</a></p>' +
		    '<button type="button" class="btn secondary small" data-c="rejected">Reject all</button>' +
		    '<button type="button" class="btn small" data-c="accepted">Accept all</button></div>';
		b.addEventListener('click', function (e) {
			var c = e.target.closest('button');

			if (!c)
				return;
			save('ridgeline-cookies', c.getAttribute('data-c'));
			b.remove();
		});
		document.body.appendChild(b);
	}

	var SWATCH = { Blue: '#2f6fd6', Green: '#2e8b57', Red: '#d93025', Black: '#2b2b2b', Grey: '#7a8290', Brown: '#8d5a3b', Teal: '#138a8a', White: '#e8eaed', Orange: '#e8710a', Silver: '#8e99a8', Navy: '#23395d', Yellow: '#e0a800' };
	var OTHER = ['Black', 'Grey', 'Navy'];

	/* Colour choices of a product: its own and two others. */
	function colours(p) {
		var out = [p.color];
		var i;

		for (i = 0; i < OTHER.length && out.length < 3; i++)
			if (OTHER[i] !== p.color)
				out.push(OTHER[i]);
		return out;
	}

	function card(p) {
		var wished = load('ridgeline-wish', {})[p.id] === true;
		var sw = colours(p).map(function (c, i) {
			return '<button type="button" class="swatch" style="background:' + SWATCH[c] + '" aria-label="' + c + '" aria-pressed="' + (i === 0) + '"></button>';
		}).join('');

		return '<article class="card" data-id="' + p.id + '">' +
		    '<a class="pic" href="product.html?id=' + p.id + '" tabindex="-1" aria-hidden="true">' + picture(p) + '</a>' +
		    '<button type="button" class="wish" aria-label="Add ' + esc(p.name) + ' to wish list" aria-pressed="' + wished + '">' + ICONS.heart + '</button>' +
		    '<h3><a href="product.html?id=' + p.id + '">' + esc(p.name) + '</a></h3>' +
		    '<div>' + esc(p.brand) + ' · ' + esc(p.color) + '</div>' +
		    '<div class="swatches" role="group" aria-label="Colours">' + sw + '</div>' +
		    stars(p.rating) + ' <label class="compare"><input type="checkbox" name="compare" value="' + p.id + '"> Compare</label>' +
		    '<div class="actions"><span class="price">' + money(p.price) + '</span>' +
		    '<button type="button" class="btn small add" data-id="' + p.id + '">Add to cart</button></div>' +
		    '</article>';
	}

	/* Home page: search, filters, sort and the product grid. */
	function initIndex() {
		var q = new URLSearchParams(location.search);
		var grid = document.getElementById('grid');
		var form = document.getElementById('filters');
		var sortSel = document.getElementById('sort');
		var count = document.getElementById('count');

		function render() {
			var text = (q.get('q') || '').toLowerCase();
			var cat = q.get('cat') || '';
			var brands = Array.prototype.map.call(form.querySelectorAll('input[name=brand]:checked'), function (i) { return i.value; });
			var min = parseFloat(form.elements.min.value) || 0;
			var max = parseFloat(form.elements.max.value) || Infinity;
			var rating = parseFloat((form.querySelector('input[name=rating]:checked') || {}).value) || 0;
			var list = PRODUCTS.filter(function (p) {
				return (!text || (p.name + ' ' + p.color + ' ' + p.brand).toLowerCase().indexOf(text) !== -1) &&
				    (!cat || p.cat === cat) &&
				    (brands.length === 0 || brands.indexOf(p.brand) !== -1) &&
				    p.price >= min && p.price <= max && p.rating >= rating;
			});

			switch (sortSel.value) {
			case 'price-asc':
				list.sort(function (a, b) { return a.price - b.price; });
				break;
			case 'price-desc':
				list.sort(function (a, b) { return b.price - a.price; });
				break;
			case 'rating':
				list.sort(function (a, b) { return b.rating - a.rating; });
				break;
			}
			count.textContent = list.length + (list.length === 1 ? ' product' : ' products') +
			    (text ? ' for “' + q.get('q') + '”' : '');
			grid.innerHTML = list.length ? list.map(card).join('') :
			    '<p>No products match. <a href="index.html">Clear the search</a></p>';
		}
		if (q.get('brand'))
			Array.prototype.forEach.call(form.querySelectorAll('input[name=brand]'), function (i) {
				i.checked = i.value === q.get('brand');
			});
		form.addEventListener('submit', function (e) {
			e.preventDefault();
			render();
		});
		document.getElementById('clear').addEventListener('click', function () {
			form.reset();
			render();
		});
		sortSel.addEventListener('change', render);
		grid.addEventListener('click', function (e) {
			var add = e.target.closest('button.add');
			var wish = e.target.closest('button.wish');
			var sw = e.target.closest('button.swatch');
			var w;

			if (sw)
				Array.prototype.forEach.call(sw.parentNode.children, function (b) {
					b.setAttribute('aria-pressed', String(b === sw));
				});
			if (add)
				addToCart(+add.getAttribute('data-id'), 1);
			if (wish) {
				w = load('ridgeline-wish', {});
				w[wish.closest('.card').getAttribute('data-id')] = wish.getAttribute('aria-pressed') !== 'true';
				save('ridgeline-wish', w);
				wish.setAttribute('aria-pressed', String(wish.getAttribute('aria-pressed') !== 'true'));
			}
		});
		document.getElementById('news').addEventListener('submit', function (e) {
			var m = document.getElementById('news-msg');
			var v = this.elements.email.value.trim();

			e.preventDefault();
			m.className = /^[^@\s]+@[^@\s]+\.[^@\s]+$/.test(v) ? 'ok' : 'error';
			m.textContent = m.className === 'ok' ? 'Thanks! Check ' + v + ' to confirm.' : 'Please enter a valid email address.';
		});
		render();
	}

	/* Product page: size, quantity, add to cart, tabs. */
	function initProduct() {
		var p = byId(new URLSearchParams(location.search).get('id')) || PRODUCTS[0];
		var tabs;

		document.title = p.name + ' – Ridgeline Outfitters';
		document.getElementById('pname').textContent = p.name;
		document.getElementById('crumb').textContent = p.name;
		document.getElementById('ppic').innerHTML = picture(p);
		document.getElementById('pprice').textContent = money(p.price);
		document.getElementById('pmeta').innerHTML = esc(p.brand) + ' · ' + esc(p.color) + ' · ' + stars(p.rating);
		document.getElementById('buy').addEventListener('submit', function (e) {
			e.preventDefault();
			addToCart(p.id, Math.max(1, Math.min(10, parseInt(this.elements.qty.value, 10) || 1)));
		});
		tabs = document.querySelectorAll('[role=tab]');
		Array.prototype.forEach.call(tabs, function (t) {
			t.addEventListener('click', function () {
				Array.prototype.forEach.call(tabs, function (u) {
					var on = u === t;

					u.setAttribute('aria-selected', String(on));
					document.getElementById(u.getAttribute('aria-controls')).hidden = !on;
				});
			});
		});
	}

	/* Cart page: quantities, removal, checkout. */
	function initCart() {
		var body = document.getElementById('cart-body');
		var total = document.getElementById('total');

		function render() {
			var c = cart(), sum = 0, rows = '', k, p;

			for (k in c) {
				p = byId(k);
				if (!p || c[k] <= 0)
					continue;
				sum += p.price * c[k];
				rows += '<tr data-id="' + p.id + '"><td><a href="product.html?id=' + p.id + '">' + esc(p.name) + '</a></td>' +
				    '<td>' + money(p.price) + '</td>' +
				    '<td><input type="number" min="0" max="10" value="' + c[k] + '" aria-label="Quantity of ' + esc(p.name) + '"></td>' +
				    '<td>' + money(p.price * c[k]) + '</td>' +
				    '<td><button type="button" class="btn secondary small remove">Remove</button></td></tr>';
			}
			body.innerHTML = rows || '<tr><td colspan="5">Your cart is empty. <a href="index.html">Continue shopping</a></td></tr>';
			total.textContent = money(sum);
			document.getElementById('checkout').disabled = sum === 0;
			updateBadge();
		}
		body.addEventListener('change', function (e) {
			var c = cart(), id = e.target.closest('tr').getAttribute('data-id');

			c[id] = Math.max(0, Math.min(10, parseInt(e.target.value, 10) || 0));
			save('ridgeline-cart', c);
			render();
		});
		body.addEventListener('click', function (e) {
			var c;

			if (!e.target.closest('button.remove'))
				return;
			c = cart();
			delete c[e.target.closest('tr').getAttribute('data-id')];
			save('ridgeline-cart', c);
			render();
		});
		document.getElementById('checkout').addEventListener('click', function () {
			save('ridgeline-cart', {});
			render();
			document.getElementById('done').textContent = 'Thank you! Your order has been placed.';
		});
		render();
	}

	/* Sign-in page: checks the fields and "signs in". */
	function initLogin() {
		var form = document.getElementById('login');
		var msg = document.getElementById('login-msg');

		form.addEventListener('submit', function (e) {
			var email = form.elements.email.value.trim();
			var pw = form.elements.password.value;

			e.preventDefault();
			if (!/^[^@\s]+@[^@\s]+\.[^@\s]+$/.test(email)) {
				msg.className = 'error';
				msg.textContent = 'Enter the email address of your account.';
				return;
			}
			if (pw.length < 6) {
				msg.className = 'error';
				msg.textContent = 'The password must have at least 6 characters.';
				return;
			}
			save('ridgeline-user', email);
			msg.className = 'ok';
			msg.textContent = 'Signed in as ' + email + '.';
		});
		document.getElementById('signout').addEventListener('click', function () {
			save('ridgeline-user', null);
			msg.className = 'ok';
			msg.textContent = 'Signed out.';
		});
	}

	document.addEventListener('DOMContentLoaded', function () {
		var page = document.body.getAttribute('data-page');

		header();
		footer();
		cookieBanner();
		if (page === 'index')
			initIndex();
		else if (page === 'product')
			initProduct();
		else if (page === 'cart')
			initCart();
		else if (page === 'login')
			initLogin();
	});
})();
