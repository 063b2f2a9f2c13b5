/*
 * Background tasks dashboard. No inline script anywhere: this file and uPlot are all that runs, so the
 * pages work under a strict Content-Security-Policy. The pages are complete without it; it adds:
 * - times in the viewer's zone (UTC stays on hover);
 * - live regions ([data-live]) re-read from the server: on "changes" from the event stream (pages with
 *   data-refresh="stream"), or every few seconds (data-refresh="poll");
 * - an execution's own events, listed as they come;
 * - the overview's charts; copy buttons.
 */
(function () {
	'use strict';

	var REFRESH_GAP_MS = 1000;
	var POLL_MS = 5000;
	var FALLBACK_POLL_MS = 15000;
	var main = document.getElementById('main');
	var streamUrl = (document.querySelector('meta[name="bgt-stream"]') || {}).content;
	var charts = [];
	var WHOLE = [1, 2, 5, 10, 20, 50, 100, 200, 500, 1e3, 2e3, 5e3, 1e4, 2e4, 5e4, 1e5, 2e5, 5e5, 1e6, 2e6, 5e6];

	function localTimes(root) {
		root.querySelectorAll('time[datetime]').forEach(function (el) {
			var date = new Date(el.getAttribute('datetime'));
			if (!isNaN(date.getTime())) {
				el.textContent = date.toLocaleString(undefined, {
					year: 'numeric', month: 'short', day: 'numeric',
					hour: '2-digit', minute: '2-digit', second: '2-digit'
				});
			}
		});
	}

	function copyButtons(root) {
		root.querySelectorAll('[data-copy]').forEach(function (button) {
			button.addEventListener('click', function () {
				var text = button.getAttribute('data-copy');
				if (navigator.clipboard) {
					navigator.clipboard.writeText(text).then(function () {
						button.textContent = 'Copied';
						setTimeout(function () { button.textContent = 'Copy id'; }, 1500);
					});
				}
			});
		});
	}

	// Live regions: re-read the page and swap each region, keeping ticked boxes, open details and focus.
	var refreshing = false;
	var again = false;
	var lastRefresh = 0;
	var timer = null;

	function scheduleRefresh() {
		if (timer) {
			return;
		}
		var wait = Math.max(0, lastRefresh + REFRESH_GAP_MS - Date.now());
		timer = setTimeout(function () {
			timer = null;
			refresh();
		}, wait);
	}

	function refresh() {
		if (document.hidden) {
			again = true;
			return;
		}
		if (refreshing) {
			again = true;
			return;
		}
		refreshing = true;
		lastRefresh = Date.now();
		fetch(window.location.href, { headers: { 'Accept': 'text/html' }, credentials: 'same-origin' })
			.then(function (response) { return response.ok || response.status === 400 ? response.text() : null; })
			.then(function (html) {
				if (html) {
					swap(new DOMParser().parseFromString(html, 'text/html'));
				}
			})
			.catch(function () { /* the next change or poll tries again */ })
			.then(function () {
				refreshing = false;
				if (again) {
					again = false;
					scheduleRefresh();
				}
			});
	}

	function swap(fresh) {
		document.querySelectorAll('[data-live]').forEach(function (region) {
			var replacement = fresh.getElementById(region.id);
			if (!replacement) {
				return;
			}
			var ticked = {};
			region.querySelectorAll('input[type="checkbox"]:checked').forEach(function (box) { ticked[box.value] = true; });
			var open = {};
			region.querySelectorAll('details[open]').forEach(function (d, i) { open[i] = true; });
			var focusedId = document.activeElement && region.contains(document.activeElement) ? document.activeElement.id : null;
			replacement.querySelectorAll('input[type="checkbox"]').forEach(function (box) {
				box.checked = !!ticked[box.value];
			});
			replacement.querySelectorAll('details').forEach(function (d, i) { if (open[i]) { d.open = true; } });
			var adopted = document.importNode(replacement, true);
			region.replaceWith(adopted);
			localTimes(adopted);
			if (focusedId) {
				var focus = document.getElementById(focusedId);
				if (focus) {
					focus.focus();
				}
			}
		});
		drawCharts();
	}

	// One box ticks every row of the page; it lives in the live region, so listen on the document.
	document.addEventListener('change', function (event) {
		if (event.target && event.target.id === 'select-all') {
			document.querySelectorAll('input[type="checkbox"][name="id"]').forEach(function (box) {
				box.checked = event.target.checked;
			});
		}
	});

	function listen() {
		var mode = main && main.getAttribute('data-refresh');
		if (mode === 'poll') {
			setInterval(refresh, POLL_MS);
			return;
		}
		if (mode !== 'stream' || !streamUrl || !window.EventSource) {
			return;
		}
		var execution = main.getAttribute('data-execution');
		var source = new EventSource(streamUrl + (execution ? '?execution=' + encodeURIComponent(execution) : '?summary=true'));
		var events = document.getElementById('events');
		['status', 'progress', 'custom'].forEach(function (kind) {
			source.addEventListener(kind, function (message) {
				if (events) {
					var item = document.createElement('li');
					item.textContent = new Date().toLocaleTimeString() + '  ' + kind + '  ' + message.data;
					events.appendChild(item);
					events.scrollTop = events.scrollHeight;
				}
				scheduleRefresh();
			});
		});
		source.addEventListener('changes', scheduleRefresh);
		source.addEventListener('resync', scheduleRefresh);
		// A node dropped events (its event queue was full): what is shown may miss changes.
		source.addEventListener('dropped', scheduleRefresh);
		// Events reach this page from the node that serves it; a slow poll covers anything missed.
		setInterval(refresh, FALLBACK_POLL_MS);
	}

	function series(data, names, colors) {
		var columns = [data.minute];
		var config = [{}];
		names.forEach(function (name, i) {
			columns.push(data[name]);
			config.push({ label: name, stroke: colors[i], width: 2, points: { show: false } });
		});
		return { columns: columns, series: config };
	}

	function drawCharts() {
		var source = document.getElementById('chart-data');
		if (!source || !window.uPlot) {
			return;
		}
		var data = JSON.parse(source.textContent || '{}');
		if (!data.minute) {
			return;
		}
		var style = getComputedStyle(document.documentElement);
		var ok = style.getPropertyValue('--ok').trim();
		var bad = style.getPropertyValue('--bad').trim();
		var warn = style.getPropertyValue('--warn').trim();
		var idle = style.getPropertyValue('--idle').trim();
		var fg = style.getPropertyValue('--muted').trim();
		var grid = style.getPropertyValue('--line').trim();
		var specs = [
			{ id: 'throughput-chart', s: series(data, ['succeeded'], [ok]) },
			{ id: 'failures-chart', s: series(data, ['failed', 'retried', 'cancelled'], [bad, warn, idle]) }
		];
		specs.forEach(function (spec, i) {
			var el = document.getElementById(spec.id);
			if (!el) {
				return;
			}
			if (charts[i]) {
				charts[i].setData(spec.s.columns);
				return;
			}
			var axis = { stroke: fg, grid: { stroke: grid, width: 1 }, ticks: { stroke: grid } };
			charts[i] = new window.uPlot({
				width: Math.max(300, el.clientWidth),
				height: 200,
				series: spec.s.series,
				// Counts: whole-number ticks only.
				axes: [axis, Object.assign({}, axis, { label: 'per minute', incrs: WHOLE })],
				scales: { y: { range: function (u, min, max) { return [0, Math.max(1, max)]; } } }
			}, spec.s.columns, el);
		});
	}

	window.addEventListener('resize', function () {
		charts.forEach(function (chart) {
			var el = chart.root.parentNode;
			chart.setSize({ width: Math.max(300, el.clientWidth), height: 200 });
		});
	});
	document.addEventListener('visibilitychange', function () {
		if (!document.hidden && again) {
			again = false;
			scheduleRefresh();
		}
	});

	localTimes(document);
	copyButtons(document);
	drawCharts();
	listen();
}());
