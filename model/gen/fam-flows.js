/*
 * fam-flows.js: multi-page generator families "shop" (product list,
 * product, cart, checkout) and "travel" (flight search, results,
 * booking).  Views change in the same document, with the URL
 * hash following them, so the oracle's state survives navigation.
 */
(function () {
	'use strict';

	var G = window.__gen, P = G.P, h = G.h;

	/* ---------------------------------------------------------------- */
	/* shop                                                             */

	G.def('shop', 'train', function (G) {
		var R = G.R, t = {}, prods, cats, view = 'list', cur = null;
		var filter = 'All', cart = [], order = null, app, header;
		var navLinks = {}, cartLink, status, kind, tgt, size, qty;
		var ui = {}, det, sizedCats = { Shoes: 1, Clothing: 1 };
		var allLabel, backLabel, wantDet, badge, sbox, sbtn, query = '';
		var ccat = null, cardAdd, addLabel, pool, seen = {};
		var icons, wishLabel, cmpLabel, qvLabel, imgLink;
		var promo = null, code = '', applied = '', gift = '';

		kind = R.weighted([[3, 'add'], [1.5, 'remove'], [1, 'view'],
		    [1.5, 'find'], [1.5, 'checkout'], [1, 'buy'], [2, 'cheap'],
		    [2, 'promo']]);
		/*
		 * A discount code, unquoted in the middle of the task, on a
		 * page that repeats the task's other words (items, cart,
		 * checkout, code): letters and digits, never a word the page
		 * shows.
		 */
		if (kind === 'promo') {
			code = R.chance(0.6) ? R.pick(['SAVE', 'TRAIL', 'WELCOME',
			    'SPRING', 'FALL', 'VIP', 'EXTRA', 'FREESHIP', 'HELLO',
			    'SUMMER', 'BONUS', 'DEAL', 'NEW', 'TAKE', 'GIFT',
			    'FRIEND', 'HOLIDAY', 'FLASH', 'WINTER', 'MEMBER']) +
			    R.range(5, 60) : '';
			while (code.length < 6)
				code += 'ABCDEFGHJKLMNPQRSTUVWXYZ23456789'[R.int(32)];
			if (R.chance(0.15))
				code = code.toLowerCase();
			promo = {
				where: R.chance(0.65) ? 'cart' : 'checkout',
				label: R.pick(['Discount code', 'Promo code',
				    'Coupon code', 'Voucher code', 'Gift card or ' +
				    'discount code', 'Enter promo code',
				    'Have a code?', 'Code']),
				apply: R.pick(['Apply', 'Apply code', 'Redeem',
				    'Use code']),
				gift: R.chance(0.4),
				zip: R.chance(0.4)
			};
		}
		/* Comparing prices: several products of one category. */
		if (kind === 'cheap') {
			ccat = R.pick(['Electronics', 'Home', 'Sports', 'Bags',
			    'Accessories', 'Toys']);
			pool = P.product.filter(function (p) {
				return p[1] === ccat;
			});
			pool = R.sample(pool, R.range(3, pool.length)).concat(
			    R.sample(P.product.filter(function (p) {
				return p[1] !== ccat;
			    }), R.range(2, 7)));
		} else
			pool = R.sample(P.product, R.range(6, 12));
		/* Prices are unique: "the cheapest" names one product. */
		prods = R.shuffle(pool.filter(function (p) {
			if (seen[p[2]])
				return false;
			seen[p[2]] = 1;
			return true;
		})).map(function (p) {
			return { name: p[0], cat: p[1], price: p[2],
			    sizes: sizedCats[p[1]] ? (p[1] === 'Shoes' ?
			    ['7', '8', '9', '10', '11', '12'] : P.size) : null };
		});
		/* Product cards with their own add button, now and then. */
		cardAdd = R.chance(0.7);
		/*
		 * Icon buttons on the cards whose labels name the product
		 * (wish list, compare, quick view), and an image that links
		 * to the product like its title: opening a product is the
		 * title or the image, never the icons.
		 */
		icons = R.chance(0.65);
		imgLink = R.chance(0.5);
		wishLabel = R.pick(['Add {P} to wish list', 'Add {P} to wishlist',
		    'Save {P} to favorites', 'Add {P} to favourites']);
		cmpLabel = R.pick(['Compare {P}', 'Add {P} to compare']);
		qvLabel = R.pick(['Quick view', 'Quick view of {P}',
		    'Preview {P}']);
		addLabel = R.pick(['Add to cart', 'Add to cart', 'Add to bag',
		    'Add to basket', 'Add']);
		cats = [];
		prods.forEach(function (p) {
			if (cats.indexOf(p.cat) < 0)
				cats.push(p.cat);
		});
		allLabel = R.pick(['All products', 'Shop all', 'All',
		    'Products']);
		backLabel = R.pick(['Back to products', 'Continue shopping',
		    'Back to shop']);
		app = h('div');
		status = h('div.status');
		header = h('header', [h('span.logo', R.pick(P.company) + ' ' +
		    R.pick(['Store', 'Shop', 'Outlet', 'Market']))]);
		navLinks.All = G.link(allLabel, function () {
			filter = 'All';
			go('list');
		}, { impl: R.chance(0.7) ? 'native' : undefined });
		header.appendChild(navLinks.All);
		cats.forEach(function (c) {
			navLinks[c] = G.link(c, function () {
				filter = c;
				go('list');
			}, { impl: R.chance(0.7) ? 'native' : undefined });
			header.appendChild(navLinks[c]);
		});
		cartLink = G.button('Cart', function () {
			go('cart');
		}, { icon: 'cart', link: R.chance(0.5) });
		badge = h('span.badge', '0');
		header.appendChild(h('span', [cartLink, ' ', badge]));
		/* A search box in the header. */
		sbox = G.field(R.pick(['Search products', 'Search',
		    'Search the store']), { style: R.pick(['placeholder',
		    'aria']), type: R.chance(0.5) ? 'search' : 'text' });
		sbtn = G.button(R.pick(['Search', 'Go', 'Find']), function () {
			query = sbox.get();
			go('search');
		}, { icon: 'search', sec: true });
		header.appendChild(h('span', { style: 'display:flex;gap:4px;' +
		    'align-items:center' }, [sbox.wrap, sbtn]));

		/* Puts n of product p (size s) in the cart. */
		function addLine(p, s, n) {
			var l = cart.find(function (x) {
				return x.name === p.name && x.size === s;
			});

			if (l)
				l.qty += n;
			else
				cart.push({ name: p.name, size: s, qty: n,
				    price: p.price });
			status.textContent = R.pick(['Added to cart.',
			    p.name + ' was added to your cart.']);
			badge.textContent = String(cartCount());
		}
		function cartCount() {
			return cart.reduce(function (a, l) {
				return a + l.qty;
			}, 0);
		}
		/* The icon buttons of product p's card, and its image link. */
		function cardIcons(p, card) {
			var o, peek = h('div.muted.hidden', p.cat + ' \u00b7 $' +
			    p.price + ' \u00b7 ' + R.pick(['In stock',
			    'Ships in 2 days', 'Free returns']));

			o = function (icon) {
				return { icon: icon, sec: true, impl: G.impl ===
				    'listener' || G.impl === 'role' ? G.impl :
				    R.chance(0.85) ? 'icon' : undefined };
			};
			card.appendChild(h('div', { style: 'display:flex;gap:2px;' +
			    'justify-content:flex-end' }, [
				G.button(wishLabel.replace('{P}', p.name),
				    function (ev) {
					ev.currentTarget.setAttribute(
					    'aria-pressed', 'true');
					status.textContent = 'Saved to your ' +
					    'wish list.';
				}, o('like')),
				G.button(cmpLabel.replace('{P}', p.name),
				    function () {
					status.textContent = p.name + ' added ' +
					    'to compare.';
				}, o('\u21c4')),
				R.chance(0.6) ? G.button(qvLabel.replace('{P}',
				    p.name), function () {
					peek.classList.toggle('hidden');
				}, o('\u25ce')) : null]));
			card.appendChild(peek);
		}
		/* A picture linking to product p, the title's twin. */
		function imageLink(p) {
			var a = G.link(p.name, function () {
				go('product', p);
			}, { impl: R.chance(0.8) ? 'native' : undefined });

			a.textContent = '';
			a.setAttribute('aria-label', p.name);
			a.style.display = 'block';
			a.appendChild(h('div', { role: 'img', 'aria-label':
			    p.name, style: 'height:80px;border-radius:' +
			    'var(--rad);margin-bottom:6px;background:hsl(' +
			    R.int(360) + ',35%,75%)' }));
			ui.imgs[p.name] = a;
			return a;
		}
		/*
		 * The discount code field and its Apply button, with look-alike
		 * fields around it: a gift card number, a zip code for the
		 * shipping estimate.
		 */
		function promoBox(c) {
			var f, b, gf, gb, zf;

			f = G.field(promo.label, { name: R.pick(['promo',
			    'coupon', 'discount', 'code']), ph: R.chance(0.5) ?
			    R.pick(['Enter code', 'e.g. SAVE10', 'Code']) : null });
			b = G.button(promo.apply, function () {
				applied = f.get();
				status.textContent = applied === '' ? 'Enter a code.' :
				    'Code ' + applied + ' applied: ' + R.range(5, 25) +
				    '% off your items.';
				render();
			}, { sec: R.chance(0.4) });
			ui.promo = f;
			ui.apply = b;
			c.push(h('div.card', [R.chance(0.5) ? h('h4', R.pick([
			    'Discounts', 'Have a promo code?', 'Savings',
			    'Apply a code to your cart'])) : null, h('div',
			    { style: 'display:flex;gap:6px;align-items:flex-end;' +
			    'flex-wrap:wrap' }, [f.wrap, b]), applied ?
			    h('div.muted', 'Applied: ' + applied) : null]));
			if (promo.gift) {
				gf = G.field(R.pick(['Gift card number',
				    'Gift card', 'Card number']), { name: 'giftcard' });
				gb = G.button(R.pick(['Redeem', 'Check balance',
				    'Apply gift card']), function () {
					gift = gf.get();
					status.textContent = 'Gift card not found.';
				}, { sec: true });
				c.push(h('div', { style: 'display:flex;gap:6px;' +
				    'align-items:flex-end;flex-wrap:wrap' },
				    [gf.wrap, gb]));
			}
			if (promo.zip) {
				zf = G.field(R.pick(['Zip code', 'Postcode',
				    'Estimate shipping: zip']), { name: 'ship_zip' });
				c.push(h('div', { style: 'display:flex;gap:6px;' +
				    'align-items:flex-end;flex-wrap:wrap' },
				    [zf.wrap, G.button(R.pick(['Estimate',
				    'Update', 'Calculate']), function () {
					status.textContent = 'Shipping: $' +
					    R.range(3, 12) + '.';
				}, { sec: true })]));
			}
			c.push(status);
		}
		function go(v, p) {
			view = v;
			cur = p || null;
			location.hash = '#/' + v + (p ? '/' + p.name.toLowerCase()
			    .replace(/[^a-z0-9]+/g, '-') : '');
			status.textContent = '';
			render();
		}
		function render() {
			var c = [], g, total;

			app.textContent = '';
			ui = {};
			badge.textContent = String(cartCount());
			if (view === 'search') {
				c.push(h('h2', 'Results for "' + query + '"'));
				g = h('div.grid');
				ui.cards = {};
				ui.imgs = {};
				prods.filter(function (p) {
					return query !== '' && p.name.toLowerCase()
					    .indexOf(query.toLowerCase()) >= 0;
				}).forEach(function (p) {
					var name = G.link(p.name, function () {
						go('product', p);
					}, { impl: R.chance(0.8) ? 'native' :
					    undefined });

					var card = h('div.card', [imgLink ?
					    imageLink(p) : null, h('div', name),
					    h('div.price', '$' + p.price)]);

					ui.cards[p.name] = name;
					if (icons)
						cardIcons(p, card);
					g.appendChild(card);
				});
				if (!g.firstChild)
					c.push(h('p', 'No products match.'));
				c.push(g);
			} else if (view === 'list') {
				c.push(h('h2', filter === 'All' ? 'All products' :
				    filter));
				g = h('div.grid');
				ui.cards = {};
				ui.cardAdd = {};
				ui.imgs = {};
				prods.filter(function (p) {
					return filter === 'All' || p.cat === filter;
				}).forEach(function (p) {
					var name = G.link(p.name, function () {
						go('product', p);
					}, { impl: R.chance(0.8) ? 'native' :
					    undefined });
					var card = h('div.card', [imgLink ?
					    imageLink(p) : null, h('div', name),
					    h('div.price', '$' + p.price),
					    h('div.muted', p.cat)]);

					ui.cards[p.name] = name;
					if (cardAdd && !p.sizes) {
						ui.cardAdd[p.name] = G.button(addLabel,
						    function () {
							addLine(p, '', 1);
						}, { icon: 'cart', sec: R.chance(0.3),
						    aria: R.chance(0.3) ? addLabel + ' ' +
						    p.name : null });
						card.appendChild(ui.cardAdd[p.name]);
					} else if (cardAdd)
						card.appendChild(G.button(R.pick([
						    'Choose options', 'Select size',
						    'Options']), function () {
							go('product', p);
						}, { sec: true }));
					if (icons)
						cardIcons(p, card);
					g.appendChild(card);
				});
				c.push(g, status);
			} else if (view === 'product') {
				var p = cur;

				c.push(G.link(backLabel, function () {
					go('list');
				}));
				c.push(h('h2', p.name), h('div.price', '$' +
				    p.price), G.filler(R.range(1, 3)));
				if (p.sizes) {
					ui.size = R.chance(0.6) ? G.select('Size',
					    p.sizes, { prompt: 'Choose a size' }) :
					    G.dropdown('Size', p.sizes, {
						prompt: 'Choose a size' });
					c.push(ui.size.wrap);
				}
				ui.qty = G.field('Quantity', { value: '1',
				    style: R.pick(['for', 'left', 'above']) });
				c.push(ui.qty.wrap);
				ui.add = G.button(R.pick(['Add to cart',
				    'Add to bag', 'Add to basket']), function () {
					var s = ui.size ? ui.size.get() : '';
					var q = parseInt(ui.qty.get(), 10);

					if (p.sizes && s === '') {
						status.textContent = 'Please ' +
						    'choose a size.';
						return;
					}
					addLine(p, s, q > 0 && q < 100 ? q : 1);
				});
				c.push(ui.add, status);
			} else if (view === 'cart') {
				c.push(h('h2', R.pick(['Your cart',
				    'Shopping cart', 'Basket'])));
				ui.remove = {};
				if (cart.length === 0)
					c.push(h('p', 'Your cart is empty.'));
				total = 0;
				cart.forEach(function (l) {
					var rm = G.button(R.pick(['Remove',
					    'Delete']), function () {
						cart.splice(cart.indexOf(l), 1);
						render();
					}, { sec: true, icon: 'del' });

					ui.remove[l.name] = rm;
					total += l.qty * l.price;
					c.push(h('div', { style: 'display:flex;' +
					    'gap:16px;align-items:center' },
					    [h('strong', l.name), l.size ?
					    h('span', 'Size ' + l.size) : null,
					    h('span', 'Qty ' + l.qty),
					    h('span', '$' + l.qty * l.price), rm]));
				});
				if (promo && cart.length > 0)
					c.push(h('p.muted', cartCount() + ' item' +
					    (cartCount() > 1 ? 's' : '') + ' in your ' +
					    'cart. ' + R.pick(['Discounts are shown ' +
					    'at checkout.', 'Codes apply to all items ' +
					    'in the cart.', 'Free returns on all items.',
					    'Prices include tax.'])));
				if (promo && promo.where === 'cart')
					promoBox(c);
				c.push(h('p.price', 'Total: $' + total));
				c.push(G.link(backLabel, function () {
					go('list');
				}));
				if (cart.length > 0) {
					ui.checkout = G.button(R.pick(['Checkout',
					    'Proceed to checkout', 'Check out']),
					    function () {
						go('checkout');
					});
					c.push(ui.checkout);
				}
			} else if (view === 'checkout') {
				c.push(h('h2', 'Checkout'));
				ui.f = {};
				['Full name', 'Address', 'City', 'Zip code'].forEach(
				    function (n) {
					ui.f[n] = G.field(n, {});
					c.push(ui.f[n].wrap);
				});
				ui.back = G.link(R.pick(['Back to cart',
				    'Edit cart']), function () {
					go('cart');
				});
				ui.place = G.button(R.pick(['Place order',
				    'Buy now', 'Complete purchase',
				    'Pay now']), function () {
					order = { items: cart.map(function (l) {
						return l.name + '/' + l.size + '/' +
						    l.qty;
					}).sort().join(','), f: {} };
					Object.keys(ui.f).forEach(function (n) {
						order.f[n] = ui.f[n].get();
					});
					cart = [];
					go('done');
				});
				if (promo && promo.where === 'checkout')
					promoBox(c);
				c.push(ui.back, ui.place);
			} else {
				c.push(h('h2', 'Thank you!'), h('p', 'Your order ' +
				    '#' + R.range(10000, 99999) + ' was placed.'),
				    G.link(backLabel, function () {
					go('list');
				}));
			}
			G.add(app, c);
		}

		/* The cheapest or dearest of a category, or of all. */
		var dear = R.chance(0.35), cands, scope = 'cat';

		if (kind === 'cheap') {
			cands = prods.filter(function (p) {
				return p.cat === ccat;
			});
			tgt = cands.reduce(function (a, p) {
				return (dear ? p.price > a.price : p.price <
				    a.price) ? p : a;
			});
			/* Also the cheapest (dearest) of all: "item" will do. */
			if (R.chance(0.3) && !prods.some(function (p) {
				return dear ? p.price > tgt.price : p.price <
				    tgt.price;
			}))
				scope = 'all';
		} else
			tgt = R.pick(prods);
		size = tgt.sizes ? R.pick(tgt.sizes) : '';
		qty = R.chance(0.25) && kind !== 'cheap' ? R.range(2, 4) : 1;
		det = {
			'Full name': R.pick(P.first) + ' ' + R.pick(P.last),
			Address: R.range(1, 999) + ' ' + R.pick(P.street),
			City: R.pick(P.city),
			'Zip code': String(R.range(10000, 99999))
		};
		if (kind === 'remove' || kind === 'checkout' ||
		    kind === 'promo') {
			R.sample(prods.filter(function (p) {
				return p !== tgt;
			}), R.range(kind === 'remove' ? 1 : 0, 2)).concat(
			    [tgt]).forEach(function (p) {
				cart.push({ name: p.name, size: p.sizes ?
				    R.pick(p.sizes) : '', qty: 1,
				    price: p.price });
			});
			cart = R.shuffle(cart);
		}
		var start = (kind === 'checkout' || kind === 'promo') &&
		    R.chance(0.5) ? 'cart' : 'list';
		G.mount([app], { top: header, foot: h('footer', [G.link(
		    'Help', null), G.link('Returns', null), G.link('Privacy',
		    null)]), side: null }, { fields: false });
		go(start);

		/* Goals. */
		function inCart() {
			return cart.some(function (l) {
				return l.name === tgt.name && l.size === size &&
				    l.qty >= qty;
			});
		}
		function toProduct(p) {
			var a;

			if (view === 'product' && cur === p)
				return null;
			if (view !== 'list' || (filter !== 'All' &&
			    filter !== p.cat))
				return G.click(navLinks.All, 'to the products');
			a = G.click(ui.cards[p.name], 'open ' + p.name);
			if (ui.imgs[p.name])
				a.alts = [ui.imgs[p.name]];
			return a;
		}
		function addGoal() {
			return G.goal(inCart, function () {
				var a;

				/* One of it: the card's own button will do. */
				if (view === 'list' && qty === 1 && ui.cardAdd[
				    tgt.name] && ui.cardAdd[tgt.name].isConnected)
					return G.click(ui.cardAdd[tgt.name], 'add');
				if ((a = toProduct(tgt)) !== null)
					return a;
				if (ui.size && ui.size.get() !== size)
					return G.gSelect(ui.size, size).next();
				if (ui.qty.get() !== String(qty))
					return G.type(ui.qty.el, String(qty),
					    'quantity');
				return G.click(ui.add, 'add');
			});
		}
		function toCheckout() {
			if (view === 'checkout')
				return null;
			if (view !== 'cart')
				return G.click(cartLink, 'to the cart');
			return G.click(ui.checkout, 'checkout');
		}
		/* In the order the templates name them. */
		wantDet = ['Full name', 'Address', 'City', 'Zip code'];
		function orderOk() {
			return order !== null && order.items.indexOf(tgt.name) >=
			    0 && wantDet.every(function (n) {
				return order.f[n] === det[n];
			});
		}
		function orderGoal() {
			return G.goal(orderOk, function () {
				var a, i, b = null;

				/* The product was taken out of the cart: back in. */
				if (view !== 'checkout' && !cart.some(function (l) {
					return l.name === tgt.name;
				}))
					return addGoal().next();
				if ((a = toCheckout()) !== null)
					return a;
				/* Any unfilled field is right: the first, or others. */
				for (i = 0; i < wantDet.length; i++)
					if (ui.f[wantDet[i]].get() !==
					    det[wantDet[i]]) {
						if (b === null) {
							b = G.type(ui.f[
							    wantDet[i]].el,
							    det[wantDet[i]]);
							b.alts = [];
						} else
							b.alts.push({ el: ui.f[
							    wantDet[i]].el, value:
							    det[wantDet[i]] });
					}
				return b !== null ? b : G.click(ui.place,
				    'place order');
			});
		}
		/* What a search types: the name, or its last word(s). */
		var q = R.chance(0.6) ? tgt.name : R.chance(0.5) ?
		    tgt.name.toLowerCase() : tgt.name.split(' ').slice(-1)[0];
		t.kind = kind;
		t.fill = {
			FQ: { text: q, value: true },
			P: tgt.name, Ps: { text: tgt.name + '\'s', quote: 0 },
			p: { text: tgt.name.toLowerCase(),
			    quote: 0.1 },
			SZ: size ? { text: R.pick([' in size ', ', size ',
			    ' (size ']) + size + '', quote: 0 } :
			    { text: '', quote: 0 },
			N: { text: String(qty), value: true },
			Q: qty > 1 ? { text: String(qty) + ' x', quote: 0 } :
			    { text: R.pick(['a', 'one', 'the']), quote: 0 },
			NAME: { text: det['Full name'], value: true },
			ADDR: { text: det.Address, value: true },
			CITY: { text: det.City, value: true },
			ZIP: { text: det['Zip code'], value: true },
			CODE: { text: code, value: true, quote: 0.2 },
			C: tgt.cat,
			SUP: { text: R.pick(dear ? ['most expensive', 'priciest',
			    'highest-priced', 'most expensive'] : ['cheapest',
			    'least expensive', 'lowest-priced', 'cheapest',
			    'most affordable']), quote: 0 },
			PRC: { text: dear ? 'highest' : 'lowest', quote: 0 },
			LEAST: { text: dear ? 'most' : 'least', quote: 0 },
			CAT: { text: scope === 'all' ? R.pick(['item', 'product',
			    'thing in the store']) : R.pick({
				Electronics: ['electronics item', 'gadget',
				    'item in Electronics'],
				Home: ['home item', 'item in Home',
				    'homeware item'],
				Sports: ['sports item', 'item in Sports',
				    'sports product'],
				Bags: ['bag', 'item in Bags'],
				Accessories: ['accessory',
				    'item in Accessories'],
				Toys: ['toy', 'item in Toys']
			    }[tgt.cat] || [tgt.cat]), quote: 0 }
		};
		if (t.fill.SZ.text.indexOf('(') >= 0)
			t.fill.SZ.text += ')';
		/* The quantity word must be copied when it is not 1. */
		if (qty > 1)
			t.fill.Q = { text: String(qty), value: true, quote: 0 };
		t.templates = {
			add: ['Add {Q} {P}{SZ} to the cart',
			    'Put {Q} {p}{SZ} in my basket',
			    'I want to buy {Q} {P}{SZ}; add it to the cart',
			    'Add {P}{SZ} to my cart (quantity {N})',
			    'Find the {P} and add {Q}{SZ} to the cart',
			    'Please add {Q} {P}{SZ} to the shopping cart',
			    'Get me {Q} {p}{SZ}, add to cart',
			    'Open {P}, pick quantity {N}{SZ} and add to cart'],
			remove: ['Remove {P} from my cart',
			    'Delete the {P} from the basket',
			    'Take {P} out of the cart',
			    'I no longer want the {p}; remove it from the cart',
			    'Go to the cart and remove {P}',
			    'Empty the {P} line from my cart'],
			find: ['Search the shop for {FQ} and open it',
			    'Look up {FQ} in the store and open its page',
			    'Use the search box to find {FQ}, then open it',
			    'Find {FQ} with the search and show its page',
			    'Search {FQ}, open the product',
			    'Type {FQ} in the search field, search, and open ' +
			    'the result', 'Search for {FQ} and click the result'],
			view: ['Open the page for {P}', 'Show me the {P}',
			    'Go to the {P} product page',
			    'Find {P} and open its details',
			    'Take me to {P}', 'Look at the {p}',
			    'Open the product page of {P}',
			    'Show me {Ps} details',
			    'Show me the details of {P}',
			    'I want to see the product page for {P}',
			    'Click through to {P}',
			    'View the {P} page',
			    'Open {P}',
			    'Bring up the {p} product details',
			    'Display the page of {P}'],
			checkout: ['Check out and ship to {NAME}, {ADDR}, ' +
			    '{CITY} {ZIP}',
			    'Place the order for {NAME} at {ADDR}, {CITY}, ' +
			    '{ZIP}',
			    'Complete my purchase: name {NAME}, address ' +
			    '{ADDR}, city {CITY}, zip {ZIP}',
			    'Go to checkout and order with {NAME}, {ADDR}, ' +
			    '{CITY} {ZIP}',
			    'Finish the order; ship to {NAME}, {ADDR}, ' +
			    '{CITY} {ZIP}'],
			buy: ['Buy {Q} {P}{SZ} and ship it to {NAME}, {ADDR}, ' +
			    '{CITY} {ZIP}',
			    'Order {Q} {P}{SZ} for {NAME}, {ADDR}, {CITY} {ZIP}',
			    'Purchase {P}{SZ}, delivery to {NAME} at {ADDR}, ' +
			    '{CITY}, zip code {ZIP}',
			    'Get {Q} {p}{SZ} delivered to {NAME}, {ADDR}, ' +
			    '{CITY} {ZIP}; check out'],
			cheap: ['Add the {SUP} {CAT} to the cart',
			    'Put the {SUP} {CAT} in my cart',
			    'Find the {SUP} {CAT} and add it to the cart',
			    'Add the {CAT} with the {PRC} price to my basket',
			    'Which {CAT} has the {PRC} price? Add it to the cart',
			    'I want the {SUP} {CAT}; put it in the cart',
			    'Compare the prices and add the {SUP} {CAT} to ' +
			    'the cart',
			    'Add to cart: the {SUP} {CAT}',
			    'Pick the {SUP} {CAT} and add it to my bag',
			    'Get the {SUP} {CAT} into the shopping cart',
			    'Look at the prices and add the {SUP} {CAT} to ' +
			    'the cart',
			    'Add the {CAT} that costs the {LEAST} to the cart',
			    'Choose the {SUP} {CAT} and add it to the cart',
			    'Put the {CAT} with the {PRC} price in the cart',
			    'Shop for the {SUP} {CAT}: add it to the cart',
			    'I would like to buy the {SUP} {CAT}; add it to ' +
			    'my cart',
			    'Select the {SUP} {CAT} and put it in the basket',
			    'Go for the {SUP} {CAT} and add it to the cart',
			    'Add whichever {CAT} costs the {LEAST} to my cart',
			    'Cart the {SUP} {CAT}',
			    'Find the {CAT} with the {PRC} price and add it to ' +
			    'the cart',
			    'Add the {SUP} {CAT} you can find to my cart'],
			promo: ['Apply the discount code {CODE} to the items in ' +
			    'your cart',
			    'Use promo code {CODE} at checkout',
			    'Enter the coupon {CODE} for the items in my cart',
			    'Redeem code {CODE} on my cart',
			    'Apply {CODE} as a discount to my order',
			    'Add the promo code {CODE} to my cart',
			    'Use the coupon code {CODE} for the items in the cart',
			    'I have a discount code, {CODE}; apply it to my cart',
			    'Get the discount with code {CODE} at checkout',
			    'Go to the cart and apply the code {CODE}',
			    'Apply the voucher {CODE} to my basket',
			    'Type {CODE} into the promo code field and apply it',
			    'Please apply coupon {CODE} to the cart items',
			    'Save money on my cart items with code {CODE}',
			    'At checkout, use the discount code {CODE}',
			    'Enter {CODE} as the promo code and apply it',
			    'Apply promo {CODE} before checking out',
			    'My cart should get the code {CODE} applied',
			    'Use discount {CODE} on the items in the basket',
			    'Redeem the promo code {CODE} for this order',
			    'Apply the code {CODE} to everything in my cart',
			    'Put {CODE} in the coupon box and apply it',
			    'Claim the discount {CODE} on my cart',
			    'Use the code {CODE} to get money off the cart ' +
			    'items',
			    'Add discount code {CODE} at checkout, please']
		};
		/* Without a quantity in the wording, one is wanted. */
		t.pickGoal = function (tpl) {
			if (!/\{Q\}|\{N\}/.test(tpl))
				qty = 1;
		};
		if (kind === 'add' || kind === 'cheap') {
			t.goals = [addGoal()];
			t.done = inCart;
		} else if (kind === 'remove') {
			t.goals = [G.goal(function () {
				return !cart.some(function (l) {
					return l.name === tgt.name;
				});
			}, function () {
				if (view !== 'cart')
					return G.click(cartLink, 'to the cart');
				return G.click(ui.remove[tgt.name], 'remove');
			})];
			t.done = t.goals[0].sat;
		} else if (kind === 'view') {
			t.goals = [G.goal(function () {
				return view === 'product' && cur === tgt;
			}, function () {
				return toProduct(tgt);
			})];
			t.done = t.goals[0].sat;
		} else if (kind === 'find') {
			t.goals = [G.goal(function () {
				return view === 'product' && cur === tgt;
			}, function () {
				var a;

				if (view === 'search' && query === q && ui.cards[
				    tgt.name]) {
					a = G.click(ui.cards[tgt.name],
					    'open the result');
					if (ui.imgs[tgt.name])
						a.alts = [ui.imgs[tgt.name]];
					return a;
				}
				if (sbox.get() !== q)
					return G.type(sbox.el, q, 'query');
				return G.click(sbtn, 'search');
			})];
			t.done = t.goals[0].sat;
		} else if (kind === 'promo') {
			t.goals = [G.goal(function () {
				return applied === code;
			}, function () {
				var a;

				if (view !== promo.where) {
					if (promo.where === 'cart' || view !== 'cart')
						return G.click(cartLink, 'to the cart');
					if ((a = toCheckout()) !== null)
						return a;
				}
				if (ui.promo.get() !== code)
					return G.type(ui.promo.el, code, 'code ' + code);
				return G.click(ui.apply, 'apply the code');
			})];
			t.done = t.goals[0].sat;
		} else if (kind === 'checkout') {
			t.goals = [orderGoal()];
			t.done = orderOk;
		} else {
			t.goals = [G.goal(function () {
				return inCart() || orderOk();
			}, addGoal().next), orderGoal()];
			t.done = orderOk;
		}
		return t;
	});

	/* ---------------------------------------------------------------- */
	/* travel: flight search and booking.                               */

	var AIRLINES = ['SkyWays', 'AeroNova', 'BlueJet', 'Polar Air',
	    'Sunline', 'TransGlobal', 'Cirrus Airlines', 'Kestrel Air'];

	G.def('travel', 'train', function (G) {
		var R = G.R, t = {}, view = 'search', app, from, to, date;
		var fmt, cls, pax, last = null, results = [], chosen = null;
		var ui = {}, kind, A, B, D, N, C, booked = null, name, email;
		var useAuto, classes = ['Economy', 'Premium economy',
		    'Business', 'First'], tgt, sort = 'best', nameLinks;

		app = h('div');
		fmt = R.pick(['us', 'iso', 'uk']);
		useAuto = R.chance(0.5);
		nameLinks = R.chance(0.6);
		A = R.pick(G.PLACES);
		do {
			B = R.pick(G.PLACES);
		} while (B === A);
		var y = R.range(2024, 2026), m = R.int(12), d = R.range(1, 28);
		D = G.fmtDate(fmt, y, m, d);
		N = R.chance(0.4) ? R.range(2, 5) : 1;
		C = R.chance(0.35) ? R.pick(classes.slice(1)) : 'Economy';
		name = R.pick(P.first) + ' ' + R.pick(P.last);
		email = name.toLowerCase().replace(' ', '.') + '@' +
		    R.pick(P.domain);

		function key(s) {
			return [s.from, s.to, s.date, s.pax, s.cls].join('|');
		}
		function flights(s) {
			var Rq = new (G.R.constructor)(key(s)), out = [], i, hr;
			var mins, price, used = {};
			var names = Rq.sample(AIRLINES, Rq.range(4, 7));

			for (i = 0; i < names.length; i++) {
				hr = Rq.range(5, 21);
				mins = Rq.range(1, 9) * 60 + Rq.range(0, 5) * 10;
				/* Unique prices: one flight is the cheapest. */
				for (price = Rq.range(79, 980); used[price];
				    price++)
					continue;
				used[price] = 1;
				out.push({ airline: names[i], dep: hr + ':' +
				    Rq.pick(['00', '15', '30', '45']),
				    dur: Math.floor(mins / 60) + 'h ' + mins % 60 +
				    'm', mins: mins, stops: Rq.pick([0, 0, 1, 2]),
				    price: price });
			}
			return out;
		}
		function go(v) {
			view = v;
			location.hash = '#/' + v;
			render();
		}
		function field(label, val, city) {
			var f;

			if (city && useAuto) {
				f = G.autocomplete(G, R, label, G.PLACES);
				return f;
			}
			f = G.field(label, {});
			if (val)
				f.set(val);
			return f;
		}
		function render() {
			var c = [];

			app.textContent = '';
			if (view === 'search') {
				c.push(h('h2', R.pick(['Find a flight',
				    'Search flights', 'Where to next?'])));
				ui.trip = [G.checkbox('Round trip', { radio: true,
				    name: 'trip' }), G.checkbox('One way',
				    { radio: true, name: 'trip', checked: true })];
				c.push(h('div', ui.trip.map(function (x) {
					return x.wrap;
				})));
				ui.from = field(R.pick(['From', 'Departure city',
				    'Leaving from']), '', true);
				ui.to = field(R.pick(['To', 'Destination',
				    'Going to']), '', true);
				ui.date = G.field(R.pick(['Depart', 'Departure ' +
				    'date', 'Date']), { ph: fmt === 'iso' ?
				    'YYYY-MM-DD' : fmt === 'us' ? 'MM/DD/YYYY' :
				    'DD/MM/YYYY' });
				ui.date.el.placeholder = ui.date.el.placeholder ||
				    (fmt === 'iso' ? 'YYYY-MM-DD' : fmt === 'us' ?
				    'MM/DD/YYYY' : 'DD/MM/YYYY');
				ui.pax = G.select('Passengers', ['1', '2', '3',
				    '4', '5', '6'], { value: '1' });
				ui.cls = G.select(R.pick(['Class', 'Cabin']),
				    classes, { value: 'Economy' });
				ui.go = G.button(R.pick(['Search flights',
				    'Search', 'Find flights']), function () {
					last = { from: get(ui.from),
					    to: get(ui.to), date: ui.date.get(),
					    pax: ui.pax.get(),
					    cls: ui.cls.get() };
					results = flights(last);
					chosen = null;
					sort = 'best';
					go('results');
				}, { icon: 'search' });
				c.push(ui.from.wrap, ui.to.wrap, ui.date.wrap,
				    ui.pax.wrap, ui.cls.wrap, ui.go);
			} else if (view === 'results') {
				ui.mod = G.link(R.pick(['Modify search',
				    'New search', 'Change search']), function () {
					go('search');
				});
				c.push(ui.mod, h('h2', 'Flights from ' +
				    last.from + ' to ' + last.to),
				    h('p.muted', last.date + ', ' + last.pax +
				    ' passenger(s), ' + last.cls));
				/* Sorting tabs: the cheapest flight comes first. */
				ui.sort = {};
				var tabs = h('div', { role: R.chance(0.5) ?
				    'tablist' : null, style: 'margin:8px 0' });
				[['best', 'Best'], ['cheapest', R.pick(['Cheapest',
				    'Lowest price', 'Price'])], ['fastest',
				    R.pick(['Fastest', 'Shortest'])]].forEach(
				    function (x) {
					var b = G.button(x[1], function () {
						sort = x[0];
						render();
					}, { sec: sort !== x[0] });

					if (tabs.getAttribute('role')) {
						b.setAttribute('role', 'tab');
						b.setAttribute('aria-selected',
						    sort === x[0] ? 'true' : 'false');
					}
					ui.sort[x[0]] = b;
					tabs.appendChild(b);
				});
				c.push(tabs);
				ui.sel = [];
				ui.order = results.map(function (f, i) {
					return i;
				});
				if (sort === 'cheapest')
					ui.order.sort(function (a, b) {
						return results[a].price -
						    results[b].price;
					});
				else if (sort === 'fastest')
					ui.order.sort(function (a, b) {
						return results[a].mins -
						    results[b].mins;
					});
				ui.order.forEach(function (i) {
					var f = results[i], b;

					b = G.button(R.pick(['Select', 'Choose',
					    'Book']), function () {
						chosen = i;
						go('book');
					}, { aria: R.chance(0.3) ? 'Select ' +
					    f.airline + ' ' + f.dep : null });
					ui.sel[i] = b;
					c.push(h('div.card', { style: 'display:' +
					    'flex;gap:18px;align-items:center' },
					    [nameLinks ? G.link(f.airline, null,
					    { impl: 'native' }) : h('strong',
					    f.airline), h('span',
					    'Departs ' + f.dep), h('span', f.dur),
					    h('span', f.stops === 0 ? 'Nonstop' :
					    f.stops + ' stop' + (f.stops > 1 ?
					    's' : '')), h('span.price', '$' +
					    f.price), b]));
				});
			} else if (view === 'book') {
				var f = results[chosen];

				ui.back = G.link('Back to results', function () {
					go('results');
				});
				ui.name = G.field('Passenger name', {});
				ui.email = G.field('Email', {});
				ui.confirm = G.button(R.pick(['Confirm booking',
				    'Book now', 'Pay and book']), function () {
					booked = { f: chosen, n: ui.name.get(),
					    e: ui.email.get() };
					go('done');
				});
				c.push(ui.back, h('h2', f.airline + ' at ' + f.dep +
				    ', $' + f.price), ui.name.wrap,
				    ui.email.wrap, ui.confirm);
			} else {
				c.push(h('h2', 'Booking confirmed'),
				    G.link('New search', function () {
					go('search');
				}));
			}
			G.add(app, c);
		}
		function get(f) {
			return f.get ? (f.get() || (f.el ? G.norm(f.el.value) :
			    '')) : '';
		}
		G.mount([app, G.maybeCookieBar()], null, { side: false,
		    fields: false });
		go('search');

		kind = R.weighted([[2, 'search'], [2, 'cheapest'],
		    [1.5, 'airline'], [0.7, 'book']]);
		var typedA = useAuto ? A.split(',')[0] : A.split(',')[0];
		var typedB = useAuto ? B.split(',')[0] : B.split(',')[0];
		var wantA = useAuto ? A : typedA, wantB = useAuto ? B : typedB;
		function searchOk() {
			return last !== null && last.from === wantA &&
			    last.to === wantB && last.date === D &&
			    last.pax === String(N) && last.cls === C;
		}
		var want = { from: wantA, to: wantB, date: D, pax: String(N),
		    cls: C };
		var res0 = flights(want);
		if (kind === 'cheapest')
			tgt = res0.reduce(function (a, f, i) {
				return f.price < res0[a].price ? i : a;
			}, 0);
		else
			tgt = R.int(res0.length);
		function fieldGoal(f, typed, full) {
			if (useAuto)
				return f.goal(full, typed);
			return G.gType(f, typed);
		}
		var searchGoal = G.goal(searchOk, function () {
			var a, gl;

			if (view !== 'search')
				return G.click(view === 'results' ? ui.mod :
				    view === 'book' ? ui.back : app.querySelector(
				    'a,[role=link],.lnk') || ui.mod, 'to search');
			gl = [fieldGoal(ui.from, typedA, A), fieldGoal(ui.to,
			    typedB, B), G.gType(ui.date, D),
			    G.gSelect(ui.pax, String(N)), G.gSelect(ui.cls, C)];
			for (a = 0; a < gl.length; a++)
				if (!gl[a].sat())
					return gl[a].next();
			return G.click(ui.go, 'search');
		});
		function chosenOk() {
			return searchOk() && chosen === tgt;
		}
		var cheapest = false;
		var selectGoal = G.goal(function () {
			return chosenOk() || (booked !== null && booked.f === tgt);
		}, function () {
			var a;

			if (view === 'book')
				return G.click(ui.back, 'back to results');
			/*
			 * Prices are plain text: sort, then take the first; or
			 * pick the cheapest right away, equally right.
			 */
			if (cheapest && sort !== 'cheapest') {
				a = G.click(ui.sort.cheapest, 'sort by price');
				a.alts = G.visible(ui.sel[tgt]) ? [ui.sel[tgt]] :
				    [];
				return a;
			}
			return G.click(ui.sel[tgt], 'select');
		});
		t.kind = kind;
		t.fill = {
			A: { text: typedA, value: true, quote: 0.3 },
			B: { text: typedB, value: true, quote: 0.3 },
			D: { text: D, value: true },
			PAX: N > 1 ? { text: R.pick([' for ' + N +
			    ' passengers', ', ' + N + ' people', ' for ' + N +
			    ' adults']), quote: 0 } : { text: '', quote: 0 },
			CL: C !== 'Economy' ? { text: R.pick([' in ' + C +
			    ' class', ', ' + C]), quote: 0 } : { text: '',
			    quote: 0 },
			AL: res0[tgt].airline,
			NAME: { text: name, value: true },
			EMAIL: { text: email, value: true }
		};
		t.templates = {
			search: ['Find flights from {A} to {B} on {D}{PAX}{CL}',
			    'Search for a flight from {A} to {B} departing ' +
			    '{D}{PAX}{CL}',
			    'I need to fly from {A} to {B} on {D}{PAX}{CL}',
			    'Look up flights {A} to {B}, {D}{PAX}{CL}',
			    'Show me flights leaving {A} for {B} on {D}{PAX}' +
			    '{CL}', 'Flights from {A} to {B}, date {D}{PAX}{CL}',
			    'Search {A} - {B} on {D}{PAX}{CL}',
			    'Get me flight options from {A} to {B} for {D}{PAX}' +
			    '{CL}',
			    'What flights go from {A} to {B} on {D}{PAX}{CL}? ' +
			    'Search them'],
			cheapest: ['Book the cheapest flight from {A} to {B} ' +
			    'on {D}{PAX}{CL}',
			    'Find the lowest fare from {A} to {B} on {D}{PAX}' +
			    '{CL} and select it',
			    'Choose the cheapest option flying {A} to {B} on ' +
			    '{D}{PAX}{CL}',
			    'Search {A} to {B} for {D}{PAX}{CL} and pick the ' +
			    'least expensive flight',
			    'Select the cheapest {A} to {B} flight on {D}{PAX}' +
			    '{CL}',
			    'I want the best price from {A} to {B} on {D}{PAX}' +
			    '{CL}; choose the cheapest',
			    'Pick the lowest-priced flight from {A} to {B} on ' +
			    '{D}{PAX}{CL}',
			    'Fly {A} to {B} on {D}{PAX}{CL} as cheaply as ' +
			    'possible: select the cheapest flight',
			    'Search flights {A} - {B}, {D}{PAX}{CL}, and choose ' +
			    'the one with the lowest price',
			    'Which flight from {A} to {B} on {D}{PAX}{CL} is ' +
			    'cheapest? Select it',
			    'Get me the least expensive flight {A} to {B} on ' +
			    '{D}{PAX}{CL}',
			    'Look for flights from {A} to {B} on {D}{PAX}{CL} ' +
			    'and take the cheapest one',
			    'Compare fares from {A} to {B} on {D}{PAX}{CL} and ' +
			    'pick the lowest',
			    'On {D}, find the cheapest way to fly from {A} to ' +
			    '{B}{PAX}{CL} and select it',
			    'Choose the flight with the lowest fare, {A} to {B}, ' +
			    '{D}{PAX}{CL}',
			    'Select the least expensive option from {A} to {B} ' +
			    'departing {D}{PAX}{CL}',
			    'My budget is tight: choose the cheapest {A} to {B} ' +
			    'flight on {D}{PAX}{CL}',
			    'Search {A} to {B} on {D}{PAX}{CL}, sort by price ' +
			    'and select the cheapest',
			    'Find flights {A} to {B} on {D}{PAX}{CL} and pick ' +
			    'the lowest price',
			    'Book the least expensive fare from {A} to {B} on ' +
			    '{D}{PAX}{CL}',
			    'I want to fly from {A} to {B} on {D}{PAX}{CL} for ' +
			    'the lowest price; select that flight'],
			airline: ['Select the {AL} flight from {A} to {B} on ' +
			    '{D}{PAX}{CL}',
			    'Search flights {A} to {B} on {D}{PAX}{CL} and ' +
			    'choose {AL}',
			    'I want to fly {AL} from {A} to {B} on {D}{PAX}{CL}',
			    'Find {A} to {B} flights on {D}{PAX}{CL}, then ' +
			    'pick the one by {AL}',
			    'Book {AL} from {A} to {B}, {D}{PAX}{CL}',
			    'Choose the {AL} option for {A} to {B} on {D}{PAX}' +
			    '{CL}'],
			book: ['Book the cheapest flight from {A} to {B} on ' +
			    '{D}{PAX}{CL} for {NAME}, {EMAIL}',
			    'Fly {AL} from {A} to {B} on {D}{PAX}{CL}; book ' +
			    'it for {NAME} ({EMAIL})',
			    'Reserve a flight {A} to {B} on {D}{PAX}{CL} with ' +
			    '{AL} for passenger {NAME}, email {EMAIL}']
		};
		/* A booking template names the airline or asks the cheapest. */
		t.pickGoal = function (tpl) {
			if (/cheapest|lowest|least|best price/.test(tpl)) {
				cheapest = true;
				tgt = res0.reduce(function (a, f, i) {
					return f.price < res0[a].price ? i : a;
				}, 0);
			}
		};
		if (kind === 'search') {
			t.goals = [searchGoal];
			t.done = searchOk;
		} else if (kind === 'cheapest' || kind === 'airline') {
			t.goals = [searchGoal, selectGoal];
			t.done = chosenOk;
		} else {
			var bookOk = function () {
				return booked !== null && booked.f === tgt &&
				    booked.n === name && booked.e === email &&
				    searchOk();
			};
			t.goals = [G.goal(function () {
				return bookOk() || (view === 'book' &&
				    chosenOk());
			}, function () {
				if (!searchOk())
					return searchGoal.next();
				return selectGoal.next();
			}), G.goal(bookOk, function () {
				if (ui.name.get() !== name)
					return G.type(ui.name.el, name);
				if (ui.email.get() !== email)
					return G.type(ui.email.el, email);
				return G.click(ui.confirm, 'confirm');
			})];
			t.done = bookOk;
		}
		return t;
	});
})();
