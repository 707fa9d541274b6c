/*
 * recipes.js: Saltbox Kitchen, a recipe blog with drop-down menus,
 * search, filters, a servings calculator, favourites, reviews and a
 * newsletter form.  About 140 recipes: a fixed generator plus the ones
 * the suite's tasks name.  Favourites, reviews and the newsletter
 * subscription are kept in localStorage ("saltbox").
 */
'use strict';

(function () {
	var KEY = 'saltbox';
	var COURSES = ['Breakfast', 'Lunch', 'Dinner', 'Dessert', 'Snack', 'Drink'];
	var CUISINES = ['Italian', 'Thai', 'Mexican', 'Indian', 'Japanese', 'Middle Eastern', 'French'];
	var DIETS = [['vegetarian', 'Vegetarian'], ['vegan', 'Vegan'], ['gluten-free', 'Gluten-free'], ['dairy-free', 'Dairy-free']];
	var R = [];
	function slugify(s) { return s.toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-|-$/g, ''); }
	function add(name, course, cuisine, time, diets, o) {
		o = o || {};
		R.push({ slug: o.slug || slugify(name), name: name, course: course, cuisine: cuisine, time: time,
		    diets: diets, serves: o.serves || 4, rating: o.rating || 4.3, votes: o.votes || 20,
		    date: o.date || '2025-03-01', ing: o.ing || null, blurb: o.blurb || '' });
	}
	add('Green Curry with Tofu', 'Dinner', 'Thai', 35, ['vegetarian', 'vegan', 'gluten-free', 'dairy-free'], { slug: 'green-curry-tofu', rating: 4.7, votes: 88,
	    ing: [[400, 'g', 'firm tofu'], [3, 'tbsp', 'green curry paste'], [400, 'ml', 'coconut milk'], [1, '', 'aubergine'], [1, 'handful', 'Thai basil']] });
	add('Green Curry with Chicken', 'Dinner', 'Thai', 40, ['gluten-free', 'dairy-free'], { slug: 'green-curry-chicken', rating: 4.6, votes: 140 });
	add('Thai Basil Noodles', 'Lunch', 'Thai', 20, ['dairy-free'], { rating: 4.2 });
	add('Red Lentil Soup', 'Lunch', 'Middle Eastern', 30, ['vegetarian', 'vegan', 'gluten-free', 'dairy-free'], { rating: 4.8, votes: 210,
	    ing: [[250, 'g', 'red lentils'], [1, '', 'onion'], [2, '', 'carrots'], [1, 'tsp', 'cumin'], [1.2, 'l', 'vegetable stock']] });
	add('Lentil and Sausage Soup', 'Dinner', 'Italian', 50, [], { rating: 4.4, votes: 61 });
	add('Spiced Lentil Soup with Yoghurt', 'Lunch', 'Indian', 35, ['vegetarian', 'gluten-free'], { rating: 4.5, votes: 47 });
	add('Shakshuka', 'Breakfast', 'Middle Eastern', 30, ['vegetarian', 'gluten-free'], { serves: 4, rating: 4.7, votes: 180,
	    ing: [[6, '', 'eggs'], [800, 'g', 'chopped tomatoes'], [2, '', 'red peppers'], [1, '', 'onion'], [2, 'tsp', 'paprika'], [100, 'g', 'feta']] });
	add('Miso Glazed Salmon', 'Dinner', 'Japanese', 25, ['gluten-free', 'dairy-free'], { rating: 4.6, votes: 96 });
	add('Miso Soup with Greens', 'Lunch', 'Japanese', 15, ['vegan', 'vegetarian', 'dairy-free'], { rating: 4.1 });
	add('Banana Bread', 'Snack', 'French', 70, ['vegetarian'], { serves: 10, rating: 4.5, votes: 305 });
	add('Chocolate Banana Bread', 'Snack', 'French', 75, ['vegetarian'], { serves: 10, rating: 4.4, votes: 72 });
	add('Affogato', 'Dessert', 'Italian', 5, ['vegetarian', 'gluten-free'], { rating: 4.6, votes: 40, date: '2025-01-20' });
	add('Mango Sticky Rice', 'Dessert', 'Thai', 45, ['vegan', 'vegetarian', 'gluten-free', 'dairy-free'], { rating: 4.7 });
	add('Tiramisu', 'Dessert', 'Italian', 40, ['vegetarian'], { rating: 4.8, votes: 260 });
	var bases = { Italian: ['Risotto', 'Focaccia', 'Minestrone', 'Gnocchi', 'Frittata', 'Panna Cotta', 'Arancini', 'Caponata'],
	    Thai: ['Tom Yum', 'Pad See Ew', 'Larb', 'Satay', 'Massaman Curry', 'Coconut Pancakes'],
	    Mexican: ['Tacos', 'Enchiladas', 'Pozole', 'Chilaquiles', 'Churros', 'Elote', 'Tamales', 'Horchata'],
	    Indian: ['Dal', 'Biryani', 'Chana Masala', 'Paratha', 'Kheer', 'Pakora', 'Lassi', 'Saag'],
	    Japanese: ['Ramen', 'Okonomiyaki', 'Onigiri', 'Katsu', 'Matcha Pudding', 'Yakitori', 'Gyoza'],
	    'Middle Eastern': ['Falafel', 'Hummus', 'Fattoush', 'Baklava', 'Kofta', 'Mujaddara', 'Tabbouleh'],
	    French: ['Ratatouille', 'Quiche', 'Crêpes', 'Cassoulet', 'Tarte Tatin', 'Soupe à l\'oignon', 'Madeleines'] };
	var twists = ['Quick', 'Classic', 'Smoky', 'Herby', 'Spicy', 'Weeknight', 'Lemony', 'Summer', 'Harvest'];
	var sweet = /Panna|Churros|Kheer|Pudding|Baklava|Tatin|Madeleines|Pancakes|Crêpes/;
	var drink = /Horchata|Lassi/;
	var seed = 99;
	function rnd() { seed = (seed * 69069 + 1) % 4294967296; return seed / 4294967296; }
	Object.keys(bases).forEach(function (c) {
		bases[c].forEach(function (b, i) {
			[0, 1].forEach(function (k) {
				var name = twists[(i * 3 + k * 5 + c.length) % twists.length] + ' ' + b;
				var course = sweet.test(b) ? 'Dessert' : drink.test(b) ? 'Drink' :
				    ['Lunch', 'Dinner', 'Dinner', 'Breakfast', 'Snack'][Math.floor(rnd() * 5)];
				var diets = [];
				if (rnd() < 0.55) diets.push('vegetarian');
				if (diets.length && rnd() < 0.4) diets.push('vegan');
				if (rnd() < 0.35) diets.push('gluten-free');
				if (rnd() < 0.4) diets.push('dairy-free');
				var time = course === 'Dessert' ? 25 + Math.floor(rnd() * 12) * 5 : 15 + Math.floor(rnd() * 14) * 5;
				var d = new Date(Date.UTC(2024, 8, 1) + Math.floor(rnd() * 270) * 864e5).toISOString().slice(0, 10);
				add(name, course, c, time, diets, { rating: Math.round((3.6 + rnd() * 1.3) * 10) / 10,
				    votes: Math.floor(rnd() * 200), date: d, serves: 2 + Math.floor(rnd() * 4) * 2 });
			});
		});
	});
	function recipe(slug) { return R.filter(function (r) { return r.slug === slug; })[0]; }

	function $(s, r) { return (r || document).querySelector(s); }
	function $$(s, r) { return Array.prototype.slice.call((r || document).querySelectorAll(s)); }
	function esc(s) {
		return String(s).replace(/[&<>"]/g, function (c) {
			return { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' }[c]; });
	}
	function qp() { return new URLSearchParams(location.search); }
	function load() {
		var s;
		try { s = JSON.parse(localStorage.getItem(KEY)); } catch (e) { s = null; }
		s = s || {};
		s.favourites = s.favourites || [];
		s.reviews = s.reviews || [];
		return s;
	}
	function save(s) { localStorage.setItem(KEY, JSON.stringify(s)); }
	function hue(s) {
		var h = 0, i;
		for (i = 0; i < s.length; i++)
			h = (h * 17 + s.charCodeAt(i)) % 360;
		return 'radial-gradient(circle at 30% 40%, hsl(' + h + ',60%,75%), hsl(' + (h + 30) % 360 + ',45%,45%))';
	}
	function stars(r) { return '★★★★★'.slice(0, Math.round(r)) + '☆☆☆☆☆'.slice(0, 5 - Math.round(r)); }
	function tile(r) {
		return '<article class="tile"><div class="ph" style="background:' + hue(r.slug) + '" role="img" aria-label="' +
		    esc(r.name) + '"></div><div class="body"><h3><a href="recipe.html?r=' + r.slug + '">' + esc(r.name) + '</a></h3>' +
		    '<div class="meta">' + r.cuisine + ' · ' + r.course + ' · ' + r.time + ' min · <span class="stars">' +
		    stars(r.rating) + '</span> (' + r.votes + ')</div><div class="meta">' + r.diets.map(function (d) {
			    return d.charAt(0).toUpperCase() + d.slice(1); }).join(', ') + '</div></div></article>';
	}

	function chrome() {
		var s = load();
		function menu(id, label, items) {
			return '<div class="item"><button type="button" id="' + id + '" aria-haspopup="true" aria-expanded="false">' + label +
			    ' ▾</button><div role="menu" aria-labelledby="' + id + '" hidden>' + items.map(function (it) {
				    return '<a role="menuitem" href="' + it[1] + '">' + it[0] + '</a>'; }).join('') + '</div></div>';
		}
		var bar = '<header class="masthead"><a href="index.html">SALTBOX KITCHEN</a><p>Honest food for busy evenings</p></header>' +
		    '<nav class="menubar" aria-label="Main"><div class="in">' +
		    '<div class="item"><a href="index.html">Home</a></div>' +
		    menu('m-recipes', 'Recipes', COURSES.map(function (c) { return [c === 'Dessert' ? 'Desserts' : c === 'Snack' ? 'Snacks & baking' : c === 'Drink' ? 'Drinks' : c, 'list.html?course=' + c]; })) +
		    menu('m-cuisines', 'Cuisines', CUISINES.map(function (c) { return [c, 'list.html?cuisine=' + encodeURIComponent(c)]; })) +
		    menu('m-diets', 'Diets', DIETS.map(function (d) { return [d[1], 'list.html?diet=' + d[0]]; })) +
		    '<div class="item"><a href="favourites.html">Favourites (' + s.favourites.length + ')</a></div>' +
		    '<div class="item"><a href="about.html">About</a></div>' +
		    '<form action="search.html" role="search"><input type="search" name="q" placeholder="Search recipes" aria-label="Search recipes" value="' +
		    esc(qp().get('q') || '') + '"><button>Search</button></form></div></nav>';
		document.body.insertAdjacentHTML('afterbegin', bar);
		document.body.insertAdjacentHTML('beforeend', '<footer><a href="about.html">About</a><a href="about.html">Contact</a>' +
		    '<a href="about.html">Cookbook</a><a href="about.html">Privacy</a><a href="about.html">Advertise</a><p>© 2025 Saltbox Kitchen</p></footer>');
		function closeAll(except) {
			$$('.menubar .item > button').forEach(function (b) {
				if (b === except)
					return;
				b.setAttribute('aria-expanded', 'false');
				b.nextElementSibling.hidden = true;
			});
		}
		$$('.menubar .item > button').forEach(function (b) {
			b.addEventListener('click', function (e) {
				/* A click right after the pointer opened it keeps it open. */
				var open = b.getAttribute('aria-expanded') === 'true' &&
				    Date.now() - (b.hoverAt || 0) > 400;
				e.stopPropagation();
				closeAll(b);
				b.setAttribute('aria-expanded', String(!open));
				b.nextElementSibling.hidden = open;
			});
			b.parentNode.addEventListener('mouseenter', function () {
				if (b.getAttribute('aria-expanded') !== 'true')
					b.hoverAt = Date.now();
				closeAll(b);
				b.setAttribute('aria-expanded', 'true');
				b.nextElementSibling.hidden = false;
			});
			b.parentNode.addEventListener('mouseleave', function () {
				b.setAttribute('aria-expanded', 'false');
				b.nextElementSibling.hidden = true;
			});
		});
		document.addEventListener('click', function () { closeAll(null); });
		document.addEventListener('keydown', function (e) { if (e.key === 'Escape') closeAll(null); });
	}

	function listing(items, title) {
		var p = qp(), max = p.get('max') || '', sort = p.get('sort') || 'newest', page = parseInt(p.get('page'), 10) || 1, per = 12;
		var rows = items.filter(function (r) { return !max || r.time <= +max; });
		rows.sort({ newest: function (a, b) { return a.date < b.date ? 1 : -1; }, quick: function (a, b) { return a.time - b.time; },
		    rated: function (a, b) { return b.rating - a.rating; } }[sort]);
		var pages = Math.max(1, Math.ceil(rows.length / per));
		var h = '<h1>' + esc(title) + '</h1><form class="bar" id="lf"><span>' + rows.length + ' recipes</span>' +
		    '<label>Ready in <select name="max"><option value="">any time</option>' + [15, 20, 30, 45, 60].map(function (m) {
			    return '<option value="' + m + '"' + (max === String(m) ? ' selected' : '') + '>' + m + ' minutes or less</option>'; }).join('') +
		    '</select></label><label>Sort <select name="sort"><option value="newest">Newest</option><option value="quick"' +
		    (sort === 'quick' ? ' selected' : '') + '>Quickest</option><option value="rated"' + (sort === 'rated' ? ' selected' : '') +
		    '>Top rated</option></select></label></form><div class="grid">' + rows.slice((page - 1) * per, page * per).map(tile).join('') + '</div>';
		if (!rows.length)
			h += '<p>No recipes found. Try fewer words or another filter.</p>';
		if (pages > 1) {
			h += '<nav class="pager" aria-label="Pages">';
			for (var i = 1; i <= pages; i++) {
				p.set('page', i);
				h += i === page ? '<b aria-current="page">' + i + '</b>' : '<a href="?' + p.toString() + '">' + i + '</a>';
			}
			h += '</nav>';
		}
		$('#main').innerHTML = h;
		$('#lf').addEventListener('change', function () {
			var u = qp(), f = $('#lf');
			u.set('max', f.max.value);
			u.set('sort', f.sort.value);
			u.delete('page');
			location.search = u.toString();
		});
	}

	var pages = {};
	pages.index = function () {
		var feat = recipe('red-lentil-soup');
		var latest = R.slice().sort(function (a, b) { return a.date < b.date ? 1 : -1; }).slice(0, 9);
		$('#main').innerHTML = '<section class="recipe-head"><div class="ph" style="background:' + hue(feat.slug) + '"></div><div>' +
		    '<p>Recipe of the week</p><h1><a href="recipe.html?r=' + feat.slug + '">' + feat.name + '</a></h1><p>Silky, warming and ready in ' +
		    feat.time + ' minutes. Our most-cooked recipe this winter.</p></div></section><h2>Latest recipes</h2><div class="grid">' +
		    latest.map(tile).join('') + '</div><h2>Popular tags</h2><p class="chips">' +
		    ['one-pot', 'meal prep', '30 minutes', 'traybake', 'soup', 'curry', 'baking', 'picnic'].map(function (t) {
			    return '<a href="search.html?q=' + encodeURIComponent(t) + '">' + t + '</a>'; }).join('') + '</p>' +
		    '<section class="newsletter"><h2>The Saltbox letter</h2><form id="nl" novalidate><p><label>Email address <input type="email" id="nl-email"></label> ' +
		    '<label>How often? <select id="nl-freq"><option value="">Choose…</option><option value="weekly">Weekly digest</option>' +
		    '<option value="monthly">Monthly roundup</option></select></label></p><p><label><input type="checkbox" id="nl-ok"> ' +
		    'I agree to receive emails from Saltbox Kitchen</label></p><button class="btn">Subscribe</button><div id="nl-msg" role="status"></div></form></section>';
		$('#nl').addEventListener('submit', function (e) {
			var em = $('#nl-email').value.trim(), fq = $('#nl-freq').value;
			e.preventDefault();
			if (!/^[^@\s]+@[^@\s]+\.[^@\s]+$/.test(em) || !fq || !$('#nl-ok').checked) {
				$('#nl-msg').textContent = 'Please enter your email, choose how often, and tick the box to agree.';
				return;
			}
			var s = load();
			s.newsletter = { email: em, freq: fq };
			save(s);
			$('#nl').innerHTML = '<p class="note" style="color:#2b2118">You\'re subscribed! Look out for your first ' +
			    (fq === 'weekly' ? 'weekly digest' : 'monthly roundup') + ' at ' + esc(em) + '.</p>';
		});
	};
	pages.list = function () {
		var p = qp(), items, title;
		if (p.get('course')) {
			items = R.filter(function (r) { return r.course === p.get('course'); });
			title = { Dessert: 'Desserts', Snack: 'Snacks & baking', Drink: 'Drinks' }[p.get('course')] || p.get('course') + ' recipes';
		} else if (p.get('cuisine')) {
			items = R.filter(function (r) { return r.cuisine === p.get('cuisine'); });
			title = p.get('cuisine') + ' recipes';
		} else {
			var d = DIETS.filter(function (x) { return x[0] === p.get('diet'); })[0] || DIETS[0];
			items = R.filter(function (r) { return r.diets.indexOf(d[0]) >= 0; });
			title = d[1] + ' recipes';
		}
		document.title = title + ' – Saltbox Kitchen';
		listing(items, title);
	};
	pages.search = function () {
		var words = (qp().get('q') || '').toLowerCase().split(/\s+/).filter(Boolean);
		var items = R.filter(function (r) {
			var hay = (r.name + ' ' + r.cuisine + ' ' + r.course + ' ' + r.diets.join(' ')).toLowerCase();
			return words.length && words.every(function (w) { return hay.indexOf(w) >= 0; });
		});
		document.title = 'Search – Saltbox Kitchen';
		listing(items, 'Recipes matching “' + (qp().get('q') || '') + '”');
	};
	pages.recipe = function () {
		var r = recipe(qp().get('r')), s = load();
		if (!r) {
			$('#main').innerHTML = '<h1>Recipe not found</h1>';
			return;
		}
		document.title = r.name + ' – Saltbox Kitchen';
		var ing = r.ing || [[300, 'g', 'main ingredient'], [1, '', 'onion'], [2, 'cloves', 'garlic'], [1, 'tbsp', 'olive oil'], [1, 'pinch', 'salt']];
		var saved = s.favourites.indexOf(r.slug) >= 0;
		var revs = s.reviews.filter(function (x) { return x.slug === r.slug; });
		var h = '<p><a href="index.html">Home</a> › <a href="list.html?cuisine=' + encodeURIComponent(r.cuisine) + '">' + r.cuisine +
		    '</a> › ' + esc(r.name) + '</p><div class="recipe-head"><div class="ph" style="background:' + hue(r.slug) + '" role="img" aria-label="' +
		    esc(r.name) + '"></div><div><h1>' + esc(r.name) + '</h1><p><span class="stars">' + stars(r.rating) + '</span> ' + r.rating +
		    ' from ' + r.votes + ' ratings</p><div class="facts"><div><b>' + r.time + ' min</b>total time</div><div><b>' + r.course +
		    '</b>course</div><div><b>' + (r.diets.length ? r.diets.join(', ') : '—') + '</b>diet</div></div>' +
		    '<p class="servings"><label for="servings">Servings</label><button type="button" id="less" aria-label="Fewer servings">−</button>' +
		    '<input type="number" id="servings" min="1" max="24" value="' + r.serves + '"><button type="button" id="more" aria-label="More servings">+</button></p>' +
		    '<p><button class="btn" id="save" aria-pressed="' + saved + '">' + (saved ? '♥ Saved' : '♡ Save recipe') + '</button> ' +
		    '<button class="btn ghost" id="print">Print</button> <a href="#reviews">Jump to reviews</a></p></div></div>' +
		    '<div class="cols"><section class="ing"><h2>Ingredients</h2><ul id="ing"></ul></section><section><h2>Method</h2><ol>' +
		    '<li>Prepare and measure all the ingredients.</li><li>Cook the aromatics gently until soft and fragrant.</li>' +
		    '<li>Add the main ingredients and simmer until done.</li><li>Season to taste and serve.</li></ol></section></div>' +
		    '<section id="reviews"><h2>Reviews (' + revs.length + ')</h2>' + revs.map(function (x) {
			    return '<div class="review"><b>' + esc(x.name) + '</b> <span class="stars">' + stars(x.stars) + '</span><p>' + esc(x.text) + '</p></div>';
		    }).join('') + '<form id="rf" novalidate><h3>Leave a review</h3><p><label>Your name <input id="rname"></label></p>' +
		    '<fieldset class="rate"><legend>Your rating</legend>' + [1, 2, 3, 4, 5].map(function (n) {
			    return '<label><input type="radio" name="stars" value="' + n + '"> ' + n + (n === 1 ? ' star' : ' stars') + '</label>'; }).join('') +
		    '</fieldset><p><label>Your review<br><textarea id="rtext" rows="4" cols="60"></textarea></label></p><div id="rmsg" role="status"></div>' +
		    '<button class="btn" type="submit">Post review</button></form></section>';
		$('#main').innerHTML = h;
		function drawIng() {
			var n = parseInt($('#servings').value, 10) || r.serves;
			$('#ing').innerHTML = ing.map(function (x) {
				var q = Math.round(x[0] * n / r.serves * 10) / 10;
				return '<li>' + q + (x[1] ? ' ' + x[1] : '') + ' ' + x[2] + '</li>';
			}).join('');
		}
		drawIng();
		$('#servings').addEventListener('input', drawIng);
		$('#less').addEventListener('click', function () {
			$('#servings').value = Math.max(1, (parseInt($('#servings').value, 10) || 1) - 1);
			drawIng();
		});
		$('#more').addEventListener('click', function () {
			$('#servings').value = Math.min(24, (parseInt($('#servings').value, 10) || 1) + 1);
			drawIng();
		});
		$('#print').addEventListener('click', function () { $('#rmsg').textContent = 'Printing is not available here.'; });
		$('#save').addEventListener('click', function () {
			var s2 = load(), k = s2.favourites.indexOf(r.slug);
			if (k >= 0)
				s2.favourites.splice(k, 1);
			else
				s2.favourites.push(r.slug);
			save(s2);
			render();
		});
		$('#rf').addEventListener('submit', function (e) {
			var st = $('#rf').querySelector('input[name=stars]:checked');
			e.preventDefault();
			if (!$('#rname').value.trim() || !st || !$('#rtext').value.trim()) {
				$('#rmsg').textContent = 'Please add your name, a rating and a few words.';
				return;
			}
			var s2 = load();
			s2.reviews.push({ slug: r.slug, name: $('#rname').value.trim(), stars: +st.value, text: $('#rtext').value.trim() });
			save(s2);
			render();
			$('#rmsg').textContent = 'Thanks for your review!';
		});
	};
	pages.favourites = function () {
		var s = load();
		$('#main').innerHTML = '<h1>Your favourites</h1>' + (s.favourites.length ? '<div class="grid">' +
		    s.favourites.map(function (x) { return tile(recipe(x)); }).join('') + '</div>' : '<p>No saved recipes yet.</p>');
	};
	pages.about = function () {
		$('#main').innerHTML = '<h1>About Saltbox Kitchen</h1><p>We are two cooks writing recipes that work on a Tuesday night.</p>';
	};
	function render() {
		$$('body > header, body > nav, body > footer').forEach(function (e) { e.remove(); });
		(pages[document.body.dataset.page] || pages.index)();
		chrome();
	}
	window.SB = { recipe: recipe, all: R, state: load };
	document.addEventListener('DOMContentLoaded', render);
})();
