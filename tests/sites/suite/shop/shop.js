/*
 * shop.js: Fernhill Outdoor, a shop of ~165 products in eight categories.
 * Every page has <body data-page=...>; this file draws the header and
 * footer and the page's content.  The catalog comes from a fixed
 * pseudo-random generator plus the products the suite's tasks name; the
 * cart, wishlist and orders live in localStorage ("fernhill").
 * FH.seed(state) replaces the stored state and redraws (tasks' setup_js).
 */
'use strict';

(function () {
	var KEY = 'fernhill';
	var CATS = [['tents', 'Tents'], ['backpacks', 'Backpacks'],
	    ['jackets', 'Jackets'], ['footwear', 'Footwear'],
	    ['sleeping-bags', 'Sleeping bags'], ['cookware', 'Cookware'],
	    ['lighting', 'Lighting'], ['accessories', 'Accessories']];
	var COUPONS = { TRAIL15: 0.15, WELCOME10: 0.10 };
	var seed = 77;
	function rnd() {
		seed = (seed * 1103515245 + 12345) % 2147483648;
		return seed / 2147483648;
	}
	function pick(a) { return a[Math.floor(rnd() * a.length)]; }

	/* ---- catalog ---- */
	var P = [];
	function add(id, name, brand, cat, price, o) {
		o = o || {};
		P.push({ id: id, name: name, brand: brand, cat: cat, price: price,
		    was: o.was || 0, rating: o.rating || 4.2, reviews: o.reviews || 18,
		    colors: o.colors || ['Black'], sizes: o.sizes || null,
		    cap: o.cap || 0, weight: o.weight || 900, added: o.added || 40,
		    desc: o.desc || '' });
	}
	add('kestrel-38', 'Kestrel 38 Backpack', 'Corvid', 'backpacks', 129, { colors: ['Slate', 'Olive', 'Rust'], rating: 4.6, reviews: 212, weight: 1180, desc: 'A 38-litre pack for long day hikes and hut-to-hut trips, with a ventilated back panel and hip-belt pockets.' });
	add('kestrel-48', 'Kestrel 48 Backpack', 'Corvid', 'backpacks', 149, { colors: ['Slate', 'Black'], rating: 4.5, reviews: 97, weight: 1420 });
	add('kestrel-22', 'Kestrel 22 Daypack', 'Corvid', 'backpacks', 79, { colors: ['Olive', 'Sand'], rating: 4.3, reviews: 61, weight: 640 });
	add('alpenglow-ridge-2', 'Alpenglow Ridge 2 Tent', 'Alpenglow', 'tents', 289, { cap: 2, rating: 4.7, reviews: 88, colors: ['Green'], weight: 1650 });
	add('alpenglow-halo-2', 'Alpenglow Halo 2 Tent', 'Alpenglow', 'tents', 249, { cap: 2, rating: 4.4, reviews: 45, colors: ['Orange'], weight: 1890 });
	add('alpenglow-basecamp-4', 'Alpenglow Basecamp 4 Tent', 'Alpenglow', 'tents', 199, { cap: 4, rating: 4.1, reviews: 39, colors: ['Green'], weight: 5200 });
	add('alpenglow-solo-1', 'Alpenglow Solo 1 Tent', 'Alpenglow', 'tents', 179, { cap: 1, rating: 4.5, reviews: 52, colors: ['Yellow'], weight: 990 });
	add('alpenglow-arc-3', 'Alpenglow Arc 3 Tent', 'Alpenglow', 'tents', 319, { cap: 3, rating: 4.6, reviews: 30, colors: ['Green'], weight: 2600 });
	add('tarn-lite-2', 'Tarn Lite 2 Tent', 'Tarnwood', 'tents', 149, { cap: 2, rating: 3.9, reviews: 120, colors: ['Grey'], weight: 2100 });
	add('northmark-dome-2', 'Northmark Dome 2 Tent', 'Northmark', 'tents', 189, { cap: 2, rating: 4.0, reviews: 74, colors: ['Blue'], weight: 2300 });
	add('lumo-400', 'Lumo 400 Headlamp', 'Lumo', 'lighting', 39, { rating: 4.6, reviews: 301, weight: 86 });
	add('summit-socks', 'Summit Merino Hiking Socks', 'Summit', 'accessories', 19, { sizes: ['S', 'M', 'L'], colors: ['Charcoal', 'Heather'], rating: 4.8, reviews: 540, weight: 80 });
	add('ridge-runner', 'Ridge Runner Trail Shoes', 'Fjellstad', 'footwear', 139, { sizes: ['39', '40', '41', '42', '43', '44', '45', '46'], colors: ['Graphite', 'Moss'], rating: 4.5, reviews: 143, weight: 620 });
	add('ridge-runner-gtx', 'Ridge Runner GTX Trail Shoes', 'Fjellstad', 'footwear', 169, { sizes: ['39', '40', '41', '42', '43', '44', '45', '46'], colors: ['Graphite'], rating: 4.4, reviews: 66, weight: 680 });
	add('nimbus-0', 'Nimbus 0° Sleeping Bag', 'Northmark', 'sleeping-bags', 259, { rating: 4.7, reviews: 23, colors: ['Red'], weight: 1100, desc: 'Down sleeping bag with a comfort rating of 0 °C and a limit of -6 °C.' });
	add('nimbus-5', 'Nimbus 5° Sleeping Bag', 'Northmark', 'sleeping-bags', 229, { rating: 4.5, reviews: 31, colors: ['Blue'], weight: 900 });
	add('nimbus-m10', 'Nimbus -10° Sleeping Bag', 'Northmark', 'sleeping-bags', 349, { rating: 4.8, reviews: 12, colors: ['Black'], weight: 1500 });
	add('trekker-pot', 'Trekker Titanium Pot 750 ml', 'Cairn & Co', 'cookware', 45, { rating: 4.6, reviews: 77, colors: ['Titanium'], weight: 103 });
	add('trekker-mug', 'Trekker Titanium Mug 450 ml', 'Cairn & Co', 'cookware', 29, { rating: 4.4, reviews: 48, colors: ['Titanium'], weight: 68 });

	var MODELS = ['Aspen', 'Birch', 'Cedar', 'Drift', 'Ember', 'Flint',
	    'Gale', 'Heath', 'Iris', 'Juniper', 'Kite', 'Larch', 'Moor', 'Nook',
	    'Oak', 'Pine', 'Quill', 'Rowan', 'Sorrel', 'Thistle'];
	var BRANDS = ['Tarnwood', 'Northmark', 'Fjellstad', 'Cairn & Co',
	    'Summit', 'Corvid', 'Lumo', 'Bramble'];
	var NOUN = {
		tents: ['Tent'], backpacks: ['Pack', 'Travel Pack', 'Daypack'],
		jackets: ['Rain Jacket', 'Insulated Jacket', 'Fleece', 'Softshell'],
		footwear: ['Hiking Boots', 'Approach Shoes', 'Sandals'],
		'sleeping-bags': ['Sleeping Bag', 'Quilt'],
		cookware: ['Stove', 'Pan Set', 'Cook Kit', 'Kettle'],
		lighting: ['Lantern', 'Torch'],
		accessories: ['Trekking Poles', 'Gaiters', 'Beanie', 'Gloves', 'Water Filter']
	};
	var COLORS = ['Black', 'Navy', 'Forest', 'Rust', 'Sand', 'Slate', 'Berry'];
	CATS.forEach(function (c) {
		var n, i, nm, b, noun, price, o;
		for (i = 0; i < 18; i++) {
			nm = MODELS[(i * 7 + c[0].length) % MODELS.length];
			noun = pick(NOUN[c[0]]);
			b = pick(BRANDS);
			price = Math.round(20 + rnd() * 260) - 0.01;
			o = { rating: Math.round((3.2 + rnd() * 1.7) * 10) / 10,
			    reviews: Math.floor(rnd() * 400), colors: [pick(COLORS), pick(COLORS)]
			    .filter(function (x, k, a) { return a.indexOf(x) === k; }),
			    weight: Math.floor(200 + rnd() * 2000), added: Math.floor(rnd() * 90) };
			if (c[0] === 'tents') {
				o.cap = 1 + Math.floor(rnd() * 4);
				noun = o.cap + 'P Tent';
				price = Math.round(160 + rnd() * 300) - 0.01;
			}
			if (c[0] === 'footwear')
				o.sizes = ['38', '39', '40', '41', '42', '43', '44', '45', '46'];
			if (c[0] === 'jackets')
				o.sizes = ['XS', 'S', 'M', 'L', 'XL'];
			if (rnd() < 0.15)
				o.was = Math.round(price * 1.25);
			n = b + ' ' + nm + ' ' + noun;
			add(c[0] + '-' + nm.toLowerCase() + '-' + i, n, b, c[0], price, o);
		}
	});
	function prod(id) {
		return P.filter(function (p) { return p.id === id; })[0];
	}
	function catName(c) {
		var i;
		for (i = 0; i < CATS.length; i++)
			if (CATS[i][0] === c)
				return CATS[i][1];
		return c;
	}

	/* ---- state ---- */
	var S;
	function load() {
		try {
			S = JSON.parse(localStorage.getItem(KEY));
		} catch (e) {
			S = null;
		}
		S = S || {};
		S.cart = S.cart || [];
		S.wishlist = S.wishlist || [];
		S.orders = S.orders || [];
		S.coupon = S.coupon || null;
	}
	function save() {
		localStorage.setItem(KEY, JSON.stringify(S));
	}

	/* ---- helpers ---- */
	function $(s) { return document.querySelector(s); }
	function esc(s) {
		return String(s).replace(/[&<>"]/g, function (c) {
			return { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' }[c]; });
	}
	function money(v) { return '€' + v.toFixed(2); }
	function q(name) { return new URLSearchParams(location.search).get(name); }
	function stars(r) {
		var s = '', i;
		for (i = 1; i <= 5; i++)
			s += r >= i ? '★' : r >= i - 0.5 ? '⯪' : '☆';
		return s;
	}
	function swatch(p) {
		var h = 0, i;
		for (i = 0; i < p.id.length; i++)
			h = (h * 31 + p.id.charCodeAt(i)) % 360;
		return 'linear-gradient(135deg, hsl(' + h + ',35%,70%), hsl(' +
		    ((h + 40) % 360) + ',30%,45%))';
	}
	function cartCount() {
		return S.cart.reduce(function (a, l) { return a + l.qty; }, 0);
	}

	function header() {
		var cur = document.body.dataset.cat || '';
		var h = '<div class="promo">Free delivery on orders over €60 · 30-day returns · ' +
		    '<a href="help.html">Help &amp; contact</a></div>' +
		    '<header class="top"><div class="top-in"><a class="logo" href="index.html">Fernhill Outdoor</a>' +
		    '<form action="search.html" role="search"><input type="search" name="q" ' +
		    'placeholder="Search gear, brands and more" aria-label="Search the shop" value="' +
		    esc(q('q') || '') + '"><button type="submit">Search</button></form>' +
		    '<nav class="util" aria-label="Account"><a href="wishlist.html">♡ Wishlist (' +
		    S.wishlist.length + ')</a><a href="help.html">Sign in</a>' +
		    '<a href="cart.html" id="cart-link">Cart (' + cartCount() + ')</a></nav></div></header>' +
		    '<nav class="cats" aria-label="Categories"><ul>';
		CATS.forEach(function (c) {
			h += '<li><a href="category.html?c=' + c[0] + '"' + (cur === c[0] ?
			    ' class="on" aria-current="page"' : '') + '>' + c[1] + '</a></li>';
		});
		h += '<li><a href="category.html?c=sale">Sale</a></li></ul></nav>';
		document.body.insertAdjacentHTML('afterbegin', h);
	}
	function footer() {
		var cols = [['Shop', ['New arrivals', 'Best sellers', 'Gift cards', 'Sale', 'Brands']],
		    ['Help', ['Delivery', 'Returns', 'Size guides', 'Track your order', 'Contact us']],
		    ['About', ['Our story', 'Stores', 'Careers', 'Sustainability', 'Press']],
		    ['Legal', ['Terms', 'Privacy', 'Cookies', 'Imprint', 'Accessibility']]];
		var h = '<footer><div class="cols">';
		cols.forEach(function (c) {
			h += '<div><h4>' + c[0] + '</h4>';
			c[1].forEach(function (x) { h += '<a href="help.html">' + x + '</a>'; });
			h += '</div>';
		});
		h += '<div><h4>Fernhill Outdoor</h4><p>Gear for every trail since 1998.<br>' +
		    '© 2025 Fernhill Outdoor GmbH</p></div></div></footer>';
		document.body.insertAdjacentHTML('beforeend', h);
	}
	function card(p) {
		return '<div class="card"><div class="img" style="background:' + swatch(p) +
		    '" role="img" aria-label="' + esc(p.name) + '"></div><h3><a href="product.html?id=' +
		    p.id + '">' + esc(p.name) + '</a></h3><div class="stars" title="Rated ' +
		    p.rating + ' out of 5">' + stars(p.rating) + ' <span>(' + p.reviews +
		    ')</span></div><div class="price">' + money(p.price) + (p.was ?
		    '<span class="was">' + money(p.was) + '</span>' : '') + '</div><div>' +
		    esc(p.brand) + '</div></div>';
	}

	/* ---- listing (category and search) ---- */
	function listing(items, title, extraFilters) {
		var main = $('#main'), perPage = 12;
		var brands = {}, caps = {};
		items.forEach(function (p) {
			brands[p.brand] = 1;
			if (p.cap)
				caps[p.cap] = 1;
		});
		var url = new URLSearchParams(location.search);
		var f = { brand: url.getAll('brand'), cap: url.getAll('cap'),
		    max: url.get('max') || '', rating: url.get('rating') || '',
		    sort: url.get('sort') || 'featured', page: parseInt(url.get('page'), 10) || 1 };
		var h = '<div class="crumbs"><a href="index.html">Home</a> / ' + esc(title) +
		    '</div><h1>' + esc(title) + '</h1><div class="layout"><aside class="filters">' +
		    '<form id="filters"><h2>Filter</h2><fieldset><legend>Brand</legend>';
		Object.keys(brands).sort().forEach(function (b) {
			h += '<label><input type="checkbox" name="brand" value="' + esc(b) + '"' +
			    (f.brand.indexOf(b) >= 0 ? ' checked' : '') + '> ' + esc(b) + '</label>';
		});
		h += '</fieldset>';
		if (Object.keys(caps).length) {
			h += '<fieldset><legend>Sleeps</legend>';
			Object.keys(caps).sort().forEach(function (c) {
				h += '<label><input type="checkbox" name="cap" value="' + c + '"' +
				    (f.cap.indexOf(c) >= 0 ? ' checked' : '') + '> ' + c +
				    (c === '1' ? ' person' : ' people') + '</label>';
			});
			h += '</fieldset>';
		}
		h += '<fieldset><legend>Price</legend><label>Up to <select name="max" aria-label="Maximum price">' +
		    '<option value="">Any price</option>';
		[50, 100, 150, 200, 300].forEach(function (m) {
			h += '<option value="' + m + '"' + (f.max === String(m) ? ' selected' : '') +
			    '>€' + m + '</option>';
		});
		h += '</select></label></fieldset><fieldset><legend>Customer rating</legend>';
		[['', 'Any rating'], ['4', '4 stars and up'], ['4.5', '4.5 stars and up']].forEach(function (r) {
			h += '<label><input type="radio" name="rating" value="' + r[0] + '"' +
			    (f.rating === r[0] ? ' checked' : '') + '> ' + r[1] + '</label>';
		});
		h += '</fieldset><button type="button" class="btn alt" id="clear">Clear filters</button></form></aside><section style="flex:1">';
		var shown = items.filter(function (p) {
			return (f.brand.length === 0 || f.brand.indexOf(p.brand) >= 0) &&
			    (f.cap.length === 0 || f.cap.indexOf(String(p.cap)) >= 0) &&
			    (!f.max || p.price <= +f.max) && (!f.rating || p.rating >= +f.rating);
		});
		var sorts = { featured: function (a, b) { return b.reviews - a.reviews; },
		    'price-asc': function (a, b) { return a.price - b.price; },
		    'price-desc': function (a, b) { return b.price - a.price; },
		    rating: function (a, b) { return b.rating - a.rating; },
		    newest: function (a, b) { return a.added - b.added; } };
		shown.sort(sorts[f.sort] || sorts.featured);
		var pages = Math.max(1, Math.ceil(shown.length / perPage));
		if (f.page > pages)
			f.page = pages;
		h += '<div class="results-head"><span>' + shown.length + ' products</span><label>Sort by ' +
		    '<select id="sort" name="sort">';
		[['featured', 'Featured'], ['price-asc', 'Price: low to high'],
		    ['price-desc', 'Price: high to low'], ['rating', 'Customer rating'],
		    ['newest', 'Newest']].forEach(function (s) {
			h += '<option value="' + s[0] + '"' + (f.sort === s[0] ? ' selected' : '') +
			    '>' + s[1] + '</option>';
		});
		h += '</select></label></div><div class="grid">';
		shown.slice((f.page - 1) * perPage, f.page * perPage).forEach(function (p) {
			h += card(p);
		});
		h += '</div>';
		if (shown.length === 0)
			h += '<p>No products match these filters. <a href="#" id="clear2">Clear filters</a></p>';
		if (pages > 1) {
			h += '<nav class="pager" aria-label="Pages">';
			for (var i = 1; i <= pages; i++) {
				url.set('page', i);
				h += i === f.page ? '<span class="cur" aria-current="page">' + i + '</span>' :
				    '<a href="?' + url.toString() + '">' + i + '</a>';
			}
			h += '</nav>';
		}
		h += '</section></div>';
		main.innerHTML = h;
		function apply() {
			var fd = new FormData($('#filters')), u = new URLSearchParams();
			var keep = ['c', 'q'];
			keep.forEach(function (k) { if (q(k)) u.set(k, q(k)); });
			fd.forEach(function (v, k) { if (v !== '') u.append(k, v); });
			u.set('sort', $('#sort').value);
			history.replaceState(null, '', '?' + u.toString());
			listing(items, title, extraFilters);
		}
		$('#filters').addEventListener('change', apply);
		$('#sort').addEventListener('change', apply);
		$('#clear').addEventListener('click', function () {
			var u = new URLSearchParams();
			['c', 'q'].forEach(function (k) { if (q(k)) u.set(k, q(k)); });
			history.replaceState(null, '', '?' + u.toString());
			listing(items, title, extraFilters);
		});
	}

	/* ---- pages ---- */
	var pages = {};
	pages.index = function () {
		var feat = ['kestrel-38', 'alpenglow-ridge-2', 'ridge-runner', 'nimbus-0',
		    'lumo-400', 'trekker-pot', 'summit-socks', 'tarn-lite-2'];
		var h = '<section class="notice" style="padding:24px"><h1>Into the long days</h1>' +
		    '<p>Light tents, packs and trail shoes for summer trips.</p>' +
		    '<a class="btn" href="category.html?c=tents">Shop tents</a> ' +
		    '<a class="btn alt" href="category.html?c=sale">See the sale</a></section>' +
		    '<h2>Popular right now</h2><div class="grid">';
		feat.forEach(function (id) { h += card(prod(id)); });
		h += '</div><h2>Shop by category</h2><div class="grid">';
		CATS.forEach(function (c) {
			h += '<div class="card"><h3><a href="category.html?c=' + c[0] + '">' + c[1] +
			    '</a></h3><p>' + P.filter(function (p) { return p.cat === c[0]; }).length +
			    ' products</p></div>';
		});
		h += '</div><form class="newsletter" id="nl"><label for="nl-email">Trail notes, once a month:</label>' +
		    '<input type="email" id="nl-email" placeholder="you@example.com"><button class="btn">Sign up</button></form>';
		$('#main').innerHTML = h;
		$('#nl').addEventListener('submit', function (e) {
			e.preventDefault();
			$('#nl').innerHTML = '<p>Thanks, you are on the list.</p>';
		});
	};
	pages.category = function () {
		var c = q('c') || 'tents';
		document.body.dataset.cat = c;
		var items = c === 'sale' ? P.filter(function (p) { return p.was; }) :
		    P.filter(function (p) { return p.cat === c; });
		document.title = (c === 'sale' ? 'Sale' : catName(c)) + ' – Fernhill Outdoor';
		listing(items, c === 'sale' ? 'Sale' : catName(c));
	};
	pages.search = function () {
		var words = (q('q') || '').toLowerCase().split(/\s+/).filter(Boolean);
		var items = P.filter(function (p) {
			var hay = (p.name + ' ' + p.brand + ' ' + catName(p.cat) + ' ' +
			    p.desc).toLowerCase();
			return words.length > 0 && words.every(function (w) {
				return hay.indexOf(w) >= 0; });
		});
		document.title = 'Search: ' + (q('q') || '') + ' – Fernhill Outdoor';
		listing(items, 'Results for “' + (q('q') || '') + '”');
	};
	pages.product = function () {
		var p = prod(q('id'));
		if (!p) {
			$('#main').innerHTML = '<h1>Product not found</h1><p><a href="index.html">Back to the shop</a></p>';
			return;
		}
		document.body.dataset.cat = p.cat;
		document.title = p.name + ' – Fernhill Outdoor';
		var inWish = S.wishlist.indexOf(p.id) >= 0;
		var h = '<div class="crumbs"><a href="index.html">Home</a> / <a href="category.html?c=' +
		    p.cat + '">' + catName(p.cat) + '</a> / ' + esc(p.name) + '</div>' +
		    '<div class="product"><div class="gallery" style="background:' + swatch(p) +
		    '" role="img" aria-label="Photo of the ' + esc(p.name) + '"></div><div class="info">' +
		    '<h1>' + esc(p.name) + '</h1><p>by <a href="search.html?q=' + encodeURIComponent(p.brand) +
		    '">' + esc(p.brand) + '</a></p><p class="stars">' + stars(p.rating) + ' ' + p.rating +
		    ' · <a href="#reviews" id="see-reviews">' + p.reviews + ' reviews</a></p><p class="price" style="font-size:22px">' +
		    money(p.price) + (p.was ? '<span class="was">' + money(p.was) + '</span>' : '') + '</p>' +
		    '<form id="buy"><fieldset style="border:0;padding:0"><legend>Colour: <b id="cname">' + p.colors[0] +
		    '</b></legend><div class="swatches">';
		p.colors.forEach(function (c, i) {
			h += '<label><input type="radio" name="color" value="' + c + '"' + (i === 0 ?
			    ' checked' : '') + '>' + c + '</label>';
		});
		h += '</div></fieldset>';
		if (p.sizes) {
			h += '<p><label>Size <select name="size" id="size"><option value="">Choose a size</option>';
			p.sizes.forEach(function (s) { h += '<option>' + s + '</option>'; });
			h += '</select></label> <a href="help.html">Size guide</a></p>';
		}
		h += '<p><label>Quantity <input type="number" name="qty" class="qty" value="1" min="1" max="10"></label></p>' +
		    '<p><button class="btn" type="submit">Add to cart</button> <button type="button" class="btn alt" id="wish" aria-pressed="' +
		    inWish + '">' + (inWish ? '♥ In your wishlist' : '♡ Add to wishlist') + '</button></p></form>' +
		    '<div id="msg" role="status"></div><ul><li>Free delivery over €60</li><li>30-day returns</li>' +
		    '<li>Weight: ' + p.weight + ' g</li></ul></div></div>' +
		    '<div class="tabs" role="tablist" aria-label="Product information">' +
		    '<button role="tab" id="tab-desc" aria-controls="panel-desc" aria-selected="true">Description</button>' +
		    '<button role="tab" id="tab-specs" aria-controls="panel-specs" aria-selected="false">Specifications</button>' +
		    '<button role="tab" id="tab-reviews" aria-controls="panel-reviews" aria-selected="false">Reviews (' + p.reviews + ')</button></div>' +
		    '<div class="panel" role="tabpanel" id="panel-desc" aria-labelledby="tab-desc"><p>' + esc(p.desc ||
		    'The ' + p.name + ' is built for everyday adventures, tested on the trails around our workshop.') + '</p></div>' +
		    '<div class="panel" role="tabpanel" id="panel-specs" aria-labelledby="tab-specs" hidden><table>' +
		    '<tr><th>Brand</th><td>' + esc(p.brand) + '</td></tr><tr><th>Weight</th><td>' + p.weight +
		    ' g</td></tr>' + (p.cap ? '<tr><th>Sleeps</th><td>' + p.cap + '</td></tr>' : '') +
		    '<tr><th>Colours</th><td>' + p.colors.join(', ') + '</td></tr></table></div>' +
		    '<div class="panel" role="tabpanel" id="panel-reviews" aria-labelledby="tab-reviews" hidden>';
		var who = ['Jo', 'Sam', 'Alex', 'Rin', 'Kai', 'Noor'];
		var said = ['Exactly as described, very happy.', 'Good value, a bit heavy.',
		    'Survived a week of rain in Scotland.', 'Fits well, comfortable from day one.',
		    'Would buy again.'];
		for (var i = 0; i < 5; i++)
			h += '<div class="review"><b>' + who[(i + p.reviews) % who.length] + '</b> <span class="stars">' +
			    stars(Math.min(5, Math.round(p.rating) - (i % 2))) + '</span><p>' + said[(i + p.price) % said.length |
			    0] + '</p></div>';
		h += '</div><h2>You may also like</h2><div class="grid">';
		P.filter(function (x) { return x.cat === p.cat && x.id !== p.id; }).slice(0, 4)
		    .forEach(function (x) { h += card(x); });
		h += '</div>';
		$('#main').innerHTML = h;
		function tab(name) {
			['desc', 'specs', 'reviews'].forEach(function (t) {
				$('#tab-' + t).setAttribute('aria-selected', String(t === name));
				$('#panel-' + t).hidden = t !== name;
			});
		}
		['desc', 'specs', 'reviews'].forEach(function (t) {
			$('#tab-' + t).addEventListener('click', function () { tab(t); });
		});
		$('#see-reviews').addEventListener('click', function (e) {
			e.preventDefault();
			tab('reviews');
			$('#panel-reviews').scrollIntoView();
		});
		$('#buy').addEventListener('change', function () {
			$('#cname').textContent = $('#buy').color.value;
		});
		$('#buy').addEventListener('submit', function (e) {
			var f = $('#buy'), size = f.size ? f.size.value : null;
			var qty = Math.max(1, Math.min(10, parseInt(f.qty.value, 10) || 1));
			e.preventDefault();
			if (p.sizes && !size) {
				$('#msg').className = 'error';
				$('#msg').textContent = 'Please choose a size.';
				return;
			}
			var line = S.cart.filter(function (l) {
				return l.id === p.id && l.color === f.color.value && l.size === size; })[0];
			if (line)
				line.qty += qty;
			else
				S.cart.push({ id: p.id, color: f.color.value, size: size, qty: qty });
			save();
			$('#cart-link').textContent = 'Cart (' + cartCount() + ')';
			$('#msg').className = 'notice';
			$('#msg').innerHTML = 'Added ' + qty + ' × ' + esc(p.name) + ' (' + esc(f.color.value) +
			    (size ? ', size ' + size : '') + ') to your cart. <a href="cart.html">View cart</a>';
		});
		$('#wish').addEventListener('click', function () {
			var k = S.wishlist.indexOf(p.id);
			if (k >= 0)
				S.wishlist.splice(k, 1);
			else
				S.wishlist.push(p.id);
			save();
			render();
		});
	};
	function totals() {
		var sub = S.cart.reduce(function (a, l) { return a + prod(l.id).price * l.qty; }, 0);
		var disc = S.coupon ? Math.round(sub * COUPONS[S.coupon] * 100) / 100 : 0;
		var ship = sub - disc >= 60 || sub === 0 ? 0 : 4.95;
		return { sub: sub, disc: disc, ship: ship, total: sub - disc + ship };
	}
	pages.cart = function () {
		document.title = 'Your cart – Fernhill Outdoor';
		var h = '<h1>Your cart</h1>', t = totals();
		if (S.cart.length === 0) {
			$('#main').innerHTML = h + '<p>Your cart is empty. <a href="index.html">Continue shopping</a></p>';
			return;
		}
		h += '<table class="cart"><thead><tr><th>Product</th><th>Price</th><th>Quantity</th><th>Total</th><th></th></tr></thead><tbody>';
		S.cart.forEach(function (l, i) {
			var p = prod(l.id);
			h += '<tr data-id="' + l.id + '"><td><a href="product.html?id=' + p.id + '">' + esc(p.name) +
			    '</a><br><small>Colour: ' + esc(l.color) + (l.size ? ' · Size: ' + l.size : '') +
			    '</small></td><td>' + money(p.price) + '</td><td><input type="number" class="qty" min="1" max="10" value="' +
			    l.qty + '" aria-label="Quantity for ' + esc(p.name) + '" data-i="' + i +
			    '"> <button type="button" class="upd" data-i="' + i + '">Update</button></td><td>' +
			    money(p.price * l.qty) + '</td><td><button type="button" class="rm" data-i="' + i +
			    '" aria-label="Remove ' + esc(p.name) + '">Remove</button></td></tr>';
		});
		h += '</tbody></table><div style="display:flex;gap:24px;margin-top:16px"><form id="coupon"><label>Discount code ' +
		    '<input name="code" id="code" autocomplete="off"></label> <button class="btn alt">Apply</button>' +
		    '<div id="cmsg">' + (S.coupon ? '<p class="notice">Code ' + S.coupon + ' applied: ' +
		    (COUPONS[S.coupon] * 100) + '% off.</p>' : '') + '</div></form>' +
		    '<div class="totals"><p><span>Subtotal</span><span>' + money(t.sub) + '</span></p>' +
		    (t.disc ? '<p><span>Discount (' + S.coupon + ')</span><span>−' + money(t.disc) + '</span></p>' : '') +
		    '<p><span>Delivery</span><span>' + (t.ship ? money(t.ship) : 'Free') + '</span></p>' +
		    '<p><b>Total</b><b>' + money(t.total) + '</b></p><a class="btn" href="checkout.html" style="width:100%;text-align:center">Go to checkout</a></div></div>' +
		    '<p><a href="index.html">← Continue shopping</a></p>';
		$('#main').innerHTML = h;
		document.querySelectorAll('.rm').forEach(function (b) {
			b.addEventListener('click', function () {
				S.cart.splice(+b.dataset.i, 1);
				save();
				render();
			});
		});
		document.querySelectorAll('.upd').forEach(function (b) {
			b.addEventListener('click', function () {
				var v = parseInt(document.querySelector('input.qty[data-i="' + b.dataset.i + '"]').value, 10);
				if (v >= 1 && v <= 10) {
					S.cart[+b.dataset.i].qty = v;
					save();
				}
				render();
			});
		});
		$('#coupon').addEventListener('submit', function (e) {
			var c = $('#code').value.trim().toUpperCase();
			e.preventDefault();
			if (!COUPONS[c]) {
				$('#cmsg').innerHTML = '<p class="error">The code “' + esc(c) + '” is not valid.</p>';
				return;
			}
			S.coupon = c;
			save();
			render();
		});
	};
	pages.checkout = function () {
		document.title = 'Checkout – Fernhill Outdoor';
		var t = totals();
		if (S.cart.length === 0) {
			$('#main').innerHTML = '<h1>Checkout</h1><p>Your cart is empty. <a href="index.html">Continue shopping</a></p>';
			return;
		}
		var h = '<h1>Checkout</h1><div id="errs"></div><form class="checkout" id="co" novalidate>' +
		    '<section><h2>1. Contact</h2><div class="form-grid"><label>Email<input type="email" name="email" autocomplete="email"></label>' +
		    '<label>Phone (optional)<input type="tel" name="phone"></label></div></section>' +
		    '<section><h2>2. Delivery address</h2><div class="form-grid"><label>First name<input name="first"></label>' +
		    '<label>Last name<input name="last"></label><label>Street and number<input name="street"></label>' +
		    '<label>Address line 2 (optional)<input name="street2"></label><label>Postcode<input name="postcode"></label>' +
		    '<label>City<input name="city"></label><label>Country<select name="country"><option value="">Select a country</option>';
		['Austria', 'Belgium', 'France', 'Germany', 'Italy', 'Netherlands', 'Switzerland', 'United Kingdom']
		    .forEach(function (c) { h += '<option>' + c + '</option>'; });
		h += '</select></label></div></section><section><h2>3. Delivery</h2>' +
		    '<label><input type="radio" name="delivery" value="standard"> Standard delivery (3–5 working days) – ' +
		    (t.sub - t.disc >= 60 ? 'free' : '€4.95') + '</label><br>' +
		    '<label><input type="radio" name="delivery" value="express"> Express delivery (next working day) – €14.95</label><br>' +
		    '<label><input type="radio" name="delivery" value="pickup"> Pick up in store – free</label></section>' +
		    '<section><h2>4. Payment</h2><div class="form-grid"><label>Card number<input name="card" inputmode="numeric" autocomplete="cc-number"></label>' +
		    '<label>Name on card (optional)<input name="cardname"></label><label>Expiry date (MM/YY)<input name="exp" placeholder="MM/YY"></label>' +
		    '<label>Security code (CVC)<input name="cvc" inputmode="numeric"></label></div></section>' +
		    '<section><p>Order total: <b>' + money(t.total) + '</b> (' + cartCount() + ' items)</p>' +
		    '<button class="btn" type="submit">Place order</button> <a href="cart.html">Back to cart</a></section></form>';
		$('#main').innerHTML = h;
		$('#co').addEventListener('submit', function (e) {
			var f = $('#co'), errs = [], card = f.card.value.replace(/\s+/g, '');
			e.preventDefault();
			[['email', 'Enter your email address'], ['first', 'Enter your first name'],
			    ['last', 'Enter your last name'], ['street', 'Enter your street and number'],
			    ['postcode', 'Enter your postcode'], ['city', 'Enter your city'],
			    ['country', 'Select a country']].forEach(function (r) {
				if (!f[r[0]].value.trim())
					errs.push(r[1]);
			});
			if (f.email.value && !/^[^@\s]+@[^@\s]+\.[^@\s]+$/.test(f.email.value.trim()))
				errs.push('Enter a valid email address');
			if (!f.delivery.value)
				errs.push('Choose a delivery option');
			if (!/^\d{16}$/.test(card))
				errs.push('Enter a 16-digit card number');
			if (!/^(0[1-9]|1[0-2])\/\d\d$/.test(f.exp.value.trim()))
				errs.push('Enter the expiry date as MM/YY');
			if (!/^\d{3}$/.test(f.cvc.value.trim()))
				errs.push('Enter the 3-digit security code');
			if (errs.length) {
				$('#errs').innerHTML = '<div class="error" role="alert"><b>Please check your details:</b><ul><li>' +
				    errs.join('</li><li>') + '</li></ul></div>';
				window.scrollTo(0, 0);
				return;
			}
			var no = 'FH-' + (10231 + S.orders.length);
			S.orders.push({ no: no, items: S.cart, coupon: S.coupon, total: Math.round(t.total * 100) / 100,
			    email: f.email.value.trim(), delivery: f.delivery.value,
			    ship: { first: f.first.value.trim(), last: f.last.value.trim(), street: f.street.value.trim(),
			    postcode: f.postcode.value.trim(), city: f.city.value.trim(), country: f.country.value },
			    card: card.slice(-4) });
			S.cart = [];
			S.coupon = null;
			save();
			location.href = 'order.html?no=' + no;
		});
	};
	pages.order = function () {
		var o = S.orders.filter(function (x) { return x.no === q('no'); })[0];
		document.title = 'Order confirmed – Fernhill Outdoor';
		$('#main').innerHTML = o ? '<h1>Thank you, ' + esc(o.ship.first) + '!</h1><p class="notice">Your order <b>' +
		    o.no + '</b> is confirmed. We sent a confirmation to ' + esc(o.email) + '.</p><p>Delivery: ' +
		    o.delivery + ' to ' + esc(o.ship.street) + ', ' + esc(o.ship.postcode) + ' ' + esc(o.ship.city) +
		    '</p><p><a href="index.html">Continue shopping</a></p>' : '<h1>Order not found</h1>';
	};
	pages.wishlist = function () {
		var h = '<h1>Your wishlist</h1>';
		if (S.wishlist.length === 0)
			h += '<p>Nothing saved yet. Tap ♡ on a product to keep it here.</p>';
		else {
			h += '<div class="grid">';
			S.wishlist.forEach(function (id) { h += card(prod(id)); });
			h += '</div>';
		}
		$('#main').innerHTML = h;
	};
	pages.help = function () {
		$('#main').innerHTML = '<h1>Help &amp; contact</h1><p>Call us Monday to Saturday, 8:00–20:00, ' +
		    'on 030 555 0199, or write to help@fernhill.test.</p><h2>Delivery</h2><p>Standard delivery takes 3–5 ' +
		    'working days and is free over €60.</p><h2>Returns</h2><p>Return unused items within 30 days.</p>';
	};

	function render() {
		var page = document.body.dataset.page;
		document.querySelectorAll('body > .promo, body > header, body > nav.cats, body > footer')
		    .forEach(function (e) { e.remove(); });
		(pages[page] || pages.index)();
		header();
		footer();
	}
	window.FH = {
		seed: function (s) {
			localStorage.setItem(KEY, JSON.stringify(s));
			load();
			render();
			return true;
		}
	};
	document.addEventListener('DOMContentLoaded', function () {
		load();
		render();
	});
})();
